import {
  Schema,
  arrayOf,
  boolean,
  dateTime,
  integer,
  nullable,
  number,
  numbersNamed,
  object,
  oneOfStrings,
  string,
} from '../../common/openapi-schema';
import { EXPECTED_FIGURES } from '../../training/calibration-baseline';
import { BASELINE_FIGURES as CALIBRATION_FIGURES } from '../calibration-performance';
import { FIGURES } from '../live-performance';
import { MONITORING_VERDICTS } from '../monitoring-status.service';

/** OpenAPI response schemas of /monitoring/drift, /monitoring/performance and /monitoring/status. */

const REASONS = arrayOf(string(), 'One sentence per rule broken, or why there is too little data');

const driftCommon = {
  feature: string('A feature of the dataset schema'),
  psi: number('Population stability index of the window against the training rows'),
  psi_critical: number('PSI reached by chance 1 time in 100 at these sample sizes'),
  psi_threshold: number('max(PSI floor, psi_critical): the PSI must exceed it to count as drift'),
  drifted: boolean(),
  window_size: integer(),
  reference_size: integer('Training rows the reference shares come from'),
};

const numericFeatureDrift = object(
  {
    ...driftCommon,
    kind: oneOfStrings(['numeric']),
    ks_statistic: number('Two-sample Kolmogorov-Smirnov D'),
    ks_p_value: number(),
    ks_reference_size: integer('Size of the stored reference sample'),
  },
  { description: 'A numeric or integer feature' },
);

const categoricalFeatureDrift = object(
  {
    ...driftCommon,
    kind: oneOfStrings(['categorical']),
    chi2_statistic: number('Chi-square goodness of fit against the training shares'),
    chi2_df: integer(),
    chi2_p_value: number(),
    unseen_share: number('Share of window values training never saw'),
  },
  { description: 'A categorical feature' },
);

const predictionDrift = object(
  {
    psi: number(),
    psi_critical: number(),
    psi_threshold: number(),
    drifted: boolean(),
    positive_rate: number('Share of window rows predicted positive'),
    reference_positive_rate: number(),
    positive_rate_change: number(),
    window_size: integer(),
    reference_size: integer(),
  },
  { description: 'Drift of the served P(positive); null when the window is too small to judge' },
);

const DRIFT_VERDICT = oneOfStrings(['drift', 'no_drift', 'insufficient_data']);

export const DRIFT_RESPONSE: Schema = object({
  verdict: DRIFT_VERDICT,
  dataset_drift: boolean('True when the share of drifted features reaches drift_share'),
  window_size: integer('Predictions in the window'),
  min_window: integer('Fewest predictions the report judges'),
  drift_share: number(),
  n_features: integer(),
  n_drifted_features: integer(),
  share_drifted_features: number(),
  drifted_features: arrayOf(string()),
  features: arrayOf(
    { oneOf: [numericFeatureDrift, categoricalFeatureDrift] },
    'Per feature, in schema order; empty when the window is too small',
  ),
  prediction: nullable(predictionDrift),
  reference_version: string('The version whose training statistics are the reference'),
  window_start: nullable(dateTime()),
  window_end: nullable(dateTime()),
  generated_at: dateTime(),
  duration_ms: number('Time the report took to compute'),
});

const VERDICT = oneOfStrings(['healthy', 'degraded', 'insufficient_data']);

const calibrationRules = numbersNamed(
  ['minLabels', 'minPerClass', 'z', 'eceFloor', 'meanPredictedFloor', 'positiveRateFloor', 'accuracyFloor'],
  { description: 'The calibration rules in force (MONITOR_* settings)' },
);

const reliabilityBin = object({
  lower: number(),
  upper: number(),
  count: integer(),
  mean_predicted: nullable(number()),
  observed_rate: nullable(number()),
});

const liveCalibration = object(
  {
    n: integer(),
    positives: integer(),
    brier: number(),
    log_loss: number(),
    ece: number('Expected calibration error over equal-width bins'),
    accuracy: number(),
    predicted_positive_rate: number(),
    mean_predicted: number('Mean P(positive)'),
    base_rate: number('Observed positive rate'),
    brier_se: number(),
    log_loss_se: number(),
    accuracy_se: number(),
    no_skill: numbersNamed(['brier', 'log_loss', 'brier_excess_se', 'log_loss_excess_se'], {
      description: 'Scores of forecasting the observed base rate for every row',
    }),
    bins: integer(),
    mce: number('The largest gap of a non-empty bin'),
    ece_noise: numbersNamed(['expected_if_calibrated', 'sampling_sd']),
    reliability: arrayOf(reliabilityBin, 'The reliability diagram'),
  },
  { description: 'Null with insufficient_data' },
);

const calibrationReport = object({
  verdict: VERDICT,
  reasons: REASONS,
  skipped: arrayOf(string(), 'Rules not applied because the baseline lacks their figure'),
  rules: calibrationRules,
  baseline: object({
    ...numbersNamed(CALIBRATION_FIGURES, { nullable: true }).properties,
    source: oneOfStrings(['validation_calibration', 'validation_metrics']),
  }),
  live: nullable(liveCalibration),
  change: nullable(numbersNamed(CALIBRATION_FIGURES, { nullable: true, description: 'live - baseline' })),
});

const expectedFigures = numbersNamed(EXPECTED_FIGURES, { nullable: true });

const expectedReport = object(
  {
    method: oneOfStrings(['cbpe']),
    assumption: string(),
    triggers_heal: { type: 'boolean', enum: [false], description: 'The estimate never triggers a heal' },
    window_size: integer('Predictions in the window, labelled or not'),
    min_predictions: integer(),
    estimate: nullable(
      object({
        ...expectedFigures.properties,
        n: integer(),
        expected_confusion: numbersNamed(['tp', 'fp', 'tn', 'fn']),
        accuracy_sd: number(),
      }),
    ),
    baseline: nullable(expectedFigures),
    change: nullable(expectedFigures),
    reasons: REASONS,
  },
  { description: "The label-free estimate (NannyML's CBPE) over the latest predictions; it judges nothing" },
);

export const PERFORMANCE_RESPONSE: Schema = object({
  verdict: VERDICT,
  n_labelled: integer(),
  n_positive: integer(),
  min_labels: integer(),
  live: nullable(numbersNamed(FIGURES)),
  baseline: numbersNamed(FIGURES, { description: "The version's validation metrics" }),
  change: nullable(numbersNamed(FIGURES, { description: 'live - baseline' })),
  reasons: REASONS,
  calibration: calibrationReport,
  expected: expectedReport,
  reference_version: string(),
});

export const STATUS_RESPONSE: Schema = object({
  status: oneOfStrings(MONITORING_VERDICTS),
  model_version: string(),
  reasons: REASONS,
  drift: object({
    verdict: DRIFT_VERDICT,
    dataset_drift: boolean(),
    window_size: integer(),
    drifted_features: arrayOf(string()),
    share_drifted_features: number(),
    prediction_drift: boolean(),
  }),
  performance: object({
    verdict: VERDICT,
    n_labelled: integer(),
    live: nullable(numbersNamed(FIGURES)),
    calibration: object({ verdict: VERDICT, reasons: REASONS, skipped: arrayOf(string()) }),
    expected: object({
      triggers_heal: { type: 'boolean', enum: [false] },
      window_size: integer(),
      accuracy: nullable(number()),
      f1_score: nullable(number()),
      roc_auc: nullable(number()),
      brier_score: nullable(number()),
      baseline_accuracy: nullable(number()),
    }),
  }),
  generated_at: dateTime(),
});
