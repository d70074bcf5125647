/**
 * Population Stability Index: sum over bins of (a - e) * ln(a / e), with e the reference share and
 * a the observed share of each bin. 0 means identical distributions; the usual reading is < 0.1
 * stable, 0.1-0.25 moderate shift, > 0.25 major shift.
 *
 * Empty bins would make ln(a / e) infinite, so BOTH shares are floored before the sum:
 * each share p becomes max(p, PSI_FLOOR) with PSI_FLOOR = 1e-4, and the floored shares are NOT
 * renormalised. A bin empty on both sides therefore contributes exactly 0; a bin empty on one side
 * contributes (p - 1e-4) * ln(p / 1e-4), large but finite.
 */
export const PSI_FLOOR = 1e-4;

/** PSI between reference shares and observed shares (both summing to 1, same bins). */
export function psi(referenceProportions: readonly number[], observedProportions: readonly number[]): number {
  if (referenceProportions.length !== observedProportions.length) {
    throw new RangeError(`PSI needs the same bins on both sides (${referenceProportions.length} vs ${observedProportions.length})`);
  }
  let total = 0;
  for (let i = 0; i < referenceProportions.length; i++) {
    const e = Math.max(referenceProportions[i], PSI_FLOOR);
    const a = Math.max(observedProportions[i], PSI_FLOOR);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** PSI between reference shares and observed counts per bin (turned into shares of their total). */
export function psiFromCounts(referenceProportions: readonly number[], observedCounts: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < observedCounts.length; i++) n += observedCounts[i];
  if (n <= 0) throw new RangeError('PSI needs at least one observation');
  const shares = new Array<number>(observedCounts.length);
  for (let i = 0; i < observedCounts.length; i++) shares[i] = observedCounts[i] / n;
  return psi(referenceProportions, shares);
}
