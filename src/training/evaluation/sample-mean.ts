/** The mean of per-row values with its standard error: sample standard deviation (ddof 1) / sqrt(n). */
export interface SampleMean {
  n: number;
  mean: number;
  standard_error: number;
}

export function sampleMean(values: ArrayLike<number>): SampleMean {
  const n = values.length;
  if (n < 2) throw new Error(`a standard error needs at least 2 rows, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2; // two passes: no cancellation
  return { n, mean, standard_error: Math.sqrt(squares / (n - 1) / n) };
}
