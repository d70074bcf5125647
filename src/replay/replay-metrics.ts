import { brierScore, decisionMetrics, rocAuc } from '../training/metrics';

/** How one policy did on a set of rows; ROC-AUC is null when the rows hold one class only. */
export interface PolicyMetrics {
  n: number;
  positives: number;
  roc_auc: number | null;
  f1_score: number;
  brier_score: number;
  precision: number;
  recall: number;
}

/** `decisions`: the served yes/no of each row (models differ in threshold, so not P(yes) > 0.5). */
export function policyMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>, decisions: ArrayLike<number>): PolicyMetrics {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const hard = decisionMetrics(labels, decisions);
  return {
    n: labels.length,
    positives,
    roc_auc: positives === 0 || positives === labels.length ? null : rocAuc(labels, probabilities),
    f1_score: hard.f1_score,
    brier_score: brierScore(labels, probabilities),
    precision: hard.precision,
    recall: hard.recall,
  };
}
