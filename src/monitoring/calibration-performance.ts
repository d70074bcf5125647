import { BaselineMetrics } from '../model-registry/model-version';
import { ReferenceStatistics } from '../training/reference-statistics';
import { CalibrationRules, calibrationInsufficiency, judgeCalibration } from './calibration/calibration-verdict';
import { DEFAULT_CALIBRATION_BINS, ReliabilityBin } from '../training/evaluation/expected-calibration-error';
import { CalibrationBaseline, LiveCalibrationStats, liveCalibrationStats } from '../training/evaluation/live-calibration-stats';
import { countPositives } from '../training/evaluation/probability-inputs';

/**
 * The calibration half of live performance: the labelled window's Brier, log loss, ECE (with its
 * reliability table), mean P(yes), predicted positive rate against the observed base rate and
 * accuracy, against the version's baseline, judged by the calibration verdict (calibration/).
 */

/** Where the baseline figures come from. */
export type CalibrationBaselineSource =
  /** Measured on the validation rows at training time (baseline/vN/metrics.json `validation_calibration`). */
  | 'validation_calibration'
  /** A version saved before that: Brier, accuracy and predicted positive rate of its validation metrics, base rate of its stats; no log loss, mean P(yes) or ECE. */
  | 'validation_metrics';

export interface VersionCalibration {
  source: CalibrationBaselineSource;
  figures: CalibrationBaseline;
  /** Equal-width bins of the ECE, the baseline's. */
  bins: number;
}

/** The calibration figures compared with the baseline, in report order. */
export const BASELINE_FIGURES = ['brier', 'log_loss', 'ece', 'accuracy', 'predicted_positive_rate', 'mean_predicted', 'base_rate'] as const;

/** The calibration baseline of a loaded version, with what an older version lacks left null (its rules are skipped). */
export function versionCalibration(metrics: BaselineMetrics, stats: ReferenceStatistics): VersionCalibration {
  const saved = metrics.validation_calibration;
  if (saved) {
    const figures = {} as CalibrationBaseline;
    for (const name of BASELINE_FIGURES) figures[name] = saved[name];
    return { source: 'validation_calibration', figures, bins: saved.bins };
  }
  const v = metrics.validation;
  return {
    source: 'validation_metrics',
    figures: {
      brier: v.brier_score,
      log_loss: null,
      ece: null,
      accuracy: v.accuracy,
      predicted_positive_rate: v.positive_rate,
      mean_predicted: null,
      base_rate: stats.prediction.actual_positive_rate,
    },
    bins: DEFAULT_CALIBRATION_BINS,
  };
}

/** The live figures as reported: the statistics, with the ECE's table and noise flattened beside them. */
export type LiveCalibrationFigures = Omit<LiveCalibrationStats, 'calibration'> & {
  bins: number;
  /** The largest gap of a non-empty bin. */
  mce: number;
  /** The ECE a calibrated model would show on this many rows, and its spread (see expected-calibration-error). */
  ece_noise: LiveCalibrationStats['calibration']['noise'];
  /** The reliability diagram: per bin, its rows, mean P(yes) and observed "yes" rate. */
  reliability: ReliabilityBin[];
};

export type CalibrationChange = Record<(typeof BASELINE_FIGURES)[number], number | null>;

export interface CalibrationReport {
  verdict: 'healthy' | 'degraded' | 'insufficient_data';
  /** Why degraded (one per rule broken), or why there is too little data. */
  reasons: string[];
  /** Rules not applied because the baseline lacks their figure. */
  skipped: string[];
  rules: CalibrationRules;
  baseline: CalibrationBaseline & { source: CalibrationBaselineSource };
  /** Null with insufficient_data. */
  live: LiveCalibrationFigures | null;
  /** live - baseline per baseline figure (null where the baseline lacks it; all null with `live`). */
  change: CalibrationChange | null;
}

/** a - b per name, null where either side is null. */
export function difference<K extends string>(
  live: Record<K, number | null>,
  baseline: Record<K, number | null>,
  names: readonly K[],
): Record<K, number | null> {
  const out = {} as Record<K, number | null>;
  for (const name of names) {
    const a = live[name];
    const b = baseline[name];
    out[name] = a === null || b === null ? null : a - b;
  }
  return out;
}

function flatten(stats: LiveCalibrationStats): LiveCalibrationFigures {
  const { calibration, ...rest } = stats;
  return { ...rest, bins: calibration.bins, mce: calibration.mce, ece_noise: calibration.noise, reliability: calibration.table };
}

/** `decisions` are the yes/no (1/0) served with each prediction. */
export function assessCalibration(
  actual: Uint8Array,
  probabilities: Float64Array,
  decisions: Uint8Array,
  baseline: VersionCalibration,
  rules: CalibrationRules,
): CalibrationReport {
  const common = { rules, baseline: { ...baseline.figures, source: baseline.source } };
  const insufficient = calibrationInsufficiency(actual.length, countPositives(actual), rules);
  if (insufficient !== null) {
    return { ...common, verdict: 'insufficient_data', reasons: [insufficient], skipped: [], live: null, change: null };
  }
  const stats = liveCalibrationStats(actual, probabilities, decisions, baseline.bins);
  const { verdict, reasons, skipped } = judgeCalibration(stats, baseline.figures, rules);
  return { ...common, verdict, reasons, skipped, live: flatten(stats), change: difference(stats, baseline.figures, BASELINE_FIGURES) };
}
