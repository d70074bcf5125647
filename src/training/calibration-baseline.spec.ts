import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { estimatePerformance } from './evaluation/confidence-based-performance';
import { validationCalibration } from './calibration-baseline';
import { trainModel } from './training-pipeline';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

/**
 * Worked by hand: y = [0, 0, 1, 1], p = [0.1, 0.4, 0.35, 0.8], threshold 0.5 -> decisions [0, 0, 0, 1].
 *   accuracy 3/4, predicted positive rate 1/4, mean P(yes) 1.65/4 = 0.4125, base rate 1/2
 *   Brier (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.158125; log loss = -(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4
 *   ECE, 10 bins (k/10, (k+1)/10]: 0.1 -> bin 0 (gap 0.1), 0.4 and 0.35 -> bin 3 (mean 0.375, rate 0.5, gap 0.125),
 *   0.8 -> bin 7 (gap 0.2): 0.1/4 + 2 * 0.125/4 + 0.2/4 = 0.1375
 *   CBPE: TP 0.8, FP 0.2, FN 0.85, TN 2.15 -> accuracy 2.95/4, precision 0.8, recall 0.8/1.65, Brier mean p(1-p) = 0.179375
 */
const Y = Uint8Array.from([0, 0, 1, 1]);
const P = Float64Array.from([0.1, 0.4, 0.35, 0.8]);

describe('validationCalibration', () => {
  it('gives the figures worked out by hand', () => {
    const c = validationCalibration(Y, P, 0.5);
    expect(c.n).toBe(4);
    expect(c.bins).toBe(10);
    expect(c.accuracy).toBe(0.75);
    expect(c.predicted_positive_rate).toBe(0.25);
    expect(c.mean_predicted).toBeCloseTo(0.4125, 15);
    expect(c.base_rate).toBe(0.5);
    expect(c.brier).toBeCloseTo(0.158125, 15);
    expect(c.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 15);
    expect(c.ece).toBeCloseTo(0.1375, 15);
    expect(c.expected.accuracy).toBeCloseTo(2.95 / 4, 15);
    expect(c.expected.precision).toBeCloseTo(0.8, 15);
    expect(c.expected.recall).toBeCloseTo(0.8 / 1.65, 15);
    expect(c.expected.brier_score).toBeCloseTo(0.179375, 15);
    expect(c.expected.positive_rate).toBe(0.25);
    expect(c.expected.base_rate).toBeCloseTo(0.4125, 15);
    expect(Object.keys(c.expected).sort()).toEqual(
      ['accuracy', 'base_rate', 'brier_score', 'f1_score', 'log_loss', 'positive_rate', 'precision', 'recall', 'roc_auc'].sort(),
    );
  });

  it('decides "yes" strictly above the threshold, as the model serves', () => {
    // threshold 0.4: 0.4 stays "no" -> the same decisions as at 0.5
    expect(validationCalibration(Y, P, 0.4).accuracy).toBe(0.75);
    // threshold 0.35: 0.4 and 0.8 are "yes" -> [0, 1, 0, 1]: accuracy 1/2, predicted positive rate 1/2
    const low = validationCalibration(Y, P, 0.35);
    expect(low.accuracy).toBe(0.5);
    expect(low.predicted_positive_rate).toBe(0.5);
    expect(low.expected.accuracy).toBeCloseTo(estimatePerformance(P, { threshold: 0.35 }).accuracy, 15);
  });

  it('refuses bad input rather than saving NaN', () => {
    expect(() => validationCalibration(Y, Float64Array.from([0.1, 0.4, 1.2, 0.8]), 0.5)).toThrow('probability at row 2 is 1.2');
    expect(() => validationCalibration(Uint8Array.from([1]), Float64Array.from([0.5]), 0.5)).toThrow('at least 2 rows');
  });
});

describe('trainModel saves the validation rows calibration with its metrics', () => {
  it('agrees with the validation metrics and the reference statistics it shares figures with', async () => {
    const dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
    const trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
    const { validation, validation_calibration: c } = trained.metrics;
    expect(c.n).toBe(trained.split.validation.length);
    expect(c.accuracy).toBeCloseTo(validation.accuracy, 15);
    expect(c.brier).toBeCloseTo(validation.brier_score, 15);
    expect(c.predicted_positive_rate).toBeCloseTo(validation.positive_rate, 15);
    expect(c.base_rate).toBeCloseTo(trained.stats.prediction.actual_positive_rate, 15);
    // The balanced-weight model is miscalibrated by design: P(yes) far above the observed rate.
    expect(c.mean_predicted - c.base_rate).toBeGreaterThan(0.2);
    expect(c.ece).toBeGreaterThan(0.2);
    // ...so its label-free estimate is biased at training time already.
    expect(validation.accuracy - c.expected.accuracy).toBeGreaterThan(0.05);
  });
});
