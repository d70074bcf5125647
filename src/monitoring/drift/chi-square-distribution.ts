import { lnGamma, regularizedGammaP, regularizedGammaQ } from './gamma-functions';

/**
 * The chi-square distribution with `df` degrees of freedom: CDF, survival function and quantile.
 * chi2(df) is Gamma(df / 2, scale 2), so CDF(x) = P(df/2, x/2) and SF(x) = Q(df/2, x/2); the SF is
 * computed directly so tiny p-values (1e-300) keep their relative accuracy.
 */

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`chi-square needs df > 0, got ${df}`);
}

export function chiSquareCdf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 0 : regularizedGammaP(df / 2, x / 2);
}

/** P(X > x): the p-value of a chi-square statistic x. */
export function chiSquareSf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) return NaN;
  return x <= 0 ? 1 : regularizedGammaQ(df / 2, x / 2);
}

/** Density, for the Newton steps of the quantile. */
export function chiSquarePdf(x: number, df: number): number {
  checkDf(df);
  if (x < 0) return 0;
  if (x === 0) return df === 2 ? 0.5 : df < 2 ? Infinity : 0;
  const k = df / 2;
  return Math.exp((k - 1) * Math.log(x) - x / 2 - k * Math.LN2 - lnGamma(k));
}

/**
 * The q-quantile: the x with CDF(x) = q. Safeguarded Newton (bisection whenever a step leaves the
 * bracket) on CDF(x) - q below the median and on (1 - q) - SF(x) above it, so upper quantiles such
 * as the 0.99 or 0.999999 one are found to ~1e-13 relative.
 */
export function chiSquareQuantile(q: number, df: number): number {
  checkDf(df);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile needs 0 <= q <= 1, got ${q}`);
  if (q === 0) return 0;
  if (q === 1) return Infinity;
  const upper = q > 0.5;
  const tail = 1 - q;
  // f increases with x and is 0 at the quantile; written in the tail that keeps precision.
  const f = (x: number) => (upper ? tail - chiSquareSf(x, df) : chiSquareCdf(x, df) - q);

  // Bracket: f(lo) < 0 <= f(hi).
  let lo = 0;
  let hi = Math.max(df, 1);
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
  }
  let x = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    const slope = chiSquarePdf(x, df);
    let next = slope > 0 && Number.isFinite(slope) ? x - fx / slope : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(Math.abs(x), 1e-300) || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}
