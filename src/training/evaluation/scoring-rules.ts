import { brierScore } from '../metrics';
import { assertLabelledProbabilities } from './probability-inputs';

/**
 * Proper scoring rules per row and on average. They live in monitoring (not in healing) because
 * live monitoring needs them too, and healing may import monitoring but not the reverse.
 */

/**
 * Probabilities are clipped to [eps, 1 - eps] before the logarithm, as scikit-learn's log_loss does
 * with its default eps ("auto": the float64 machine epsilon, 2.220446049250313e-16): a confident
 * wrong answer costs at most -ln(eps) = 36.04 instead of infinity.
 */
export const LOG_LOSS_EPS = Number.EPSILON;

export type ProperScore = 'log_loss' | 'brier';

/** -[y ln p + (1 - y) ln(1 - p)] for each row, with p clipped (see LOG_LOSS_EPS). */
export function logLossPerRow(labels: ArrayLike<number>, probabilities: ArrayLike<number>): Float64Array {
  const n = assertLabelledProbabilities('logLossPerRow', labels, probabilities);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(probabilities[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    out[i] = labels[i] === 1 ? -Math.log(p) : -Math.log1p(-p);
  }
  return out;
}

/** Mean log loss: sklearn.metrics.log_loss. */
export function logLoss(labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  return mean(logLossPerRow(labels, probabilities));
}

/** (p - y)^2 for each row; its mean is training/metrics' brierScore. */
export function brierPerRow(labels: ArrayLike<number>, probabilities: ArrayLike<number>): Float64Array {
  const n = assertLabelledProbabilities('brierPerRow', labels, probabilities);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (probabilities[i] - labels[i]) ** 2;
  return out;
}

export function properScorePerRow(score: ProperScore, labels: ArrayLike<number>, probabilities: ArrayLike<number>): Float64Array {
  return score === 'log_loss' ? logLossPerRow(labels, probabilities) : brierPerRow(labels, probabilities);
}

export function properScore(score: ProperScore, labels: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  if (score === 'log_loss') return logLoss(labels, probabilities);
  assertLabelledProbabilities('brierScore', labels, probabilities);
  return brierScore(labels, probabilities);
}

export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
