import { regularizedGammaP, regularizedGammaQ } from '../../monitoring/drift/gamma-functions';

/**
 * The standard normal distribution. The tails come from the incomplete gamma function
 * (erfc(z) = Q(1/2, z^2)) so they keep their relative accuracy far out, where 1 - cdf would cancel.
 */

/** P(Z > x). */
export function normalSf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const half = 0.5 * regularizedGammaQ(0.5, (x * x) / 2);
  return x >= 0 ? half : 0.5 + 0.5 * regularizedGammaP(0.5, (x * x) / 2);
}

/** P(Z <= x). */
export function normalCdf(x: number): number {
  return normalSf(-x);
}

/** Two-sided p-value of a z statistic: P(|Z| >= |z|). */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

// Acklam's rational approximation (relative error 1.15e-9), refined by one Halley step below.
const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function lowerTailGuess(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
}

function centralGuess(p: number): number {
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** The x with P(Z <= x) = p (scipy.stats.norm.ppf), to about 1e-15 relative. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs p in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  const x = p < P_LOW ? lowerTailGuess(p) : centralGuess(p);
  // Halley's step on cdf(x) - p: cubic convergence turns 1e-9 into machine precision.
  const error = normalCdf(x) - p;
  const u = error * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
