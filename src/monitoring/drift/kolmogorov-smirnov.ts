import { gcd, probOutsideBand, probOutsideSquare } from './ks-exact-probability';
import { kolmogorovLimitSf, kolmogorovSf } from './kolmogorov-distribution';

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, reproducing scipy.stats.ks_2samp(x, y) with its
 * default method='auto' (scipy 1.10):
 * - D = max |F_x(t) - F_y(t)| over all observed t, ties handled as scipy does (searchsorted 'right');
 * - if max(n, m) <= 10,000: the exact p-value by lattice-path counting, with D snapped to the
 *   lattice k / lcm(n, m) as scipy reports it;
 * - otherwise scipy's 'asymp': the one-sample Kolmogorov distribution kstwo.sf(D, round(n m / (n + m))).
 *
 * One deliberate shortcut: counting paths costs O(n m D), up to ~5e7 steps for 10,000 vs 5,000 values
 * that differ a lot. When that would be expensive AND the p-value is certainly below 1e-10 (the two-
 * sample tail is bounded by ~2 exp(-2 en D^2); checked against scipy's exact values, the ratio never
 * exceeds 1.1), the limiting Kolmogorov tail is returned instead with method 'tail'. Such a p-value
 * is astronomically significant either way and differs from scipy's by less than 1e-9.
 */

export type KsMethod = 'exact' | 'asymp' | 'tail';

export interface KsResult {
  /** D, the largest distance between the two empirical CDFs. */
  statistic: number;
  /** P(D >= observed) when both samples come from one distribution. */
  pValue: number;
  method: KsMethod;
}

/** scipy's MAX_AUTO_N: above this sample size 'auto' switches from exact to asymptotic. */
export const KS_MAX_EXACT_N = 10000;
/** Path-counting steps worth spending before the tail shortcut may kick in. */
const EXACT_STEP_BUDGET = 200000;
/** p-values certainly below this are not computed exactly when that would be expensive. */
const TAIL_SHORTCUT_P = 1e-10;

/** D of two ascending-sorted samples in one merge pass, O(n + m). */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new RangeError('KS test needs two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  // Step to each distinct value, past all its copies in both samples, then compare the ECDFs
  // there. Once one sample is exhausted the gap can only shrink, so stop.
  while (i < n && j < m) {
    const v = a[i] <= b[j] ? a[i] : b[j];
    const before = i + j;
    while (i < n && a[i] <= v) i++;
    while (j < m && b[j] <= v) j++;
    if (i + j === before) throw new RangeError('KS test needs finite samples sorted ascending');
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

/** The two-sided p-value of D for sample sizes n and m, choosing the method as scipy does. */
export function ksPValue(d: number, n: number, m: number): KsResult {
  if (Math.max(n, m) <= KS_MAX_EXACT_N) {
    const g = gcd(n, m);
    const lcm = (n / g) * m;
    const h = Math.round(d * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1, method: 'exact' };
    if (n === m) return { statistic: snapped, pValue: probOutsideSquare(n, h), method: 'exact' };
    const big = Math.max(n, m);
    const small = Math.min(n, m);
    const steps = big * Math.min(small + 1, (2 * h * g) / big + 2);
    const en = (n * m) / (n + m);
    if (steps > EXACT_STEP_BUDGET && 2 * Math.exp(-2 * en * snapped * snapped) < TAIL_SHORTCUT_P) {
      return { statistic: snapped, pValue: kolmogorovLimitSf(Math.sqrt(en) * snapped), method: 'tail' };
    }
    return { statistic: snapped, pValue: probOutsideBand(n, m, h), method: 'exact' };
  }
  const big = Math.max(n, m);
  const small = Math.min(n, m);
  const en = (big * small) / (big + small);
  return { statistic: d, pValue: kolmogorovSf(roundHalfEven(en), d), method: 'asymp' };
}

/** KS test of two samples already sorted ascending (the reference sample is stored sorted). */
export function ksTwoSampleSorted(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ksPValue(ksStatisticSorted(a, b), a.length, b.length);
}

/** KS test of two samples in any order (sorted copies; the inputs are left alone). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  return ksTwoSampleSorted(Float64Array.from(a).sort(), Float64Array.from(b).sort());
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
