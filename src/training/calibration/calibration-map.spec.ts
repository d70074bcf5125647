import { editedCopy, shapeErrorOf as shapeErrorOfParse } from '../../../test/support/shape-error';
import { ShapeError } from '../../common/json-shape';
import { CalibrationMap, calibratedProbability, fitCalibrationMap, readCalibrationMap } from './calibration-map';
import { fitIsotonicRegression, isotonicValue } from './isotonic-regression';
import { fitPlattScaling, plattProbability } from './platt-scaling';

/**
 * A fixed sample of decision-function values with ties (rounded to 0.1) and two scores 8.9e-16
 * apart at the end, which sklearn merges into one point (closer than numpy's float64 resolution).
 * Made by /usr/bin/python3 with scikit-learn 1.2.1 (Debian python3-sklearn):
 *   scores = [round(3 * sin(1.7 i), 1) for i in 0..59] + [0.5, 0.5 + 4 * eps]
 *   labels = (frac(0.6180339887498949 i) < expit(score)) + [1, 0]
 */
const SCORES = [
  0.0, 3.0, -0.8, -2.8, 1.5, 2.4, -2.1, -1.9, 2.6, 1.2, -2.9, -0.4, 3.0, -0.3, -2.9, 1.1, 2.6, -1.8, -2.2, 2.3, 1.6, -2.7, -0.9, 3.0, 0.1,
  -3.0, 0.6, 2.8, -1.4, -2.5, 2.0, 1.9, -2.5, -1.3, 2.8, 0.6, -3.0, 0.2, 2.9, -1.0, -2.7, 1.7, 2.3, -2.2, -1.7, 2.7, 1.0, -2.9, -0.2, 3.0,
  -0.5, -2.9, 1.3, 2.5, -1.9, -2.0, 2.4, 1.4, -2.8, -0.7, 0.5, 0.5000000000000009,
];
const LABELS = [
  1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1,
  1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0,
];
/** Points scored by the fitted maps: out of range on both sides, on thresholds, between them. */
const QUERIES = [-5.0, -3.0, -2.95, -1.234, -0.05, 0.0, 0.5, 0.5000000000000001, 0.77, 1.3, 2.9, 3.0, 7.5];

/** _SigmoidCalibration().fit(SCORES, LABELS): a_, b_ (fmin_bfgs to its default gradient of 1e-5). */
const SKLEARN_PLATT = { a: -0.9351611046422004, b: 0.01805124592738098 };
/** The exact optimum of the same objective: 50 Newton steps in numpy (gradient 6e-17). */
const EXACT_PLATT = { a: -0.9351608258274597, b: 0.018050876942131304 };
/** _SigmoidCalibration().predict(QUERIES). */
const SKLEARN_PLATT_PREDICTIONS = [
  0.009068336187550503, 0.05606558299248314, 0.058592107769631065, 0.23648643379295348, 0.48380334347446563, 0.49548731105484917,
  0.610527316500677, 0.610527316500677, 0.6686361013192058, 0.7681079265948005, 0.9366666825275106, 0.9419928862003001, 0.9990849871696982,
];

/** IsotonicRegression(out_of_bounds='clip', y_min=0, y_max=1).fit(SCORES, LABELS): X_thresholds_, y_thresholds_, predict(QUERIES). */
const SKLEARN_ISOTONIC = {
  x: [-3.0, -2.9, -1.3, -1.0, -0.4, -0.3, 0.2, 0.5, 0.6, 2.6, 2.7, 3.0],
  y: [0.0, 0.05, 0.05, 0.3333333333333333, 0.3333333333333333, 0.4, 0.4, 0.5, 0.8947368421052632, 0.8947368421052632, 1.0, 1.0],
  predictions: [
    0.0, 0.0, 0.02499999999999989, 0.11233333333333338, 0.4, 0.4, 0.5, 0.5000000000000004, 0.8947368421052632, 0.8947368421052632, 1.0, 1.0,
    1.0,
  ],
};

describe('Platt scaling', () => {
  const fit = fitPlattScaling(SCORES, LABELS);

  it("reaches sklearn's a and b to 1e-6 (sklearn stops at a gradient of 1e-5) and the exact optimum to 1e-10", () => {
    expect(Math.abs(fit.a - SKLEARN_PLATT.a)).toBeLessThan(1e-6);
    expect(Math.abs(fit.b - SKLEARN_PLATT.b)).toBeLessThan(1e-6);
    expect(Math.abs(fit.a - EXACT_PLATT.a)).toBeLessThan(1e-10);
    expect(Math.abs(fit.b - EXACT_PLATT.b)).toBeLessThan(1e-10);
  });

  it("gives sklearn's predictions to 1e-6", () => {
    QUERIES.forEach((q, i) => expect(Math.abs(plattProbability(fit, q) - SKLEARN_PLATT_PREDICTIONS[i])).toBeLessThan(1e-6));
  });

  it('fits b alone when every score is the same (a is not identified), to the smoothed base rate', () => {
    const flat = fitPlattScaling([1, 1, 1, 1], [1, 0, 0, 0]);
    expect(flat.a).toBe(0);
    // targets: yes (1 + 1) / (1 + 2), no 1 / (3 + 2); P = their mean
    expect(plattProbability(flat, 1)).toBeCloseTo((2 / 3 + 3 / 5) / 4, 12);
  });

  it('stays finite on a slice the scores separate perfectly (the smoothed targets are never 0 or 1)', () => {
    const map = fitPlattScaling([-2, -1, 1, 2], [0, 0, 1, 1]);
    expect(Number.isFinite(map.a) && Number.isFinite(map.b)).toBe(true);
  });
});

describe('isotonic regression', () => {
  const map = fitIsotonicRegression(SCORES, LABELS);

  it("keeps sklearn's thresholds exactly: ties averaged, scores within 1e-15 merged, constant runs trimmed", () => {
    expect(map.x).toEqual(SKLEARN_ISOTONIC.x);
    map.y.forEach((y, i) => expect(Math.abs(y - SKLEARN_ISOTONIC.y[i])).toBeLessThan(1e-12));
  });

  it('predicts as sklearn, clipped outside the thresholds (to 1e-9)', () => {
    QUERIES.forEach((q, i) => expect(Math.abs(isotonicValue(map, q) - SKLEARN_ISOTONIC.predictions[i])).toBeLessThan(1e-9));
  });

  it('is one constant for a single distinct score', () => {
    const single = fitIsotonicRegression([0.3, 0.3, 0.3], [1, 0, 0]);
    expect(single).toEqual({ x: [0.3], y: [1 / 3] });
    expect(isotonicValue(single, -10)).toBe(1 / 3);
  });

  it('pools a decreasing run into its weighted mean', () => {
    expect(fitIsotonicRegression([1, 2, 3, 4], [0, 1, 0, 1])).toEqual({ x: [1, 2, 3, 4], y: [0, 0.5, 0.5, 1] });
  });
});

describe('calibration maps', () => {
  it('apply the fitted method', () => {
    const platt = fitCalibrationMap('platt', SCORES, LABELS);
    const isotonic = fitCalibrationMap('isotonic', SCORES, LABELS);
    expect(calibratedProbability(platt, 0.77)).toBe(plattProbability(fitPlattScaling(SCORES, LABELS), 0.77));
    expect(calibratedProbability(isotonic, 0.77)).toBe(isotonicValue(fitIsotonicRegression(SCORES, LABELS), 0.77));
  });

  it('refuse calibration rows of one class', () => {
    expect(() => fitCalibrationMap('isotonic', [1, 2, 3], [0, 0, 0])).toThrow(
      'isotonic calibration needs both classes in its rows (0 of 3 "yes")',
    );
    expect(() => fitCalibrationMap('platt', [1, 2], [1, 1])).toThrow('platt calibration needs both classes');
  });

  describe('readCalibrationMap', () => {
    const isotonic = (): CalibrationMap => ({ method: 'isotonic', x: [0, 1, 2], y: [0.1, 0.5, 0.9] });
    const shapeErrorOf = (json: unknown): ShapeError => shapeErrorOfParse((doc) => readCalibrationMap(doc, 'calibration'), json);

    it('round-trips both kinds', () => {
      expect(readCalibrationMap(JSON.parse(JSON.stringify(isotonic())), 'calibration')).toEqual(isotonic());
      expect(readCalibrationMap({ method: 'platt', a: -1, b: 0.5 }, 'calibration')).toEqual({ method: 'platt', a: -1, b: 0.5 });
    });

    it.each<[string, unknown, string]>([
      ['not an object', 'platt', 'calibration must be an object'],
      ['an unknown method', { method: 'beta' }, 'calibration.method must be one of: platt, isotonic'],
      ['a missing a', { method: 'platt', b: 1 }, 'calibration.a must be a finite number'],
      ['thresholds not increasing', editedCopy(isotonic(), (d) => (d.x[2] = 1)), 'calibration.x must be strictly increasing'],
      ['values decreasing', editedCopy(isotonic(), (d) => (d.y[2] = 0.2)), 'calibration.y must be non-decreasing'],
      ['a value above 1', editedCopy(isotonic(), (d) => (d.y[2] = 1.5)), 'calibration.y must hold probabilities (0 to 1)'],
      [
        'lengths that differ',
        editedCopy(isotonic(), (d) => d.y.pop()),
        'calibration.x and calibration.y must be non-empty and of one length',
      ],
      ['no thresholds', { method: 'isotonic', x: [], y: [] }, 'calibration.x and calibration.y must be non-empty and of one length'],
    ])('rejects %s', (_label, json, message) => {
      expect(shapeErrorOf(json).message).toBe(message);
    });
  });
});
