import { VersionCalibration, assessCalibration, versionCalibration } from './calibration-performance';
import { DEFAULT_CALIBRATION_RULES } from './calibration/calibration-verdict';
import { balanced, collapse, synthetic, syntheticVersion, truth } from './testing/synthetic-served';

const { metrics: validationMetrics, saved, stats, baselineMetrics, calibration: current } = syntheticVersion();
const older = versionCalibration(baselineMetrics(null), stats);
const RULES = DEFAULT_CALIBRATION_RULES;
const judge = (rows: ReturnType<typeof synthetic>, baseline: VersionCalibration = current) =>
  assessCalibration(rows.actual, rows.probabilities, rows.decisions, baseline, RULES);

describe('versionCalibration', () => {
  it('takes the saved validation calibration of a current version, with its bins', () => {
    expect(current).toEqual({
      source: 'validation_calibration',
      bins: 10,
      figures: {
        brier: saved.brier,
        log_loss: saved.log_loss,
        ece: saved.ece,
        accuracy: saved.accuracy,
        predicted_positive_rate: saved.predicted_positive_rate,
        mean_predicted: saved.mean_predicted,
        base_rate: saved.base_rate,
      },
    });
  });

  it('falls back, for an older version, on its validation metrics and stats, leaving what they lack null', () => {
    expect(older).toEqual({
      source: 'validation_metrics',
      bins: 10,
      figures: {
        brier: validationMetrics.brier_score,
        log_loss: null,
        ece: null,
        accuracy: validationMetrics.accuracy,
        predicted_positive_rate: validationMetrics.positive_rate,
        mean_predicted: null,
        base_rate: saved.base_rate,
      },
    });
    // The two sources agree on what both hold.
    for (const name of ['brier', 'accuracy', 'predicted_positive_rate'] as const) {
      expect(older.figures[name]).toBeCloseTo(current.figures[name], 12);
    }
  });
});

describe('assessCalibration', () => {
  it('is healthy on rows like the validation rows, with live figures, their change and the reliability table', () => {
    const report = judge(synthetic(3, 1000, truth, balanced));
    expect(report.verdict).toBe('healthy');
    expect(report.reasons).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.baseline).toEqual({ ...current.figures, source: 'validation_calibration' });
    const live = report.live!;
    expect(live.n).toBe(1000);
    expect(live.reliability).toHaveLength(10);
    expect(live.reliability.reduce((sum, bin) => sum + bin.count, 0)).toBe(1000);
    expect(live.mce).toBeGreaterThanOrEqual(live.ece);
    expect(live.ece_noise.expected_if_calibrated).toBeGreaterThan(0);
    expect(live).not.toHaveProperty('calibration');
    expect(report.change!.brier).toBeCloseTo(live.brier - saved.brier, 15);
    expect(report.change!.ece).toBeCloseTo(live.ece - saved.ece, 15);
    expect(report.change!.base_rate).toBeCloseTo(live.base_rate - saved.base_rate, 15);
  });

  it("is degraded in the issue's collapse, one reason per rule broken", () => {
    const report = judge(collapse(2, 1000));
    expect(report.verdict).toBe('degraded');
    expect(report.reasons.map((r) => r.split(' ')[0])).toEqual(['Brier', 'log', 'mean', 'predicted', 'accuracy', 'ECE']);
    expect(report.live!.predicted_positive_rate).toBeGreaterThan(0.95);
  });

  it('judges an older version by the rules its baseline allows, saying which it skipped, with null changes for those', () => {
    const report = judge(collapse(2, 1000), older);
    expect(report.verdict).toBe('degraded');
    expect(report.reasons.map((r) => r.split(' ')[0])).toEqual(['Brier', 'predicted', 'accuracy']);
    expect(report.skipped).toHaveLength(3);
    expect(report.baseline.source).toBe('validation_metrics');
    expect(report.change).toMatchObject({ log_loss: null, ece: null, mean_predicted: null });
    expect(report.change!.accuracy).toBeLessThan(-0.2);
  });

  it('is insufficient_data, with no live figures, below the minimum of rows or of a class', () => {
    const few = synthetic(4, 150, truth, balanced);
    expect(judge(few)).toMatchObject({
      verdict: 'insufficient_data',
      reasons: ['150 labelled predictions, fewer than the 200 needed'],
      live: null,
      change: null,
    });
    const none = assessCalibration(new Uint8Array(0), new Float64Array(0), new Uint8Array(0), current, RULES);
    expect(none.reasons).toEqual(['0 labelled predictions, fewer than the 200 needed']);
    const noYes = synthetic(5, 300, () => 0, balanced);
    expect(judge(noYes).reasons).toEqual(['0 positives and 300 negatives: fewer than 10 of a class']);
  });
});
