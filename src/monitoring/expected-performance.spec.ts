import { pickExpected } from '../training/calibration-baseline';
import { CBPE_ASSUMPTION, estimatePerformance } from '../training/evaluation/confidence-based-performance';
import { assessExpected } from './expected-performance';
import { balanced, collapse, synthetic, syntheticVersion, truth } from './testing/synthetic-served';

const baseline = syntheticVersion().saved.expected;

describe('assessExpected', () => {
  it('estimates from P(yes) and the decisions served, without any outcome, beside the validation estimate', () => {
    const rows = synthetic(2, 1000, truth, balanced);
    const report = assessExpected(rows.probabilities, rows.decisions, baseline, 200);
    const full = estimatePerformance(rows.probabilities, { decisions: rows.decisions });
    expect(report).toMatchObject({
      method: 'cbpe',
      assumption: CBPE_ASSUMPTION,
      triggers_heal: false,
      window_size: 1000,
      min_predictions: 200,
    });
    expect(report.estimate).toEqual({ ...full, method: undefined, assumption: undefined, triggers_heal: undefined });
    expect(report.estimate).not.toHaveProperty('method');
    expect(report.baseline).toBe(baseline);
    const expected = pickExpected(full);
    for (const [name, value] of Object.entries(report.change!)) {
      const key = name as keyof typeof expected;
      expect(value).toBeCloseTo(expected[key]! - baseline[key]!, 15);
    }
    // Rows like the validation rows: the estimate barely moves from the validation estimate.
    expect(Math.abs(report.change!.accuracy!)).toBeLessThan(0.03);
  });

  it("cannot see the issue's collapse: it expects the model to be right where it is confident", () => {
    const rows = collapse(3, 1000);
    const report = assessExpected(rows.probabilities, rows.decisions, baseline, 200);
    let correct = 0;
    rows.actual.forEach((y, i) => (correct += y === rows.decisions[i] ? 1 : 0));
    // Realised accuracy about 0.5, expected far higher: why it may never trigger a heal.
    expect(correct / 1000).toBeLessThan(0.56);
    expect(report.estimate!.accuracy).toBeGreaterThan(0.8);
  });

  it('gives no estimate below the minimum, and says why', () => {
    const rows = synthetic(4, 50, truth, balanced);
    expect(assessExpected(rows.probabilities, rows.decisions, baseline, 200)).toMatchObject({
      window_size: 50,
      estimate: null,
      change: null,
      baseline,
      reasons: ['50 predictions, fewer than the 200 needed'],
    });
    expect(assessExpected(new Float64Array(0), new Uint8Array(0), null, 1).reasons).toEqual(['0 predictions, fewer than the 1 needed']);
  });

  it('has no change without a validation estimate (a version saved before it was recorded), and null where a figure is undefined', () => {
    const rows = synthetic(5, 300, truth, balanced);
    expect(assessExpected(rows.probabilities, rows.decisions, null, 200)).toMatchObject({ baseline: null, change: null });
    // Every P(yes) 0: no expected positives, so no expected ROC-AUC, and its change is null too.
    const zeros = new Float64Array(300);
    const report = assessExpected(zeros, new Uint8Array(300), baseline, 200);
    expect(report.estimate!.roc_auc).toBeNull();
    expect(report.change!.roc_auc).toBeNull();
    expect(report.change!.accuracy).toBeCloseTo(1 - baseline.accuracy, 15);
  });

  it('checks its minimum and its input', () => {
    const rows = synthetic(6, 10, truth, balanced);
    expect(() => assessExpected(rows.probabilities, rows.decisions, null, 0)).toThrow('minPredictions must be an integer >= 1');
    expect(() => assessExpected(Float64Array.from([0.2, 1.5]), Uint8Array.from([0, 1]), null, 1)).toThrow('probability at row 1 is 1.5');
  });
});
