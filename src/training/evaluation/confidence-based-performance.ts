import { assertBinaryLabels, assertProbabilities, assertSameLengths } from './probability-inputs';
import { LOG_LOSS_EPS } from './scoring-rules';

/**
 * Expected performance from the model's own probabilities, before outcomes arrive: NannyML's
 * confidence-based performance estimation (CBPE). If P(yes) is calibrated, row i is a "yes" with
 * probability p_i, so the expected confusion matrix is TP = sum of p over rows decided yes, FP = sum
 * of 1 - p there, FN and TN likewise over rows decided no; accuracy, precision, recall and F1 follow
 * from those counts (ratios of expectations, as NannyML does). Expected ROC-AUC: the ROC curve of the
 * expected TP and FP counts at every distinct score (NannyML's estimate_roc_auc; here tied scores
 * form one step, as in a real ROC curve). Expected Brier = mean p(1 - p); expected log loss = the
 * mean entropy of p.
 *
 * It never triggers a heal, by design:
 * - It holds only while P(yes | x) is what the model learned. Concept drift, the failure a heal
 *   exists for, is invisible to it: a model answering 0.95 for every row expects accuracy 0.95
 *   whatever happens (the collapse had a realised 0.505).
 * - The spec's balanced-weight model is not calibrated even at training time, so its estimates are
 *   biased from the start (compare its baseline ECE).
 * - A heal needs labels anyway: the challenger is trained and judged on labelled rows.
 * What it does see, covariate shift moving rows to where the model is less sure, is what the drift
 * check (which may trigger a heal) watches already. So it is reported next to the labelled figures
 * (in /monitoring/performance and the status) for the time before outcomes arrive, and nothing more.
 */

export const CBPE_ASSUMPTION =
  'expected values, valid only if P(yes) is calibrated on these rows (no concept drift since training); never a trigger for healing';

export interface ExpectedConfusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ExpectedPerformance {
  method: 'cbpe';
  assumption: string;
  triggers_heal: false;
  n: number;
  expected_confusion: ExpectedConfusion;
  accuracy: number;
  /** Standard deviation of the realised accuracy around the expected one, if calibrated: sqrt(sum p(1-p)) / n. */
  accuracy_sd: number;
  precision: number;
  recall: number;
  f1_score: number;
  /** Null when every p is 0 or every p is 1 (no expected positives or no expected negatives). */
  roc_auc: number | null;
  brier_score: number;
  log_loss: number;
  /** Share of rows decided yes (known, not estimated). */
  positive_rate: number;
  /** Expected share of yes outcomes: mean p. */
  base_rate: number;
}

/** Decisions as served (0/1), or P(yes) > threshold as training/metrics decides. */
export type Decisions = { threshold: number } | { decisions: ArrayLike<number> };

function decide(probabilities: ArrayLike<number>, how: Decisions): ArrayLike<number> {
  if ('decisions' in how) {
    assertSameLengths('estimatePerformance', probabilities, how.decisions);
    assertBinaryLabels('estimatePerformance decisions', how.decisions);
    return how.decisions;
  }
  if (!(how.threshold >= 0 && how.threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${how.threshold}`);
  return Uint8Array.from(probabilities, (p) => (p > how.threshold ? 1 : 0));
}

const ratio = (numerator: number, denominator: number): number => (denominator === 0 ? 0 : numerator / denominator);

/** Area under the ROC curve of expected counts: one step per distinct score, from the highest down (trapezoids). */
export function expectedRocAuc(probabilities: ArrayLike<number>): number | null {
  const n = probabilities.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
  let area = 0;
  let tp = 0;
  let fp = 0;
  for (let start = 0; start < n;) {
    let groupTp = 0;
    let groupFp = 0;
    let end = start;
    while (end < n && probabilities[order[end]] === probabilities[order[start]]) {
      groupTp += probabilities[order[end]];
      groupFp += 1 - probabilities[order[end]];
      end++;
    }
    area += groupFp * (tp + groupTp / 2);
    tp += groupTp;
    fp += groupFp;
    start = end;
  }
  return tp > 0 && fp > 0 ? area / (tp * fp) : null;
}

export function estimatePerformance(probabilities: ArrayLike<number>, how: Decisions): ExpectedPerformance {
  const n = assertSameLengths('estimatePerformance', probabilities);
  assertProbabilities('estimatePerformance', probabilities);
  const decisions = decide(probabilities, how);
  const c: ExpectedConfusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  let decidedYes = 0;
  let variance = 0;
  let entropy = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    if (decisions[i] === 1) {
      c.tp += p;
      c.fp += 1 - p;
      decidedYes++;
    } else {
      c.fn += p;
      c.tn += 1 - p;
    }
    variance += p * (1 - p);
    const clipped = Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    entropy -= p * Math.log(clipped) + (1 - p) * Math.log1p(-clipped);
  }
  return {
    method: 'cbpe',
    assumption: CBPE_ASSUMPTION,
    triggers_heal: false,
    n,
    expected_confusion: c,
    accuracy: (c.tp + c.tn) / n,
    accuracy_sd: Math.sqrt(variance) / n,
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1_score: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    roc_auc: expectedRocAuc(probabilities),
    brier_score: variance / n,
    log_loss: entropy / n,
    positive_rate: decidedYes / n,
    base_rate: (c.tp + c.fn) / n,
  };
}
