import { regularizedBeta } from './incomplete-beta';
import { normalQuantile } from './normal-distribution';

/** Student's t distribution with `df` degrees of freedom (scipy.stats.t). */

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`Student's t needs df > 0, got ${df}`);
}

/** P(T > t). */
export function studentTSf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  const t2 = t * t;
  // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2), with 1 - x = t^2/(df+t^2) given exactly.
  const twoSided = regularizedBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}

/** Two-sided p-value of a t statistic: P(|T| >= |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * studentTSf(Math.abs(t), df));
}

/** The t with P(T <= t) = p (scipy.stats.t.ppf), by bisection on the survival function to ~1e-15. */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`studentTQuantile needs p in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  // t quantiles lie beyond the normal's; double from there until the tail is bracketed.
  let lo = 0;
  let hi = Math.max(1, normalQuantile(p));
  while (studentTSf(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTSf(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
