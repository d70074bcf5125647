/** Mean and population standard deviation (ddof 0) of a column, as scikit-learn's StandardScaler. */
export interface ScalerParams {
  mean: number;
  /** The std, or 1 for a constant column (sklearn does the same, so nothing divides by zero). */
  scale: number;
}

export function fitStandardScaler(values: ArrayLike<number>): ScalerParams {
  const n = values.length;
  if (n === 0) throw new Error('cannot fit a scaler on no values');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    sumSq += d * d;
  }
  const variance = sumSq / n;
  return { mean, scale: isConstantColumn(variance, mean, n) ? 1 : Math.sqrt(variance) };
}

/**
 * scikit-learn's `_is_constant_feature`: a variance within the rounding error of computing it is
 * zero. A constant column's mean is not exact in floating point (1.4 averaged over 10,000 rows is
 * 1.3999999999997614), which leaves a "std" of about 1e-13; dividing by it would turn the column's
 * next new value into a z-score of 1e12 and any coefficient into a certainty.
 */
function isConstantColumn(variance: number, mean: number, n: number): boolean {
  const upperBound = n * Number.EPSILON * variance + (n * mean * Number.EPSILON) ** 2;
  return variance <= upperBound;
}

export function scaleValue(value: number, params: ScalerParams): number {
  return (value - params.mean) / params.scale;
}
