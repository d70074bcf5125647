import { createSeededRandom } from '../../preprocessing/seeded-random';
import { quantileSorted } from '../../training/histogram';
import { Interval, checkConfidence } from './paired-t-interval';

export const MAX_BOOTSTRAP_RESAMPLES = 10000;
export const DEFAULT_BOOTSTRAP_RESAMPLES = 2000;
/**
 * The work is resamples x rows draws (about 17 ns each in node on this machine), on the thread that
 * runs the gate: the resamples are cut to keep it within this many draws (~0.35 s), so a 50,000-row
 * holdout gets 400 resamples instead of 2,000, but never below MIN_BOOTSTRAP_RESAMPLES (which wins
 * beyond 100,000 rows). The result states the resamples used.
 */
export const MAX_BOOTSTRAP_DRAWS = 20_000_000;
export const MIN_BOOTSTRAP_RESAMPLES = 200;

/** The resamples actually drawn for `requested` on `rows` rows, within MAX_BOOTSTRAP_DRAWS. */
export function boundedResamples(requested: number, rows: number): number {
  return Math.min(requested, Math.max(MIN_BOOTSTRAP_RESAMPLES, Math.floor(MAX_BOOTSTRAP_DRAWS / rows)));
}

export interface BootstrapSettings {
  /** Resamples asked for, 1 to MAX_BOOTSTRAP_RESAMPLES (default DEFAULT_BOOTSTRAP_RESAMPLES); see MAX_BOOTSTRAP_DRAWS. */
  resamples?: number;
  /** Seed of the mulberry32 generator: the same seed gives the same interval. */
  seed: number;
  confidence?: number;
}

export interface PairedBootstrapResult {
  method: 'paired_bootstrap_percentile';
  n: number;
  mean_difference: number;
  /** Standard deviation of the resampled means (ddof 1). */
  standard_error: number;
  interval: Interval;
  /** Resamples drawn: those asked for, fewer on very many rows (MAX_BOOTSTRAP_DRAWS). */
  resamples: number;
  requested_resamples: number;
  seed: number;
}

/**
 * Percentile bootstrap of the mean of paired differences: rows are drawn with replacement (each
 * draw keeps a row's pair together, so the correlation between the two models is preserved), the
 * interval is the (1-c)/2 and (1+c)/2 quantiles of the resampled means (numpy's linear method).
 * It makes no normality assumption, which matters for log loss differences with heavy tails.
 */
export function pairedBootstrapInterval(differences: ArrayLike<number>, settings: BootstrapSettings): PairedBootstrapResult {
  const requested = settings.resamples ?? DEFAULT_BOOTSTRAP_RESAMPLES;
  const confidence = settings.confidence ?? 0.95;
  checkConfidence(confidence);
  if (!Number.isInteger(requested) || requested < 1 || requested > MAX_BOOTSTRAP_RESAMPLES) {
    throw new RangeError(`bootstrap resamples must be an integer from 1 to ${MAX_BOOTSTRAP_RESAMPLES}, got ${requested}`);
  }
  const n = differences.length;
  if (n < 2) throw new Error(`a paired bootstrap needs at least 2 rows, got ${n}`);
  const resamples = boundedResamples(requested, n);
  const random = createSeededRandom(settings.seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += differences[Math.floor(random() * n)];
    means[b] = sum / n;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += differences[i];
  let meanOfMeans = 0;
  for (const m of means) meanOfMeans += m / resamples;
  let squares = 0;
  for (const m of means) squares += (m - meanOfMeans) ** 2;
  means.sort();
  return {
    method: 'paired_bootstrap_percentile',
    n,
    mean_difference: total / n,
    standard_error: resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : 0,
    interval: {
      lower: quantileSorted(means, (1 - confidence) / 2),
      upper: quantileSorted(means, (1 + confidence) / 2),
      confidence,
    },
    resamples,
    requested_resamples: requested,
    seed: settings.seed,
  };
}
