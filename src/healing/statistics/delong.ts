import { assertBinaryLabels, assertSameLengths, countPositives } from '../../training/evaluation/probability-inputs';
import { normalQuantile, normalTwoSidedP } from './normal-distribution';
import { Interval, checkConfidence } from './paired-t-interval';

/**
 * ROC-AUC with DeLong's variance, and DeLong's test for two correlated ROC curves (two models
 * scored on the same rows), by the fast algorithm of Sun & Xu (2014): O(n log n), one sort per model.
 *
 * A positive's placement V10 is the share of negatives scored below it (ties count half) and a
 * negative's V01 the share of positives scored above it. Sun & Xu compute them from midranks:
 * V10_i = (T_Z(i) - T_X(i)) / n_neg, where T_Z is the midrank among all rows and T_X among the
 * positives; the difference is exactly "negatives below + half the negatives tied", which is what
 * the walk over the sorted tie groups below counts. AUC is the mean of V10; the covariance of two
 * AUCs is S10/m + S01/n from the sample covariances (ddof 1) of the placements (DeLong et al. 1988).
 * Matches pROC's var(roc) / ci(roc) / roc.test(method = "delong").
 */

interface Placements {
  auc: number;
  positive: Float64Array;
  negative: Float64Array;
}

export interface DeLongAuc {
  method: 'delong';
  auc: number;
  variance: number;
  standard_error: number;
  /** auc -+ z * se, clipped to [0, 1] as pROC does. */
  interval: Interval;
  n_positive: number;
  n_negative: number;
}

export interface DeLongTest {
  method: 'delong_paired';
  n_positive: number;
  n_negative: number;
  /** The first model's AUC with its own interval. */
  first: DeLongAuc;
  second: DeLongAuc;
  /** second.auc - first.auc. */
  difference: number;
  standard_error: number;
  /** Null when the difference has zero variance (e.g. identical rankings). */
  z_statistic: number | null;
  /** Two-sided p-value of "the two AUCs are equal". */
  p_value: number;
  /** difference -+ z * se, clipped to [-1, 1]. */
  interval: Interval;
  /** Correlation of the two AUC estimates (why the paired test is sharper than two separate intervals). */
  correlation: number | null;
}

function classCounts(what: string, labels: ArrayLike<number>, ...scores: ArrayLike<number>[]): { m: number; n: number } {
  assertSameLengths(what, labels, ...scores);
  assertBinaryLabels(what, labels);
  for (const column of scores) {
    for (let i = 0; i < column.length; i++) {
      if (Number.isNaN(column[i])) throw new Error(`${what}: score at row ${i} is NaN`);
    }
  }
  const m = countPositives(labels);
  const n = labels.length - m;
  if (m < 2 || n < 2) throw new Error(`${what}: DeLong's variance needs at least 2 positives and 2 negatives, got ${m} and ${n}`);
  return { m, n };
}

/**
 * Each row's place within its class (the i-th positive, the j-th negative, in row order), so that the
 * placements of two models line up row by row for their covariance.
 */
function classSlots(labels: ArrayLike<number>): Uint32Array {
  const slots = new Uint32Array(labels.length);
  let p = 0;
  let q = 0;
  for (let i = 0; i < labels.length; i++) slots[i] = labels[i] === 1 ? p++ : q++;
  return slots;
}

function placements(labels: ArrayLike<number>, scores: ArrayLike<number>, slots: Uint32Array, m: number, n: number): Placements {
  const order = Uint32Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const positive = new Float64Array(m);
  const negative = new Float64Array(n);
  let positivesBelow = 0;
  let negativesBelow = 0;
  let placementSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    let tiedPositives = 0;
    while (end < order.length && scores[order[end]] === scores[order[start]]) tiedPositives += labels[order[end++]];
    const tiedNegatives = end - start - tiedPositives;
    const positivePlacement = (negativesBelow + tiedNegatives / 2) / n;
    const negativePlacement = (m - positivesBelow - tiedPositives / 2) / m;
    for (let k = start; k < end; k++) {
      const row = order[k];
      if (labels[row] === 1) {
        positive[slots[row]] = positivePlacement;
        placementSum += positivePlacement;
      } else negative[slots[row]] = negativePlacement;
    }
    positivesBelow += tiedPositives;
    negativesBelow += tiedNegatives;
    start = end;
  }
  return { auc: placementSum / m, positive, negative };
}

/** Sample covariance (ddof 1) of two placement vectors about their common mean, the AUCs. */
function covariance(x: Float64Array, xMean: number, y: Float64Array, yMean: number): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i] - xMean) * (y[i] - yMean);
  return sum / (x.length - 1);
}

function aucCovariance(a: Placements, b: Placements, m: number, n: number): number {
  return covariance(a.positive, a.auc, b.positive, b.auc) / m + covariance(a.negative, a.auc, b.negative, b.auc) / n;
}

function zFor(confidence: number): number {
  checkConfidence(confidence);
  return normalQuantile(0.5 + confidence / 2);
}

function withInterval(p: Placements, m: number, n: number, z: number, confidence: number): DeLongAuc {
  const variance = aucCovariance(p, p, m, n);
  const se = Math.sqrt(variance);
  return {
    method: 'delong',
    auc: p.auc,
    variance,
    standard_error: se,
    interval: { lower: Math.max(0, p.auc - z * se), upper: Math.min(1, p.auc + z * se), confidence },
    n_positive: m,
    n_negative: n,
  };
}

/** One model's ROC-AUC with DeLong's variance and a normal interval. Needs 2+ rows of each class. */
export function delongAuc(labels: ArrayLike<number>, scores: ArrayLike<number>, confidence = 0.95): DeLongAuc {
  const { m, n } = classCounts('delongAuc', labels, scores);
  return withInterval(placements(labels, scores, classSlots(labels), m, n), m, n, zFor(confidence), confidence);
}

/** DeLong's test of second AUC - first AUC, both models scored on the same rows. */
export function delongTest(labels: ArrayLike<number>, first: ArrayLike<number>, second: ArrayLike<number>, confidence = 0.95): DeLongTest {
  const { m, n } = classCounts('delongTest', labels, first, second);
  const z = zFor(confidence);
  const slots = classSlots(labels);
  const a = placements(labels, first, slots, m, n);
  const b = placements(labels, second, slots, m, n);
  const varA = aucCovariance(a, a, m, n);
  const varB = aucCovariance(b, b, m, n);
  const cov = aucCovariance(a, b, m, n);
  const difference = b.auc - a.auc;
  const se = Math.sqrt(Math.max(0, varA + varB - 2 * cov));
  const zStatistic = se > 0 ? difference / se : null;
  return {
    method: 'delong_paired',
    n_positive: m,
    n_negative: n,
    first: withInterval(a, m, n, z, confidence),
    second: withInterval(b, m, n, z, confidence),
    difference,
    standard_error: se,
    z_statistic: zStatistic,
    p_value: zStatistic === null ? (difference === 0 ? 1 : 0) : normalTwoSidedP(zStatistic),
    interval: { lower: Math.max(-1, difference - z * se), upper: Math.min(1, difference + z * se), confidence },
    correlation: varA > 0 && varB > 0 ? cov / Math.sqrt(varA * varB) : null,
  };
}
