import { assertLabelledProbabilities } from './probability-inputs';

/**
 * Expected calibration error of P(yes) with equal-width bins, and the per-bin table behind a
 * reliability diagram. Bins are those of sklearn.calibration.calibration_curve(strategy="uniform"):
 * edges k/bins, bin k holds (edge k, edge k+1], the first also 0. This is the binary ECE of the
 * positive-class probability (what a reliability diagram shows), not the top-label confidence ECE.
 * ECE = sum over bins of (count / n) * |mean predicted - observed rate|.
 */

export const DEFAULT_CALIBRATION_BINS = 10;

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Null in an empty bin. */
  mean_predicted: number | null;
  observed_rate: number | null;
}

export interface CalibrationError {
  n: number;
  bins: number;
  ece: number;
  /** The largest gap of a non-empty bin (maximum calibration error). */
  mce: number;
  /**
   * Sampling noise of the ECE on these predictions, under the normal approximation per bin (each
   * bin's observed rate has variance sum p(1-p) / count^2 if the model is calibrated):
   * `expected_if_calibrated` is the ECE a perfectly calibrated model would still show on average
   * (ECE is biased upwards on small samples), `sampling_sd` a bound on the ECE's standard deviation.
   */
  noise: { expected_if_calibrated: number; sampling_sd: number };
  table: ReliabilityBin[];
}

/** Edges as numpy.linspace(0, 1, bins + 1) computes them (k * step), so bin membership matches sklearn's. */
function binEdges(bins: number): Float64Array {
  const step = 1 / bins;
  const edges = Float64Array.from({ length: bins + 1 }, (_, k) => k * step);
  edges[bins] = 1;
  return edges;
}

/** numpy.searchsorted(inner edges, p, side="left"): the number of inner edges strictly below p. */
function binOf(edges: Float64Array, p: number): number {
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid + 1] < p) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function expectedCalibrationError(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  bins = DEFAULT_CALIBRATION_BINS,
): CalibrationError {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const n = assertLabelledProbabilities('expectedCalibrationError', labels, probabilities);
  const edges = binEdges(bins);
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  const variance = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    const b = binOf(edges, p);
    count[b]++;
    predicted[b] += p;
    observed[b] += labels[i];
    variance[b] += p * (1 - p);
  }
  let ece = 0;
  let mce = 0;
  let expected = 0;
  let totalVariance = 0;
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const filled = count[b] > 0;
    const meanPredicted = filled ? predicted[b] / count[b] : null;
    const observedRate = filled ? observed[b] / count[b] : null;
    if (filled) {
      const gap = Math.abs(meanPredicted! - observedRate!);
      ece += (count[b] / n) * gap;
      mce = Math.max(mce, gap);
      // (count/n) * E|N(0, V/count^2)| = sqrt(2/pi) * sqrt(V) / n
      expected += Math.sqrt((2 / Math.PI) * variance[b]) / n;
      totalVariance += variance[b];
    }
    table.push({ lower: edges[b], upper: edges[b + 1], count: count[b], mean_predicted: meanPredicted, observed_rate: observedRate });
  }
  return { n, bins, ece, mce, noise: { expected_if_calibrated: expected, sampling_sd: Math.sqrt(totalVariance) / n }, table };
}
