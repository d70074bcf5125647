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
  const std = Math.sqrt(sumSq / n);
  return { mean, scale: std > 0 ? std : 1 };
}

export function scaleValue(value: number, params: ScalerParams): number {
  return (value - params.mean) / params.scale;
}
