import { createSeededRandom } from '../../preprocessing/seeded-random';
import { brierScore, evaluateProbabilities } from '../metrics';
import { estimatePerformance, expectedRocAuc } from './confidence-based-performance';
import { logLoss } from './scoring-rules';

describe('estimatePerformance (CBPE)', () => {
  it('gives the expected confusion matrix and metrics of a small case (by hand, checked with numpy)', () => {
    // Decided yes: 0.9, 0.8, 0.6 -> TP = 2.3, FP = 0.7; decided no: 0.3, 0.2 -> FN = 0.5, TN = 1.5.
    const e = estimatePerformance([0.9, 0.8, 0.3, 0.2, 0.6], { threshold: 0.5 });
    expect(e.expected_confusion.tp).toBeCloseTo(2.3, 15);
    expect(e.expected_confusion.fp).toBeCloseTo(0.7, 15);
    expect(e.expected_confusion.fn).toBeCloseTo(0.5, 15);
    expect(e.expected_confusion.tn).toBeCloseTo(1.5, 15);
    expect(e.accuracy).toBeCloseTo(0.76, 15);
    expect(e.precision).toBeCloseTo(0.7666666666666667, 15);
    expect(e.recall).toBeCloseTo(0.8214285714285714, 15);
    expect(e.f1_score).toBeCloseTo(0.7931034482758621, 15);
    expect(e.brier_score).toBeCloseTo(0.172, 15); // mean p(1-p)
    expect(e.log_loss).toBeCloseTo(0.5219527579063948, 14); // mean entropy
    expect(e.accuracy_sd).toBeCloseTo(0.18547236990991406, 15);
    expect(e).toMatchObject({ method: 'cbpe', triggers_heal: false, n: 5, positive_rate: 0.6 });
    expect(e.base_rate).toBeCloseTo(0.56, 15);
    expect(e.assumption).toContain('valid only if P(yes) is calibrated');
  });

  it("estimates ROC-AUC as NannyML's estimate_roc_auc does (ties as one step of the curve)", () => {
    // numpy port of NannyML's estimate_roc_auc (without its rounding to 5 decimals) + sklearn.metrics.auc.
    expect(expectedRocAuc([0.9, 0.8, 0.3, 0.2, 0.6])).toBeCloseTo(0.8084415584415583, 14);
    // With ties, grouped; equal to sum p_i (1 - p_j) [s_i > s_j] (+ half when tied) / (sum p * sum (1 - p)).
    expect(expectedRocAuc([0.9, 0.6, 0.6, 0.3, 0.6, 0.1, 0.3, 0.75])).toBeCloseTo(0.7738225629791895, 14);
    expect(expectedRocAuc([0, 0, 0])).toBeNull();
    expect(expectedRocAuc([1, 1])).toBeNull();
  });

  it('uses the decisions served when given (a window may mix thresholds)', () => {
    const e = estimatePerformance([0.9, 0.8, 0.3, 0.2, 0.6], { decisions: [1, 1, 1, 0, 0] });
    expect(e.expected_confusion.tp).toBeCloseTo(2.0, 15);
    expect(e.positive_rate).toBe(0.6);
  });

  it('on outcomes drawn from the probabilities, matches the realised metrics averaged over many draws', () => {
    const random = createSeededRandom(21);
    const p = Float64Array.from({ length: 2000 }, () => random() ** 1.8); // skewed towards "no", like the bank data
    const e = estimatePerformance(p, { threshold: 0.3 });
    const sum = { accuracy: 0, precision: 0, recall: 0, f1_score: 0, roc_auc: 0, brier: 0, log_loss: 0 };
    const draws = 200;
    for (let k = 0; k < draws; k++) {
      const y = Uint8Array.from(p, (q) => (random() < q ? 1 : 0));
      const m = evaluateProbabilities(y, p, 0.3);
      sum.accuracy += m.accuracy / draws;
      sum.precision += m.precision / draws;
      sum.recall += m.recall / draws;
      sum.f1_score += m.f1_score / draws;
      sum.roc_auc += m.roc_auc / draws;
      sum.brier += brierScore(y, p) / draws;
      sum.log_loss += logLoss(y, p) / draws;
    }
    // Accuracy and Brier are linear in the outcomes: exact in expectation (within Monte Carlo error).
    expect(Math.abs(sum.accuracy - e.accuracy)).toBeLessThan(0.002);
    expect(Math.abs(sum.brier - e.brier_score)).toBeLessThan(0.001);
    expect(Math.abs(sum.log_loss - e.log_loss)).toBeLessThan(0.003);
    // The others are ratios: ratio of expectations vs expectation of the ratio, close on 2,000 rows.
    expect(Math.abs(sum.precision - e.precision)).toBeLessThan(0.002);
    expect(Math.abs(sum.recall - e.recall)).toBeLessThan(0.002);
    expect(Math.abs(sum.f1_score - e.f1_score)).toBeLessThan(0.002);
    expect(Math.abs(sum.roc_auc - e.roc_auc!)).toBeLessThan(0.002);
  });

  it('checks its inputs', () => {
    expect(() => estimatePerformance([], { threshold: 0.5 })).toThrow('at least one row');
    expect(() => estimatePerformance([0.2, 1.2], { threshold: 0.5 })).toThrow('probability at row 1 is 1.2');
    expect(() => estimatePerformance([0.2, 0.4], { threshold: 2 })).toThrow('threshold must be in [0, 1]');
    expect(() => estimatePerformance([0.2, 0.4], { decisions: [1] })).toThrow('differ in length');
    expect(() => estimatePerformance([0.2, 0.4], { decisions: [1, 3] })).toThrow('label at row 1 is 3');
  });
});
