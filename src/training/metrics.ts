/** Binary classification metrics, matching scikit-learn's definitions (zero division -> 0). */
export interface ClassificationMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1_score: number;
  roc_auc: number;
}

export interface ProbabilityMetrics extends ClassificationMetrics {
  brier_score: number;
  /** Share of rows predicted positive at the threshold. */
  positive_rate: number;
  n: number;
}

export const DEFAULT_THRESHOLD = 0.5;

function assertSameLength(yTrue: ArrayLike<number>, other: ArrayLike<number>): void {
  if (yTrue.length !== other.length) throw new Error('labels and scores differ in length');
  if (yTrue.length === 0) throw new Error('metrics need at least one row');
}

/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney U) formula with tied scores given their
 * average rank: equal to sklearn's roc_auc_score. Throws when only one class is present, as sklearn.
 */
export function rocAuc(yTrue: ArrayLike<number>, scores: ArrayLike<number>): number {
  assertSameLength(yTrue, scores);
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let nPositive = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]] === scores[order[start]]) end++;
    const averageRank = (start + end) / 2 + 1; // ranks are 1-based
    for (let k = start; k <= end; k++) {
      if (yTrue[order[k]] === 1) {
        nPositive++;
        positiveRankSum += averageRank;
      }
    }
    start = end + 1;
  }
  const nNegative = n - nPositive;
  if (nPositive === 0 || nNegative === 0) throw new Error('ROC AUC is undefined with only one class present');
  return (positiveRankSum - (nPositive * (nPositive + 1)) / 2) / (nPositive * nNegative);
}

/** Mean squared difference between P(yes) and the 0/1 outcome. */
export function brierScore(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  assertSameLength(yTrue, probabilities);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += (probabilities[i] - yTrue[i]) ** 2;
  return sum / yTrue.length;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

export type DecisionMetrics = Pick<ProbabilityMetrics, 'accuracy' | 'precision' | 'recall' | 'f1_score' | 'positive_rate'>;

/** The metrics of the hard predictions (P(yes) > threshold, as sklearn's decision > 0); defined for one class too. */
function thresholdMetrics(yTrue: ArrayLike<number>, probabilities: ArrayLike<number>, threshold = DEFAULT_THRESHOLD): DecisionMetrics {
  assertSameLength(yTrue, probabilities);
  return decisionMetrics(
    yTrue,
    Uint8Array.from({ length: probabilities.length }, (_, i) => (probabilities[i] > threshold ? 1 : 0)),
  );
}

/** The metrics of given 0/1 decisions (each perhaps from a model with its own threshold). */
export function decisionMetrics(yTrue: ArrayLike<number>, predicted: ArrayLike<number>): DecisionMetrics {
  assertSameLength(yTrue, predicted);
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (predicted[i] === 1) {
      if (yTrue[i] === 1) tp++;
      else fp++;
    } else if (yTrue[i] === 1) fn++;
    else tn++;
  }
  const n = yTrue.length;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1_score: ratio(2 * precision * recall, precision + recall),
    positive_rate: (tp + fp) / n,
  };
}

/** All metrics of P(yes) scores against 0/1 labels (needs both classes, for ROC-AUC). */
export function evaluateProbabilities(
  yTrue: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold = DEFAULT_THRESHOLD,
): ProbabilityMetrics {
  return {
    ...thresholdMetrics(yTrue, probabilities, threshold),
    roc_auc: rocAuc(yTrue, probabilities),
    brier_score: brierScore(yTrue, probabilities),
    n: yTrue.length,
  };
}
