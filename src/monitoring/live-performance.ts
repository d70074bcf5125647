import { ProbabilityMetrics, brierScore, decisionMetrics, rocAuc } from '../training/metrics';

export interface PerformanceRules {
  /** Fewer labelled rows than this (or one class only) is `insufficient_data`. */
  minLabels: number;
  /** Degraded when ROC-AUC is more than this below the baseline. */
  aucDrop: number;
  /** Degraded when F1 is more than this below the baseline. */
  f1Drop: number;
}

type Figures = Pick<ProbabilityMetrics, 'accuracy' | 'precision' | 'recall' | 'f1_score' | 'roc_auc' | 'brier_score' | 'positive_rate'>;

export interface LivePerformance {
  verdict: 'healthy' | 'degraded' | 'insufficient_data';
  n_labelled: number;
  n_positive: number;
  min_labels: number;
  /** Null when there is too little labelled data to compute them. */
  live: Figures | null;
  baseline: Figures;
  /** live - baseline, per metric (null with `live`). */
  change: Figures | null;
  reasons: string[];
}

const FIGURES = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score', 'positive_rate'] as const;

function pick(metrics: ProbabilityMetrics): Figures {
  const out = {} as Figures;
  for (const name of FIGURES) out[name] = metrics[name];
  return out;
}

/**
 * Scores served predictions against their outcomes and compares them to the validation
 * baseline: degraded when ROC-AUC or F1 fell further than the rules allow. F1 and the other
 * yes/no figures come from the `decisions` served (1 = "yes"): the window may hold predictions
 * of versions with other thresholds than the active one.
 */
export function assessPerformance(
  actual: Uint8Array,
  probabilities: Float64Array,
  decisions: Uint8Array,
  baseline: ProbabilityMetrics,
  rules: PerformanceRules,
): LivePerformance {
  const n = actual.length;
  let positives = 0;
  for (const y of actual) positives += y;
  const base = pick(baseline);
  const common = { n_labelled: n, n_positive: positives, min_labels: rules.minLabels, baseline: base };
  if (n < rules.minLabels || positives === 0 || positives === n) {
    const why =
      n < rules.minLabels
        ? `${n} labelled predictions, fewer than the ${rules.minLabels} needed`
        : `the ${n} labelled predictions hold one class only`;
    return { ...common, verdict: 'insufficient_data', live: null, change: null, reasons: [why] };
  }
  const live = pick({
    ...decisionMetrics(actual, decisions),
    roc_auc: rocAuc(actual, probabilities),
    brier_score: brierScore(actual, probabilities),
    n,
  });
  const change = {} as Figures;
  for (const name of FIGURES) change[name] = live[name] - base[name];
  const reasons: string[] = [];
  if (base.roc_auc - live.roc_auc > rules.aucDrop) {
    reasons.push(
      `ROC-AUC ${live.roc_auc.toFixed(4)} is ${(base.roc_auc - live.roc_auc).toFixed(4)} below the baseline ${base.roc_auc.toFixed(4)} (allowed drop ${rules.aucDrop})`,
    );
  }
  if (base.f1_score - live.f1_score > rules.f1Drop) {
    reasons.push(
      `F1 ${live.f1_score.toFixed(4)} is ${(base.f1_score - live.f1_score).toFixed(4)} below the baseline ${base.f1_score.toFixed(4)} (allowed drop ${rules.f1Drop})`,
    );
  }
  return { ...common, verdict: reasons.length > 0 ? 'degraded' : 'healthy', live, change, reasons };
}
