import { createSeededRandom } from '../../preprocessing/seeded-random';
import { expectedCalibrationError } from './expected-calibration-error';

// numpy default_rng(3); the first six probabilities sit on bin edges (0, 0.1, 0.3, 0.7, 1, 0.6).
const Y = [0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0];
const P = [
  0.0, 0.1, 0.3, 0.7, 1.0, 0.6, 0.48, 0.16, 0.73, 0.11, 0.39, 0.52, 0.43, 0.59, 0.74, 0.96, 0.28, 0.65, 0.7, 0.29, 0.0, 0.97, 0.3, 0.31,
  0.89, 0.59, 0.47, 0.77, 0.03, 0.71, 0.37, 0.09, 0.66, 0.93, 0.21, 0.63, 0.3, 0.74, 0.72, 0.22,
];

describe('expectedCalibrationError', () => {
  it('bins like sklearn.calibration.calibration_curve(y, p, n_bins=10, strategy="uniform"), edges included', () => {
    // scikit-learn 1.2.1: prob_true and prob_pred of the non-empty bins; counts from np.searchsorted(bins[1:-1], p).
    const probTrue = [0.0, 0.5, 0.42857142857142855, 0.3333333333333333, 0.0, 0.75, 1.0, 1.0, 1.0, 1.0];
    const probPred = [
      0.044, 0.135, 0.27142857142857146, 0.35666666666666663, 0.45999999999999996, 0.575, 0.6679999999999999, 0.735, 0.89, 0.965,
    ];
    const result = expectedCalibrationError(Y, P);
    expect(result.table.map((b) => b.count)).toEqual([5, 2, 7, 3, 3, 4, 5, 6, 1, 4]);
    result.table.forEach((bin, k) => {
      expect(bin.observed_rate).toBeCloseTo(probTrue[k], 14);
      expect(bin.mean_predicted).toBeCloseTo(probPred[k], 14);
      expect(bin.lower).toBeCloseTo(k / 10, 15);
      expect(bin.upper).toBeCloseTo((k + 1) / 10, 15);
    });
  });

  it('equals the numpy ECE, MCE and noise figures', () => {
    // numpy: sum(count/n * |mean p - mean y|), max gap, sum(sqrt(2/pi * V_b))/n, sqrt(sum V_b)/n with V_b = sum p(1-p) in bin b.
    const result = expectedCalibrationError(Y, P);
    expect(result.ece).toBeCloseTo(0.19250000000000003, 14);
    expect(result.mce).toBeCloseTo(0.45999999999999996, 14);
    expect(result.noise.expected_if_calibrated).toBeCloseTo(0.1513549825979314, 14);
    expect(result.noise.sampling_sd).toBeCloseTo(0.06477074957108339, 14);
    expect(result).toMatchObject({ n: 40, bins: 10 });
  });

  it('reports empty bins as null and takes another number of bins', () => {
    const p5 = [
      0.127, 0.297, 0.493, 0.849, 0.965, 0.708, 0.214, 0.545, 0.706, 0.052, 0.68, 0.368, 0.59, 0.67, 0.669, 0.523, 0.555, 0.198, 0.495,
      0.125, 0.481, 0.536, 0.774, 0.394, 0.02, 0.528, 0.205, 0.741, 0.389, 0.38, 0.909, 0.393, 0.349, 0.348, 0.481, 0.093, 0.547, 0.921,
      0.563, 0.744,
    ];
    const five = expectedCalibrationError(Y, p5, 5);
    // sklearn calibration_curve(y, p5, n_bins=5)
    expect(five.table.map((b) => b.count)).toEqual([6, 10, 12, 8, 4]);
    expect(five.table.map((b) => b.observed_rate)).toEqual([0.6666666666666666, 0.4, 0.6666666666666666, 0.625, 0.75]);
    expect(five.ece).toBeCloseTo(0.17617499999999994, 14);
    const sparse = expectedCalibrationError([0, 1], [0.05, 0.95]);
    expect(sparse.table[4]).toEqual({ lower: 0.4, upper: 0.5, count: 0, mean_predicted: null, observed_rate: null });
    expect(sparse.ece).toBeCloseTo(0.05, 15);
  });

  it('estimates the ECE a calibrated model shows by chance, and bounds its spread (simulated)', () => {
    const random = createSeededRandom(11);
    const p = Float64Array.from({ length: 500 }, () => random() ** 2);
    const eces: number[] = [];
    for (let draw = 0; draw < 300; draw++) {
      const y = Uint8Array.from(p, (q) => (random() < q ? 1 : 0));
      eces.push(expectedCalibrationError(y, p).ece);
    }
    const mean = eces.reduce((a, b) => a + b, 0) / eces.length;
    const sd = Math.sqrt(eces.reduce((a, b) => a + (b - mean) ** 2, 0) / (eces.length - 1));
    const noise = expectedCalibrationError(new Uint8Array(500), p).noise; // depends on p only
    expect(Math.abs(mean - noise.expected_if_calibrated) / noise.expected_if_calibrated).toBeLessThan(0.1);
    expect(sd).toBeLessThan(noise.sampling_sd);
  });

  it('checks its inputs', () => {
    expect(() => expectedCalibrationError([0, 1], [0.5])).toThrow('differ in length');
    expect(() => expectedCalibrationError([0, 1], [0.5, 0.5], 0)).toThrow('bins must be a positive integer');
    expect(() => expectedCalibrationError([0, 1], [0.5, -0.1])).toThrow('probability at row 1 is -0.1');
  });
});
