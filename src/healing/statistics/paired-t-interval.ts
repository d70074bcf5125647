import { assertSameLengths } from '../../training/evaluation/probability-inputs';
import { sampleMean } from '../../training/evaluation/sample-mean';
import { studentTQuantile, studentTTwoSidedP } from './student-t-distribution';

export interface Interval {
  lower: number;
  upper: number;
  /** Two-sided confidence level, e.g. 0.95. */
  confidence: number;
}

export interface PairedTResult {
  method: 'paired_t';
  n: number;
  mean_difference: number;
  /** Sample standard deviation of the differences (ddof 1) over sqrt(n). */
  standard_error: number;
  degrees_of_freedom: number;
  /** Null when every difference is the same (zero spread: the statistic is undefined). */
  t_statistic: number | null;
  /** Two-sided p-value of "mean difference = 0" (scipy.stats.ttest_rel). */
  p_value: number;
  interval: Interval;
}

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}

/** a[i] - b[i]: the per-row differences of two paired measurements. */
export function pairedDifferences(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const n = assertSameLengths('pairedDifferences', a, b);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
  return out;
}

/**
 * Mean of paired differences with its Student-t interval and the paired t-test: by the central
 * limit theorem the mean of per-row loss differences is close to normal on a few hundred rows even
 * though each difference is not.
 */
export function pairedTInterval(differences: ArrayLike<number>, confidence = 0.95): PairedTResult {
  checkConfidence(confidence);
  const { n, mean, standard_error: standardError } = sampleMean(differences);
  const df = n - 1;
  const halfWidth = studentTQuantile(0.5 + confidence / 2, df) * standardError;
  const t = standardError > 0 ? mean / standardError : null;
  return {
    method: 'paired_t',
    n,
    mean_difference: mean,
    standard_error: standardError,
    degrees_of_freedom: df,
    t_statistic: t,
    p_value: t === null ? (mean === 0 ? 1 : 0) : studentTTwoSidedP(t, df),
    interval: { lower: mean - halfWidth, upper: mean + halfWidth, confidence },
  };
}
