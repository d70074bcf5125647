import { lnGamma } from './gamma-functions';

/**
 * Tails of the Kolmogorov distributions used by the two-sample KS test when scipy does not count
 * lattice paths:
 * - kolmogorovLimitSf(z): the limiting distribution of sqrt(n) D (scipy.special.kolmogorov,
 *   scipy.stats.kstwobign.sf);
 * - kolmogorovSf(n, d): the exact one-sample distribution of D_n (scipy.stats.kstwo.sf), which
 *   scipy.stats.ks_2samp(method='asymp') evaluates at n = round(m n / (m + n)). It follows
 *   Simard & L'Ecuyer (2011) as scipy does: closed forms at the extremes, the one-sided Smirnov sum
 *   in the upper tail, the Durbin matrix (Marsaglia-Tsang-Wang) where it is cheap, Pelz-Good
 *   otherwise. (Where scipy uses Pomeranz's recursion, n <= 140, the Durbin matrix is used: both
 *   are exact.)
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI * Math.PI;

/** P(K > z) for Kolmogorov's limiting K = lim sqrt(n) D_n. */
export function kolmogorovLimitSf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z <= 0.04) return 1; // the CDF underflows below ~0.0406
  if (z <= 0.82) {
    // CDF = sqrt(2 pi)/z * sum_k exp(-(2k-1)^2 pi^2 / (8 z^2)); converges fast for small z.
    const u8 = Math.exp(-PI2 / (z * z));
    const cdf = (SQRT_2PI / z) * Math.exp(-PI2 / (8 * z * z)) * (1 + u8 * (1 + u8 * u8 * (1 + u8 * u8 * u8)));
    return clip01(1 - cdf);
  }
  // SF = 2 sum_k (-1)^(k-1) exp(-2 k^2 z^2); four terms reach double precision for z > 0.82.
  const v = Math.exp(-2 * z * z);
  let sum = 0;
  for (let k = 4; k >= 1; k--) sum = v ** (k * k) - sum;
  return clip01(2 * sum);
}

/** P(D_n >= d) for the two-sided one-sample statistic with n observations (scipy's kstwo.sf). */
export function kolmogorovSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`kolmogorovSf needs a positive integer n, got ${n}`);
  if (Number.isNaN(d)) return NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    // Ruben-Gambino: for 1/(2n) <= d <= 1/n, CDF = n!/n^n (2t - 1)^n.
    if (t <= 0.5) return 1;
    return clip01(1 - Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1)));
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d)); // D+ and D- cannot both exceed 1/2
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 4) return clip01(1 - durbinMatrixCdf(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  if (n <= 100000 && n * d ** 1.5 <= 1.4) return clip01(1 - durbinMatrixCdf(n, d));
  return clip01(1 - pelzGoodCdf(n, d));
}

/** ln(n! / n^n), by Stirling's series when n is large enough for it to be exact to double. */
function logFactorialOverPower(n: number): number {
  if (n <= 140) return lnGamma(n + 1) - n * Math.log(n);
  const r = 1 / n;
  const r2 = r * r;
  return 0.5 * Math.log(2 * Math.PI * n) - n + r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
}

/**
 * One-sided P(D+_n >= d) by the Smirnov / Birnbaum-Tingey sum
 *   d * sum_{j=0}^{floor(n(1-d))} C(n, j) (d + j/n)^(j-1) (1 - d - j/n)^(n-j),
 * all terms positive, summed in log space so neither the binomials nor the powers overflow.
 */
export function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d) + 1e-12 * n);
  const logs = new Float64Array(last + 1);
  let logBinomial = 0;
  let maxLog = -Infinity;
  let count = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) logBinomial += Math.log((n - j + 1) / j);
    const rest = (n - n * d - j) / n; // 1 - d - j/n
    if (rest <= 0) break;
    const value = logBinomial + (j - 1) * Math.log((n * d + j) / n) + (n - j) * Math.log(rest);
    logs[count++] = value;
    if (value > maxLog) maxLog = value;
  }
  if (count === 0) return 0;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += Math.exp(logs[i] - maxLog);
  return clip01(d * sum * Math.exp(maxLog));
}

const SCALE_UP = 2 ** 128;
const SCALE_DOWN = 2 ** -128;

/**
 * P(D_n < d) by Durbin's matrix formula in Marsaglia, Tsang & Wang's form: write n d = k - h with
 * k an integer and 0 <= h < 1, build the (2k-1) x (2k-1) matrix H, and the CDF is
 * n!/n^n * (H^n)[k-1][k-1]. Powers are taken by repeated squaring with a separate binary exponent so
 * nothing overflows. O(k^3 log n): used only where k is small.
 */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const size = 2 * k - 1;
  const inverseFactorial = new Float64Array(size + 1);
  inverseFactorial[0] = 1;
  for (let j = 1; j <= size; j++) inverseFactorial[j] = inverseFactorial[j - 1] / j;

  const H = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= Math.min(i + 1, size - 1); j++) H[i * size + j] = inverseFactorial[i - j + 1];
  }
  for (let i = 0; i < size; i++) {
    H[i * size] -= h ** (i + 1) * inverseFactorial[i + 1]; // first column
    H[(size - 1) * size + i] -= h ** (size - i) * inverseFactorial[size - i]; // last row
  }
  if (2 * h - 1 > 0) H[(size - 1) * size] += (2 * h - 1) ** size * inverseFactorial[size];

  // result = H^n, as (matrix, binary exponent).
  let result: Float64Array | null = null;
  let resultExponent = 0;
  let base: Float64Array = H;
  let baseExponent = 0;
  const centre = (k - 1) * size + (k - 1);
  for (let power = n; power > 0; power = Math.floor(power / 2)) {
    if (power % 2 === 1) {
      result = result === null ? base.slice() : multiply(result, base, size);
      resultExponent += baseExponent;
      if (Math.abs(result[centre]) > SCALE_UP) {
        scale(result, SCALE_DOWN);
        resultExponent += 128;
      }
    }
    if (power > 1) {
      base = multiply(base, base, size);
      baseExponent *= 2;
      if (Math.abs(base[centre]) > SCALE_UP) {
        scale(base, SCALE_DOWN);
        baseExponent += 128;
      }
    }
  }
  let p = result![centre];
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (p !== 0 && Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      resultExponent -= 128;
    }
  }
  return clip01(ldexp(p, resultExponent));
}

/** p * 2^e without overflowing 2^e on the way. */
function ldexp(p: number, e: number): number {
  while (e > 512) {
    p *= 2 ** 512;
    e -= 512;
  }
  while (e < -512) {
    p *= 2 ** -512;
    e += 512;
  }
  return p * 2 ** e;
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let l = 0; l < size; l++) {
      const ail = a[i * size + l];
      if (ail === 0) continue;
      for (let j = 0; j < size; j++) out[i * size + j] += ail * b[l * size + j];
    }
  }
  return out;
}

function scale(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i] *= factor;
}

/**
 * Pelz & Good's (1976) expansion of P(D_n <= d) in powers of 1/sqrt(n),
 *   K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5,  z = d sqrt(n),
 * with each K written through Jacobi theta identities so it converges for small z.
 */
export function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -PI2 / 8 / z2;
  if (logQ < -708) return 0;
  const q = Math.exp(logQ);
  const PI4 = PI2 * PI2;
  const PI6 = PI4 * PI2;

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;

  // sum over odd m = 2k-1 of c(m) q^(m^2), Horner-style: q^((2k+1)^2 - (2k-1)^2) = q^(8k).
  const maxK = Math.ceil((16 * z) / Math.PI);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = maxK; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    s0 = s0 * qPower + 1;
    s1 = s1 * qPower + (k1a + k1b * m2);
    s2 = s2 * qPower + (k2a + k2b * m2 + k2c * m4);
    s3 = s3 * qPower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
  }
  const common = q * SQRT_2PI;
  const K0 = (s0 * common) / z;
  let K1 = (s1 * common) / (6 * z4);
  let K2 = (s2 * common) / (72 * z6 * z);
  let K3 = (s3 * common) / (6480 * z6 * z4);

  // The terms over all integers k: K2 gets pi^2 k^2 q'^(k^2), K3 (3 z^2 - pi^2 k^2) k^2 q'^(k^2).
  const q2 = Math.exp(-PI2 / 2 / z2);
  let extra2 = 0;
  let extra3 = 0;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const qp = q2 ** k2;
    extra2 += k2 * qp;
    extra3 += (3 * z2 - PI2 * k2) * k2 * qp;
  }
  K2 += (extra2 * PI2 * SQRT_2PI) / (-36 * z2 * z);
  K3 += (extra3 * PI2 * SQRT_2PI) / (216 * z6);

  const rootN = Math.sqrt(n);
  K1 /= rootN;
  K2 /= n;
  K3 /= n * rootN;
  return K0 + K1 + K2 + K3;
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
