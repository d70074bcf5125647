import { niceStep } from '../common/nice-step';
import { binIndex } from '../training/histogram';
import { DistributionBin } from './charts/distribution-chart';

/** A feature's (or the scores') distribution in the current window beside the reference's, bin by bin. */
export interface Comparison {
  kind: 'numeric' | 'categorical';
  bins: DistributionBin[];
  reference: number[];
  current: number[];
  /** Values in the current window. */
  n: number;
}

/** At most this many bins in a numeric histogram. */
export const HISTOGRAM_BINS = 20;

function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out.push(values[i]);
  return out;
}

function shares(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const last = edges.length - 2;
  for (const v of values) {
    // Bins are [edge k, edge k+1); the last one also holds its upper edge.
    let k = Math.floor(((v - edges[0]) / (edges[edges.length - 1] - edges[0])) * (edges.length - 1));
    k = Math.min(Math.max(k, 0), last);
    while (k > 0 && v < edges[k]) k--;
    while (k < last && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return counts.map((c) => (values.length === 0 ? 0 : c / values.length));
}

/**
 * A histogram of a numeric feature, on bins both distributions share: one per whole number when
 * every value is whole and they span at most HISTOGRAM_BINS of them, else at most HISTOGRAM_BINS
 * bins of a round width over both ranges. The reference side is the sample of training values the
 * version keeps (up to 5,000); each side's bars are its shares of rows, so they compare whatever the sizes.
 */
export function numericComparison(referenceSample: ArrayLike<number>, current: ArrayLike<number>): Comparison {
  const reference = finite(referenceSample);
  const window = finite(current);
  const all = [...reference, ...window];
  if (all.length === 0) return { kind: 'numeric', bins: [], reference: [], current: [], n: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (const v of all) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let edges: number[];
  const whole = all.every(Number.isInteger) && max - min + 1 <= HISTOGRAM_BINS;
  if (whole) {
    edges = Array.from({ length: max - min + 2 }, (_, k) => min - 0.5 + k);
  } else {
    const { step } = niceStep(Math.max((max - min) / HISTOGRAM_BINS, Number.EPSILON));
    const lo = Math.floor(min / step) * step;
    let count = Math.max(1, Math.ceil((max - lo) / step));
    if (lo + count * step <= max) count++;
    edges = Array.from({ length: count + 1 }, (_, k) => Number((lo + k * step).toPrecision(12)));
  }
  const bins = edges.slice(0, -1).map((from, k) => ({
    from,
    to: edges[k + 1],
    label: whole ? String(from + 0.5) : `${from} to ${edges[k + 1]}`,
  }));
  return { kind: 'numeric', bins, reference: shares(reference, edges), current: shares(window, edges), n: window.length };
}

/**
 * A categorical feature: the reference's share of each category it knows, in its order, then
 * every value of the window it never saw (reference share 0), marked "(unseen)".
 */
export function categoricalComparison(
  reference: { categories: readonly string[]; proportions: readonly number[] },
  current: readonly string[],
): Comparison {
  const index = new Map<string, number>();
  reference.categories.forEach((c, i) => index.set(c, i));
  const counts = new Array<number>(reference.categories.length).fill(0);
  const unseen = new Map<string, number>();
  for (const value of current) {
    const k = index.get(value);
    if (k === undefined) unseen.set(value, (unseen.get(value) ?? 0) + 1);
    else counts[k]++;
  }
  const n = current.length;
  const share = (c: number) => (n === 0 ? 0 : c / n);
  const extra = [...unseen.entries()].sort((a, b) => b[1] - a[1]);
  return {
    kind: 'categorical',
    bins: [...reference.categories.map((label) => ({ label })), ...extra.map(([label]) => ({ label: `${label} (unseen)` }))],
    reference: [...reference.proportions, ...extra.map(() => 0)],
    current: [...counts.map(share), ...extra.map(([, c]) => share(c))],
    n,
  };
}

/**
 * P(positive) in the window against the validation scores, as densities over the validation deciles
 * (the only bins the version keeps of them, binned as drift bins them): bin k spans [edge k-1,
 * edge k), the first from 0, the last to 1, and its height is its share over its width, so the
 * areas are the shares.
 */
export function scoreComparison(
  reference: { edges: readonly number[]; proportions: readonly number[] },
  probabilities: ArrayLike<number>,
): Comparison {
  const clamp = (p: number) => Math.min(Math.max(p, 0), 1);
  const edges = [0, ...reference.edges.map(clamp), 1];
  const counts = new Array<number>(reference.edges.length + 1).fill(0);
  const scores = finite(probabilities);
  for (const p of scores) counts[binIndex(reference.edges, p)]++;
  const bins = edges
    .slice(0, -1)
    .map((from, k) => ({ from, to: edges[k + 1], label: `P(positive) ${from.toFixed(3)} to ${edges[k + 1].toFixed(3)}` }));
  const density = (shares: readonly number[]) => shares.map((share, k) => share / Math.max(bins[k].to - bins[k].from, 1e-9));
  return {
    kind: 'numeric',
    bins,
    reference: density(reference.proportions),
    current: density(counts.map((c) => (scores.length === 0 ? 0 : c / scores.length))),
    n: scores.length,
  };
}
