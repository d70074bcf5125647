import { DEFAULT_CALIBRATION_RULES, calibrationInsufficiency, judgeCalibration } from './calibration-verdict';
import { CalibrationBaseline, calibrationBaseline, liveCalibrationStats } from '../../training/evaluation/live-calibration-stats';
import { balanced, sigmoid, synthetic, truth } from '../testing/synthetic-served';

/** Seeded labelled predictions (testing/synthetic-served): x ~ N(shift, 1), outcome from world(x), served P(yes) = model(x), decided at 0.5. */
function served(seed: number, n: number, world: (x: number) => number, model: (x: number) => number, shift = 0) {
  const rows = synthetic(seed, n, world, model, shift);
  return liveCalibrationStats(rows.actual, rows.probabilities, rows.decisions);
}

const calibrated = truth;

describe('judgeCalibration', () => {
  const balancedBaseline = calibrationBaseline(served(1, 6000, truth, balanced));

  it('is healthy when the window looks like the validation rows, even for a miscalibrated-by-design model', () => {
    expect(balancedBaseline.ece!).toBeGreaterThan(0.15); // far from calibrated at training time already
    expect(judgeCalibration(served(3, 1000, truth, balanced), balancedBaseline)).toEqual({ verdict: 'healthy', reasons: [], skipped: [] });
  });

  it("is degraded, with every reason, in the issue's collapse (accuracy ~0.5, Brier far up, nearly every row decided yes)", () => {
    // The world changed under the model: half the clients say yes whatever x, and x moved where it says ~0.9.
    const live = served(2, 1000, () => 0.5, balanced, 2.5);
    expect(live.predicted_positive_rate).toBeGreaterThan(0.95);
    expect(live.accuracy).toBeLessThan(0.55);
    const v = judgeCalibration(live, balancedBaseline);
    expect(v.verdict).toBe('degraded');
    expect(v.reasons.map((r) => r.split(' ')[0])).toEqual(['Brier', 'log', 'mean', 'predicted', 'accuracy', 'ECE']);
    expect(v.reasons[0]).toMatch(
      /^Brier 0\.4\d{3} is worse than the baseline 0\.1\d{3} and than the no-skill 0\.2\d{3} of forecasting the observed base rate for every row \(beyond 3 standard errors\)$/,
    );
    expect(v.reasons[3]).toMatch(
      /^predicted positive rate 0\.9\d{3} against an observed base rate of 0\.5\d{3}: a gap of 0\.4\d{3} where the baseline's was 0\.1\d{3}/,
    );
  });

  it('allows for sample size: the same shift of P(yes) is noise on 300 rows and a finding on 20,000', () => {
    const baseline = calibrationBaseline(served(4, 6000, truth, calibrated));
    const shifted = (x: number) => sigmoid(-2.2 + 1.5 * x + 0.7);
    expect(judgeCalibration(served(5, 300, truth, shifted), baseline).verdict).toBe('healthy');
    const large = judgeCalibration(served(5, 20000, truth, shifted), baseline);
    expect(large.verdict).toBe('degraded');
    expect(large.reasons[0]).toMatch(/^mean P\(yes\) 0\.25\d\d against an observed base rate of 0\.16\d\d/);
  });

  it('does not call a proper score collapsed while the model still beats the no-skill forecast', () => {
    // A weaker but calibrated model on a world with a 50% base rate: Brier worse than the baseline's, better than 0.25.
    const baseline = calibrationBaseline(served(4, 6000, truth, calibrated));
    const weak = served(
      6,
      2000,
      (x) => sigmoid(0.3 * x),
      (x) => sigmoid(0.3 * x),
    );
    expect(weak.brier).toBeGreaterThan(baseline.brier + 0.1);
    expect(weak.brier).toBeLessThan(weak.no_skill.brier);
    const v = judgeCalibration(weak, baseline);
    expect(v.reasons.some((r) => r.startsWith('Brier') || r.startsWith('log loss') || r.startsWith('ECE'))).toBe(false);
    expect(v.reasons).toEqual([expect.stringMatching(/^accuracy 0\.5\d{3} is 0\.\d{4} below the baseline 0\.8\d{3}/)]);
  });

  it('skips the ECE rule, saying so, when the baseline has no ECE', () => {
    const baseline: CalibrationBaseline = { ...balancedBaseline, ece: null };
    const v = judgeCalibration(
      served(2, 1000, () => 0.5, balanced, 2.5),
      baseline,
    );
    expect(v.skipped).toEqual(['ECE: the baseline has no ECE to compare with']);
    expect(v.reasons.some((r) => r.startsWith('ECE'))).toBe(false);
  });

  it('skips the log loss and mean P(yes) rules too, saying so, for a version saved before they were recorded', () => {
    const baseline: CalibrationBaseline = { ...balancedBaseline, log_loss: null, mean_predicted: null, ece: null };
    const v = judgeCalibration(
      served(2, 1000, () => 0.5, balanced, 2.5),
      baseline,
    );
    expect(v.skipped).toEqual([
      'log loss: the baseline has no log loss to compare with',
      'mean P(yes): the baseline has no mean P(yes) to compare with',
      'ECE: the baseline has no ECE to compare with',
    ]);
    // The rules whose figures every version has still see the collapse.
    expect(v.verdict).toBe('degraded');
    expect(v.reasons.map((r) => r.split(' ')[0])).toEqual(['Brier', 'predicted', 'accuracy']);
  });

  it('names what is missing with calibrationInsufficiency, before any statistic is computed', () => {
    const rules = DEFAULT_CALIBRATION_RULES;
    expect(calibrationInsufficiency(0, 0, rules)).toBe('0 labelled predictions, fewer than the 200 needed');
    expect(calibrationInsufficiency(500, 9, rules)).toBe('9 positives and 491 negatives: fewer than 10 of a class');
    expect(calibrationInsufficiency(500, 491, rules)).toBe('491 positives and 9 negatives: fewer than 10 of a class');
    expect(calibrationInsufficiency(200, 10, rules)).toBeNull();
  });

  it('is insufficient_data below the minimum of rows or of either class', () => {
    expect(judgeCalibration(served(7, 150, truth, balanced), balancedBaseline)).toEqual({
      verdict: 'insufficient_data',
      reasons: ['150 labelled predictions, fewer than the 200 needed'],
      skipped: [],
    });
    const rare = served(8, 300, (x) => sigmoid(-6 + x), balanced);
    expect(judgeCalibration(rare, balancedBaseline).reasons[0]).toBe(
      `${rare.positives} positives and ${rare.n - rare.positives} negatives: fewer than 10 of a class`,
    );
    expect(DEFAULT_CALIBRATION_RULES).toMatchObject({ minLabels: 200, minPerClass: 10, z: 3 });
  });

  it('checks its rules', () => {
    const live = served(3, 300, truth, balanced);
    expect(() => judgeCalibration(live, balancedBaseline, { ...DEFAULT_CALIBRATION_RULES, z: -1 })).toThrow('z must be >= 0');
    expect(() => judgeCalibration(live, balancedBaseline, { ...DEFAULT_CALIBRATION_RULES, minLabels: 1.5 })).toThrow(
      'minLabels must be an integer',
    );
  });
});
