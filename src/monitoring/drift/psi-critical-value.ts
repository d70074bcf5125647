import { chiSquareQuantile } from './chi-square-distribution';

/**
 * How large a PSI sampling noise alone produces. With reference shares estimated from n rows and
 * window shares from m rows of the SAME distribution, PSI ~ Jeffreys divergence ~ chi-square
 * distance, and sum (a - e)^2 / p is approximately chi2(B - 1) * (1/n + 1/m) over B bins with
 * positive share. Its q-quantile (default 0.99) is a PSI a no-drift window exceeds only 1% of the
 * time: a small window (m = 150) easily reaches PSI 0.1 by chance, a large one (m = 10,000) does
 * not, so a fixed PSI threshold alone would cry wolf on small windows.
 */
export const DEFAULT_PSI_QUANTILE = 0.99;

export function psiCriticalValue(bins: number, referenceSize: number, windowSize: number, quantile: number = DEFAULT_PSI_QUANTILE): number {
  if (!(referenceSize > 0) || !(windowSize > 0)) {
    throw new RangeError(`PSI critical value needs positive sizes (n=${referenceSize}, m=${windowSize})`);
  }
  // One bin (a constant feature) cannot move: no noise, no degrees of freedom.
  if (bins < 2) return 0;
  return chiSquareQuantile(quantile, bins - 1) * (1 / referenceSize + 1 / windowSize);
}
