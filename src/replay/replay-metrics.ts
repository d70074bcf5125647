import { logLoss } from '../training/evaluation/scoring-rules';
import { brierScore, decisionMetrics, rocAuc } from '../training/metrics';

/** How one policy did on a set of rows; ROC-AUC is null when the rows hold one class only. */
export interface PolicyMetrics {
  n: number;
  positives: number;
  roc_auc: number | null;
  f1_score: number;
  brier_score: number;
  /** Mean log loss, P(yes) clipped as scikit-learn's log_loss does. */
  log_loss: number;
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
    log_loss: logLoss(labels, probabilities),
    precision: hard.precision,
    recall: hard.recall,
  };
}

/** The mean of the chunks' ROC-AUCs, over the chunks that have one (null if none has). */
export function meanChunkRocAuc(chunks: readonly PolicyMetrics[]): number | null {
  const aucs = chunks.map((c) => c.roc_auc).filter((v): v is number => v !== null);
  return aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length;
}

/** A policy's figures over a whole replay. */
export interface PolicySummary {
  /** Every replayed row. */
  overall: PolicyMetrics;
  /**
   * The rows after the first chunk (null when there is only one): the first chunk is served by
   * the initial model under every policy, before any outcome exists, so no policy can change it.
   */
  after_first_chunk: PolicyMetrics | null;
  /** Mean of the per-chunk ROC-AUCs over all chunks: ranking within each period, free of the base-rate swings between them. */
  mean_chunk_roc_auc: number | null;
}

/**
 * One policy's served P(yes) and decisions, chunk by chunk, and its metrics per chunk; then its
 * summary over the whole replay.
 */
export class PolicyTrack {
  readonly chunks: PolicyMetrics[] = [];
  private readonly labels: number[] = [];
  private readonly probabilities: number[] = [];
  private readonly decisions: number[] = [];
  private firstChunkRows: number | null = null;

  /** Adds a chunk's rows; returns its metrics. */
  add(labels: ArrayLike<number>, probabilities: ArrayLike<number>, decisions: ArrayLike<number>): PolicyMetrics {
    const metrics = policyMetrics(labels, probabilities, decisions);
    this.chunks.push(metrics);
    this.firstChunkRows ??= labels.length;
    // A loop, not push(...column): spreading a column of 150,000 rows overflows the stack.
    for (let i = 0; i < labels.length; i++) {
      this.labels.push(labels[i]);
      this.probabilities.push(probabilities[i]);
      this.decisions.push(decisions[i]);
    }
    return metrics;
  }

  summary(): PolicySummary {
    const from = this.firstChunkRows ?? 0;
    return {
      overall: policyMetrics(this.labels, this.probabilities, this.decisions),
      after_first_chunk:
        from < this.labels.length
          ? policyMetrics(this.labels.slice(from), this.probabilities.slice(from), this.decisions.slice(from))
          : null,
      mean_chunk_roc_auc: meanChunkRocAuc(this.chunks),
    };
  }
}
