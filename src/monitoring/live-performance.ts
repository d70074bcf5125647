import { ExpectedFigures } from '../training/calibration-baseline';
import { ProbabilityMetrics, brierScore, decisionMetrics, rocAuc } from '../training/metrics';
import { CalibrationReport, VersionCalibration, assessCalibration } from './calibration-performance';
import { CalibrationRules } from './calibration/calibration-verdict';
import { ExpectedReport, assessExpected } from './expected-performance';

export interface PerformanceRules {
  /** Fewer labelled rows than this (or one class only) is `insufficient_data`. */
  minLabels: number;
  /** Degraded when ROC-AUC is more than this below the baseline. */
  aucDrop: number;
  /** Degraded when F1 is more than this below the baseline. */
  f1Drop: number;
}

type Figures = Pick<ProbabilityMetrics, 'accuracy' | 'precision' | 'recall' | 'f1_score' | 'roc_auc' | 'brier_score' | 'positive_rate'>;

export interface LivePerformance {
  verdict: 'healthy' | 'degraded' | 'insufficient_data';
  n_labelled: number;
  n_positive: number;
  min_labels: number;
  /** Null when there is too little labelled data to compute them. */
  live: Figures | null;
  baseline: Figures;
  /** live - baseline, per metric (null with `live`). */
  change: Figures | null;
  reasons: string[];
}

/** The figures of live performance and its baseline, in report order. */
export const FIGURES = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score', 'positive_rate'] as const;

function pick(metrics: ProbabilityMetrics): Figures {
  const out = {} as Figures;
  for (const name of FIGURES) out[name] = metrics[name];
  return out;
}

/**
 * Scores served predictions against their outcomes and compares them to the validation
 * baseline: degraded when ROC-AUC or F1 fell further than the rules allow. F1 and the other
 * yes/no figures come from the `decisions` served (1 = "yes"): the window may hold predictions
 * of versions with other thresholds than the active one.
 */
export function assessPerformance(
  actual: Uint8Array,
  probabilities: Float64Array,
  decisions: Uint8Array,
  baseline: ProbabilityMetrics,
  rules: PerformanceRules,
): LivePerformance {
  const n = actual.length;
  let positives = 0;
  for (const y of actual) positives += y;
  const base = pick(baseline);
  const common = { n_labelled: n, n_positive: positives, min_labels: rules.minLabels, baseline: base };
  if (n < rules.minLabels || positives === 0 || positives === n) {
    const why =
      n < rules.minLabels
        ? `${n} labelled predictions, fewer than the ${rules.minLabels} needed`
        : `the ${n} labelled predictions hold one class only`;
    return { ...common, verdict: 'insufficient_data', live: null, change: null, reasons: [why] };
  }
  const live = pick({
    ...decisionMetrics(actual, decisions),
    roc_auc: rocAuc(actual, probabilities),
    brier_score: brierScore(actual, probabilities),
    n,
  });
  const change = {} as Figures;
  for (const name of FIGURES) change[name] = live[name] - base[name];
  const reasons: string[] = [];
  if (base.roc_auc - live.roc_auc > rules.aucDrop) {
    reasons.push(
      `ROC-AUC ${live.roc_auc.toFixed(4)} is ${(base.roc_auc - live.roc_auc).toFixed(4)} below the baseline ${base.roc_auc.toFixed(4)} (allowed drop ${rules.aucDrop})`,
    );
  }
  if (base.f1_score - live.f1_score > rules.f1Drop) {
    reasons.push(
      `F1 ${live.f1_score.toFixed(4)} is ${(base.f1_score - live.f1_score).toFixed(4)} below the baseline ${base.f1_score.toFixed(4)} (allowed drop ${rules.f1Drop})`,
    );
  }
  return { ...common, verdict: reasons.length > 0 ? 'degraded' : 'healthy', live, change, reasons };
}

/** Served predictions as columns: P(yes) and the yes/no (1/0) decision served with it. */
export interface ServedColumns {
  probabilities: Float64Array;
  decisions: Uint8Array;
}

export interface LivePerformanceInput {
  /** The latest labelled predictions and their outcomes (1 = "yes"). */
  labelled: ServedColumns & { actual: Uint8Array };
  /** The latest predictions, labelled or not, for the label-free estimate. */
  recent: ServedColumns;
  baseline: ProbabilityMetrics;
  calibration: VersionCalibration;
  /** The label-free estimate on the validation rows, or null when the version did not record it. */
  expectedBaseline: ExpectedFigures | null;
  /** `minLabels` is also the fewest predictions the label-free estimate needs. */
  rules: PerformanceRules;
  calibrationRules: CalibrationRules;
}

export interface LivePerformanceReport extends LivePerformance {
  calibration: CalibrationReport;
  expected: ExpectedReport;
}

/**
 * Live performance judged two ways, each with its reasons: degraded when ROC-AUC or F1 fell too far
 * (assessPerformance) OR when calibration collapsed (assessCalibration). Otherwise the ROC-AUC and F1
 * verdict stands (healthy, or insufficient_data); a calibration check that lacks data says so in its
 * own block. The label-free estimate is reported beside them and judges nothing.
 */
export function assessLivePerformance(input: LivePerformanceInput): LivePerformanceReport {
  const { labelled, recent, rules } = input;
  const ranking = assessPerformance(labelled.actual, labelled.probabilities, labelled.decisions, input.baseline, rules);
  const calibration = assessCalibration(
    labelled.actual,
    labelled.probabilities,
    labelled.decisions,
    input.calibration,
    input.calibrationRules,
  );
  const expected = assessExpected(recent.probabilities, recent.decisions, input.expectedBaseline, rules.minLabels);
  const degraded = ranking.verdict === 'degraded' || calibration.verdict === 'degraded';
  const reasons = degraded
    ? [...(ranking.verdict === 'degraded' ? ranking.reasons : []), ...(calibration.verdict === 'degraded' ? calibration.reasons : [])]
    : ranking.reasons;
  return { ...ranking, verdict: degraded ? 'degraded' : ranking.verdict, reasons, calibration, expected };
}
