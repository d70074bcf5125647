import { CalibrationBaseline, calibrationBaseline, liveCalibrationStats } from './evaluation/live-calibration-stats';
import { DEFAULT_CALIBRATION_BINS } from './evaluation/expected-calibration-error';
import { ExpectedPerformance, estimatePerformance } from './evaluation/confidence-based-performance';

/**
 * The calibration figures of a version's validation rows, saved with its baseline
 * (baseline/vN/metrics.json `validation_calibration`) so live monitoring can tell when calibration
 * collapses. They are measured by the same pure functions as the live window (training/evaluation,
 * plain maths that depends only on training/metrics), so the two compare alike.
 */

/** The label-free estimate (CBPE) of the validation rows: its own bias at training time, to compare the live estimate with. */
export type ExpectedFigures = Pick<
  ExpectedPerformance,
  'accuracy' | 'precision' | 'recall' | 'f1_score' | 'roc_auc' | 'brier_score' | 'log_loss' | 'positive_rate' | 'base_rate'
>;

export const EXPECTED_FIGURES = [
  'accuracy',
  'precision',
  'recall',
  'f1_score',
  'roc_auc',
  'brier_score',
  'log_loss',
  'positive_rate',
  'base_rate',
] as const satisfies readonly (keyof ExpectedFigures)[];

export interface ValidationCalibration extends CalibrationBaseline {
  /** Validation rows measured. */
  n: number;
  /** Equal-width bins of the ECE (the live ECE uses the same). */
  bins: number;
  ece: number;
  log_loss: number;
  mean_predicted: number;
  expected: ExpectedFigures;
}

export function pickExpected(estimate: ExpectedPerformance): ExpectedFigures {
  const out = {} as Record<keyof ExpectedFigures, number | null>;
  for (const name of EXPECTED_FIGURES) out[name] = estimate[name];
  return out as ExpectedFigures;
}

/** Decisions are P(yes) > threshold, as the version decides when it serves (and as training/metrics scores). */
export function validationCalibration(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  threshold: number,
  bins = DEFAULT_CALIBRATION_BINS,
): ValidationCalibration {
  const decisions = Uint8Array.from(probabilities, (p) => (p > threshold ? 1 : 0));
  const stats = liveCalibrationStats(labels, probabilities, decisions, bins);
  return {
    ...calibrationBaseline(stats),
    n: stats.n,
    bins,
    ece: stats.ece,
    log_loss: stats.log_loss,
    mean_predicted: stats.mean_predicted,
    expected: pickExpected(estimatePerformance(probabilities, { decisions })),
  };
}
