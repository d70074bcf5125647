import { validationCalibration } from '../training/calibration-baseline';
import { readValidationCalibration } from './calibration-baseline-reader';

/** What training saved, as JSON read back from disk (to damage one field at a time). */
type SavedJson = Record<string, unknown> & { expected?: Record<string, unknown> };

const saved = (): SavedJson =>
  JSON.parse(JSON.stringify(validationCalibration(Uint8Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.4, 0.35, 0.8]), 0.5)));

describe('readValidationCalibration', () => {
  it('reads back what training saved', () => {
    const json = saved();
    expect(readValidationCalibration(json)).toEqual(json);
  });

  it('accepts an expected ROC-AUC of null (every P(yes) 0 or every one 1)', () => {
    const json = saved();
    json.expected!.roc_auc = null;
    expect(readValidationCalibration(json).expected.roc_auc).toBeNull();
  });

  it.each<[string, (doc: SavedJson) => void, string]>([
    ['no row count', (d) => (d.n = undefined), 'validation_calibration.n must be a finite number'],
    ['one row', (d) => (d.n = 1), 'validation_calibration.n must be an integer >= 2'],
    ['fractional rows', (d) => (d.n = 2.5), 'validation_calibration.n must be an integer >= 2'],
    ['no bins', (d) => (d.bins = 0), 'validation_calibration.bins must be an integer >= 1'],
    ['Brier above 1', (d) => (d.brier = 1.5), 'validation_calibration.brier must be between 0 and 1'],
    ['ECE as text', (d) => (d.ece = '0.2'), 'validation_calibration.ece must be a finite number'],
    ['a negative accuracy', (d) => (d.accuracy = -0.1), 'validation_calibration.accuracy must be between 0 and 1'],
    [
      'no predicted positive rate',
      (d) => delete d.predicted_positive_rate,
      'validation_calibration.predicted_positive_rate must be a finite number',
    ],
    ['mean P(yes) above 1', (d) => (d.mean_predicted = 2), 'validation_calibration.mean_predicted must be between 0 and 1'],
    ['base rate null', (d) => (d.base_rate = null), 'validation_calibration.base_rate must be a finite number'],
    ['a negative log loss', (d) => (d.log_loss = -1), 'validation_calibration.log_loss must be >= 0'],
    ['no expected figures', (d) => delete d.expected, 'validation_calibration.expected must be an object'],
    ['an expected F1 above 1', (d) => (d.expected!.f1_score = 1.01), 'validation_calibration.expected.f1_score must be between 0 and 1'],
    [
      'an expected ROC-AUC as text',
      (d) => (d.expected!.roc_auc = 'n/a'),
      'validation_calibration.expected.roc_auc must be a finite number',
    ],
    [
      'an expected log loss of null',
      (d) => (d.expected!.log_loss = null),
      'validation_calibration.expected.log_loss must be a finite number',
    ],
  ])('refuses %s', (_name, edit, message) => {
    const json = saved();
    edit(json);
    expect(() => readValidationCalibration(json)).toThrow(message);
  });

  it('refuses a value that is not an object', () => {
    expect(() => readValidationCalibration([1, 2])).toThrow('validation_calibration must be an object');
  });
});
