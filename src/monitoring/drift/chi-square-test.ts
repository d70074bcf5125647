import { chiSquareSf } from './chi-square-distribution';
import { PSI_FLOOR } from './psi';

/**
 * Chi-square goodness-of-fit of a window's categorical counts against the training shares, as
 * scipy.stats.chisquare(f_obs, f_exp) computes it: statistic sum (o - e)^2 / e, p-value
 * chi2.sf(statistic, k - 1).
 */

export interface ChiSquareResult {
  statistic: number;
  /** Degrees of freedom: buckets - 1. */
  df: number;
  pValue: number;
}

/** scipy.stats.chisquare(observed, expected): expected must be positive with the same total. */
export function chiSquareGoodnessOfFit(observed: readonly number[], expected: readonly number[]): ChiSquareResult {
  if (observed.length !== expected.length) throw new RangeError('observed and expected differ in length');
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    if (!(expected[i] > 0)) throw new RangeError(`expected count ${i} must be positive, got ${expected[i]}`);
    const diff = observed[i] - expected[i];
    statistic += (diff * diff) / expected[i];
  }
  const df = observed.length - 1;
  return { statistic, df, pValue: df > 0 ? chiSquareSf(statistic, df) : 1 };
}

export interface CategoricalChiSquare extends ChiSquareResult {
  /** Window values whose training share is 0 (a category training never saw, known or not). */
  unseenCount: number;
  unseenShare: number;
}

/**
 * Window counts per reference category (same order as `referenceProportions`) plus `otherCount`
 * values that are not reference categories at all, tested against the training shares.
 *
 * A category with training share 0 has expected count 0, which the statistic cannot divide by. So:
 * - every category with a positive training share is its own bucket;
 * - categories with share 0 and values outside the reference are pooled in one "unseen" bucket,
 *   which takes part only when the window has values in it (empty, it would add a degree of
 *   freedom and nothing else);
 * - the unseen bucket's expected share is floored at PSI_FLOOR (1e-4), as in the PSI, and all
 *   shares are renormalised to sum to 1 so the expected counts add up to the window size, as
 *   scipy.stats.chisquare requires.
 * A value training never saw is therefore strong evidence (expected count 1e-4 m): even a single
 * one makes the p-value small. With one bucket only (a constant feature) there is nothing to test:
 * statistic 0, df 0, p-value 1.
 */
export function categoricalChiSquare(
  referenceProportions: readonly number[],
  categoryCounts: readonly number[],
  otherCount = 0,
): CategoricalChiSquare {
  if (referenceProportions.length !== categoryCounts.length) {
    throw new RangeError('one count per reference category is needed');
  }
  const observed: number[] = [];
  const shares: number[] = [];
  let unseenCount = otherCount;
  let total = otherCount;
  for (let i = 0; i < referenceProportions.length; i++) {
    total += categoryCounts[i];
    if (referenceProportions[i] > 0) {
      observed.push(categoryCounts[i]);
      shares.push(referenceProportions[i]);
    } else {
      unseenCount += categoryCounts[i];
    }
  }
  if (total === 0) throw new RangeError('chi-square test needs at least one observation');
  if (unseenCount > 0) {
    observed.push(unseenCount);
    shares.push(PSI_FLOOR);
  }
  const shareSum = shares.reduce((a, b) => a + b, 0);
  const expected = shares.map((s) => (s / shareSum) * total);
  const result = chiSquareGoodnessOfFit(observed, expected);
  return { ...result, unseenCount, unseenShare: unseenCount / total };
}
