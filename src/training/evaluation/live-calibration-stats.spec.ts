import { calibrationBaseline, liveCalibrationStats } from './live-calibration-stats';

// The fixture of expected-calibration-error.spec.ts; decisions are P(yes) > 0.5.
const Y = [0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0];
const P = [
  0.0, 0.1, 0.3, 0.7, 1.0, 0.6, 0.48, 0.16, 0.73, 0.11, 0.39, 0.52, 0.43, 0.59, 0.74, 0.96, 0.28, 0.65, 0.7, 0.29, 0.0, 0.97, 0.3, 0.31,
  0.89, 0.59, 0.47, 0.77, 0.03, 0.71, 0.37, 0.09, 0.66, 0.93, 0.21, 0.63, 0.3, 0.74, 0.72, 0.22,
];
const D = P.map((p) => (p > 0.5 ? 1 : 0));

describe('liveCalibrationStats', () => {
  it('equals sklearn / numpy figures', () => {
    // scikit-learn 1.2.1 brier_score_loss, log_loss, accuracy_score; numpy: se = v.std(ddof=1)/sqrt(n) of the
    // per-row losses and of (loss - no-skill loss), no-skill = forecasting y.mean() for every row.
    const s = liveCalibrationStats(Y, P, D);
    expect(s).toMatchObject({ n: 40, positives: 24, accuracy: 0.85, predicted_positive_rate: 0.5, base_rate: 0.6 });
    expect(s.brier).toBeCloseTo(0.14569000000000001, 15);
    expect(s.log_loss).toBeCloseTo(0.44636298541826225, 14);
    expect(s.mean_predicted).toBeCloseTo(0.491, 15);
    expect(s.brier_se).toBeCloseTo(0.027656642407037937, 15);
    expect(s.log_loss_se).toBeCloseTo(0.0664810805570215, 14);
    expect(s.accuracy_se).toBeCloseTo(0.05645794895318108, 15);
    expect(s.no_skill.brier).toBeCloseTo(0.24, 15);
    expect(s.no_skill.log_loss).toBeCloseTo(0.6730116670092564, 14); // = log_loss(y, [y.mean()] * n)
    expect(s.no_skill.brier_excess_se).toBeCloseTo(0.03474083716128133, 15);
    expect(s.no_skill.log_loss_excess_se).toBeCloseTo(0.08013399207306199, 14);
    expect(s.ece).toBeCloseTo(0.19250000000000003, 14);
    expect(s.calibration.table).toHaveLength(10);
  });

  it('gives the baseline figures a version stores', () => {
    const s = liveCalibrationStats(Y, P, D);
    expect(calibrationBaseline(s)).toEqual({
      brier: s.brier,
      log_loss: s.log_loss,
      ece: s.ece,
      accuracy: 0.85,
      predicted_positive_rate: 0.5,
      mean_predicted: s.mean_predicted,
      base_rate: 0.6,
    });
  });

  it('checks its inputs', () => {
    expect(() => liveCalibrationStats([0, 1], [0.2, 0.8], [0, 2])).toThrow('decisions: label at row 1 is 2');
    expect(() => liveCalibrationStats([1], [0.2], [0])).toThrow('at least 2 rows');
    expect(() => liveCalibrationStats([0, 1], [0.2, 0.8], [0])).toThrow('differ in length');
  });
});
