import { ProbabilityMetrics } from '../training/metrics';
import { PerformanceRules, assessLivePerformance, assessPerformance } from './live-performance';
import { balanced, collapse, synthetic, syntheticVersion, truth } from './testing/synthetic-served';

/**
 * Live rows used throughout, worked out by hand:
 *   y = [0, 0, 1, 1], p = [0.1, 0.4, 0.35, 0.8]
 *   ROC-AUC: pairs (positive, negative): 0.35>0.1, 0.35<0.4, 0.8>0.1, 0.8>0.4 -> 3/4 = 0.75
 *   Brier: (0.01 + 0.16 + 0.4225 + 0.04) / 4 = 0.158125
 *   threshold 0.5: only 0.8 is "yes" -> TP 1, FP 0, FN 1, TN 2
 *     accuracy 3/4, precision 1, recall 1/2, F1 = 2*1*0.5/1.5 = 2/3, positive rate 1/4
 */
const Y = Uint8Array.from([0, 0, 1, 1]);
const P = Float64Array.from([0.1, 0.4, 0.35, 0.8]);
const LIVE = { accuracy: 0.75, precision: 1, recall: 0.5, f1_score: 2 / 3, roc_auc: 0.75, brier_score: 0.158125, positive_rate: 0.25 };

function baseline(overrides: Partial<ProbabilityMetrics> = {}): ProbabilityMetrics {
  return {
    accuracy: 0.8,
    precision: 0.5,
    recall: 0.6,
    f1_score: 0.55,
    roc_auc: 0.8,
    brier_score: 0.15,
    positive_rate: 0.2,
    n: 600,
    ...overrides,
  };
}

const RULES: PerformanceRules = { minLabels: 4, aucDrop: 0.1, f1Drop: 0.1 };
/** The decisions a model with this threshold served. */
const at = (p: Float64Array, threshold = 0.5) => Uint8Array.from(p, (v) => (v > threshold ? 1 : 0));

describe('assessPerformance', () => {
  describe('insufficient_data', () => {
    it('below minLabels: no live figures, a reason with both counts, the baseline without n', () => {
      const result = assessPerformance(Y, P, at(P), baseline(), { ...RULES, minLabels: 5 });
      expect(result).toEqual({
        verdict: 'insufficient_data',
        n_labelled: 4,
        n_positive: 2,
        min_labels: 5,
        live: null,
        change: null,
        baseline: { accuracy: 0.8, precision: 0.5, recall: 0.6, f1_score: 0.55, roc_auc: 0.8, brier_score: 0.15, positive_rate: 0.2 },
        reasons: ['4 labelled predictions, fewer than the 5 needed'],
      });
    });

    it('with no labelled rows at all', () => {
      const result = assessPerformance(new Uint8Array(0), new Float64Array(0), new Uint8Array(0), baseline(), RULES);
      expect(result.verdict).toBe('insufficient_data');
      expect(result.n_labelled).toBe(0);
      expect(result.n_positive).toBe(0);
      expect(result.reasons).toEqual(['0 labelled predictions, fewer than the 4 needed']);
    });

    it('with only "yes" outcomes, however many', () => {
      const result = assessPerformance(
        Uint8Array.from([1, 1, 1, 1, 1]),
        Float64Array.from([0.9, 0.2, 0.7, 0.6, 0.1]),
        at(Float64Array.from([0.9, 0.2, 0.7, 0.6, 0.1])),
        baseline(),
        RULES,
      );
      expect(result.verdict).toBe('insufficient_data');
      expect(result.n_positive).toBe(5);
      expect(result.live).toBeNull();
      expect(result.change).toBeNull();
      expect(result.reasons).toEqual(['the 5 labelled predictions hold one class only']);
    });

    it('with only "no" outcomes', () => {
      const result = assessPerformance(
        Uint8Array.from([0, 0, 0, 0]),
        Float64Array.from([0.9, 0.2, 0.7, 0.6]),
        at(Float64Array.from([0.9, 0.2, 0.7, 0.6])),
        baseline(),
        RULES,
      );
      expect(result.verdict).toBe('insufficient_data');
      expect(result.n_positive).toBe(0);
      expect(result.reasons).toEqual(['the 4 labelled predictions hold one class only']);
    });

    it('reports too few rows rather than one class when both apply', () => {
      const result = assessPerformance(
        Uint8Array.from([1, 1]),
        Float64Array.from([0.9, 0.8]),
        at(Float64Array.from([0.9, 0.8])),
        baseline(),
        RULES,
      );
      expect(result.reasons).toEqual(['2 labelled predictions, fewer than the 4 needed']);
    });
  });

  describe('with enough labelled rows', () => {
    it('scores the live rows exactly as worked out by hand', () => {
      const result = assessPerformance(Y, P, at(P), baseline(), RULES);
      expect(result.n_labelled).toBe(4);
      expect(result.n_positive).toBe(2);
      expect(result.min_labels).toBe(4);
      expect(Object.keys(result.live!).sort()).toEqual(Object.keys(LIVE).sort());
      for (const [name, value] of Object.entries(LIVE)) {
        expect(result.live![name as keyof typeof LIVE]).toBeCloseTo(value, 12);
      }
    });

    it('reports change = live - baseline for every figure', () => {
      const result = assessPerformance(Y, P, at(P), baseline(), RULES);
      const expected = {
        accuracy: 0.75 - 0.8, // -0.05
        precision: 1 - 0.5, // 0.5
        recall: 0.5 - 0.6, // -0.1
        f1_score: 2 / 3 - 0.55, // 0.11667
        roc_auc: 0.75 - 0.8, // -0.05
        brier_score: 0.158125 - 0.15, // 0.008125
        positive_rate: 0.25 - 0.2, // 0.05
      };
      expect(Object.keys(result.change!).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, value] of Object.entries(expected)) {
        expect(result.change![name as keyof typeof expected]).toBeCloseTo(value, 12);
      }
      expect(result.change!.brier_score).toBeCloseTo(0.008125, 12);
      expect(result.change!.f1_score).toBeCloseTo(0.1166666667, 9);
    });

    it('is healthy when neither ROC-AUC nor F1 fell further than allowed', () => {
      const result = assessPerformance(Y, P, at(P), baseline(), RULES);
      expect(result.verdict).toBe('healthy');
      expect(result.reasons).toEqual([]);
    });

    it('is healthy when the drop equals the allowed drop exactly (the rule is strictly "more than")', () => {
      // baseline ROC-AUC 1.0, live 0.75: a drop of exactly 0.25 (all exactly representable)
      const result = assessPerformance(Y, P, at(P), baseline({ roc_auc: 1, f1_score: 2 / 3 }), { ...RULES, aucDrop: 0.25, f1Drop: 0 });
      expect(result.verdict).toBe('healthy');
    });

    it('is degraded by a ROC-AUC drop, with a reason giving live, drop, baseline and the rule', () => {
      // 0.9 - 0.75 = 0.15 > 0.1; F1 rises (2/3 vs 0.55)
      const result = assessPerformance(Y, P, at(P), baseline({ roc_auc: 0.9 }), RULES);
      expect(result.verdict).toBe('degraded');
      expect(result.reasons).toEqual(['ROC-AUC 0.7500 is 0.1500 below the baseline 0.9000 (allowed drop 0.1)']);
      expect(result.change!.roc_auc).toBeCloseTo(-0.15, 12);
    });

    it('is degraded by an F1 drop, with its reason', () => {
      // 0.8 - 2/3 = 0.1333 > 0.1; ROC-AUC equals the baseline
      const result = assessPerformance(Y, P, at(P), baseline({ f1_score: 0.8, roc_auc: 0.75 }), RULES);
      expect(result.verdict).toBe('degraded');
      expect(result.reasons).toEqual(['F1 0.6667 is 0.1333 below the baseline 0.8000 (allowed drop 0.1)']);
      expect(result.change!.f1_score).toBeCloseTo(2 / 3 - 0.8, 12);
    });

    it('gives both reasons, ROC-AUC first, when both fell too far', () => {
      const result = assessPerformance(Y, P, at(P), baseline({ roc_auc: 0.95, f1_score: 0.9 }), { ...RULES, aucDrop: 0.05, f1Drop: 0.2 });
      expect(result.verdict).toBe('degraded');
      expect(result.reasons).toEqual([
        'ROC-AUC 0.7500 is 0.2000 below the baseline 0.9500 (allowed drop 0.05)',
        'F1 0.6667 is 0.2333 below the baseline 0.9000 (allowed drop 0.2)',
      ]);
    });

    it('does not count a rise of Brier or a fall of accuracy as degradation', () => {
      const result = assessPerformance(Y, P, at(P), baseline({ brier_score: 0.01, accuracy: 1, roc_auc: 0.75, f1_score: 2 / 3 }), RULES);
      expect(result.verdict).toBe('healthy');
    });

    it('takes the hard predictions from the decisions served', () => {
      // threshold 0.3: 0.4, 0.35 and 0.8 are "yes" -> TP 2, FP 1, FN 0, TN 1
      // accuracy 3/4, precision 2/3, recall 1, F1 = 2*(2/3)/(5/3) = 0.8, positive rate 3/4
      const result = assessPerformance(Y, P, at(P, 0.3), baseline(), RULES);
      expect(result.live!.precision).toBeCloseTo(2 / 3, 12);
      expect(result.live!.recall).toBe(1);
      expect(result.live!.f1_score).toBeCloseTo(0.8, 12);
      expect(result.live!.accuracy).toBe(0.75);
      expect(result.live!.positive_rate).toBe(0.75);
      expect(result.live!.roc_auc).toBe(0.75); // threshold-free
    });

    it('leaves the baseline out of live figures and never reports n in them', () => {
      const result = assessPerformance(Y, P, at(P), baseline(), RULES);
      expect(result.baseline).not.toHaveProperty('n');
      expect(result.live).not.toHaveProperty('n');
    });
  });
});

describe('assessLivePerformance', () => {
  const { metrics: validationMetrics, input } = syntheticVersion();

  it('keeps the ROC-AUC and F1 report as it was, and adds calibration and the label-free estimate', () => {
    const rows = synthetic(3, 1000, truth, balanced);
    const report = assessLivePerformance(input(rows));
    const ranking = assessPerformance(rows.actual, rows.probabilities, rows.decisions, validationMetrics, input(rows).rules);
    expect(report).toMatchObject(ranking);
    expect(report.verdict).toBe('healthy');
    expect(report.calibration.verdict).toBe('healthy');
    expect(report.expected.estimate!.accuracy).toBeGreaterThan(0);
    expect(report.expected.triggers_heal).toBe(false);
  });

  it('is degraded by a calibration collapse alone, with the calibration reasons', () => {
    const rows = collapse(2, 1000);
    // A baseline whose ROC-AUC and F1 the live window does not fall below: only calibration can say degraded.
    const report = assessLivePerformance(input(rows, rows, { ...validationMetrics, roc_auc: 0.5, f1_score: 0 }));
    expect(report.calibration.verdict).toBe('degraded');
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual(report.calibration.reasons);
    expect(report.reasons[0]).toMatch(/^Brier /);
  });

  it('puts the ROC-AUC and F1 reasons first when both are broken', () => {
    const rows = collapse(2, 1000);
    const report = assessLivePerformance(input(rows, rows, { ...validationMetrics, roc_auc: 0.99, f1_score: 0.99 }));
    expect(report.verdict).toBe('degraded');
    expect(report.reasons.slice(0, 2).map((r) => r.split(' ')[0])).toEqual(['ROC-AUC', 'F1']);
    expect(report.reasons.slice(2)).toEqual(report.calibration.reasons);
  });

  it('is degraded by ROC-AUC alone while calibration lacks a class to judge', () => {
    const rows = synthetic(4, 400, (x) => (x > 2.4 ? 1 : 0), balanced);
    const positives = rows.actual.reduce((sum, y) => sum + y, 0);
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(10);
    const report = assessLivePerformance(input(rows, rows, { ...validationMetrics, roc_auc: 1.1, f1_score: 0 }));
    expect(report.calibration.verdict).toBe('insufficient_data');
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([expect.stringMatching(/^ROC-AUC /)]);
  });

  it('estimates from the recent predictions before any outcome arrives', () => {
    const recent = synthetic(5, 1000, truth, balanced);
    const none = { actual: new Uint8Array(0), probabilities: new Float64Array(0), decisions: new Uint8Array(0) };
    const report = assessLivePerformance(input(none, recent));
    expect(report.verdict).toBe('insufficient_data');
    expect(report.reasons).toEqual(['0 labelled predictions, fewer than the 200 needed']);
    expect(report.calibration).toMatchObject({ verdict: 'insufficient_data', live: null });
    expect(report.expected.window_size).toBe(1000);
    expect(report.expected.estimate).not.toBeNull();
    expect(Math.abs(report.expected.change!.accuracy!)).toBeLessThan(0.03);
  });
});
