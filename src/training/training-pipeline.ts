import { FeatureRecord } from '../data/dataset-schema';
import { Preprocessor } from '../preprocessing/preprocessor';
import { DEFAULT_SPLIT, SplitIndices, stratifiedSplit } from '../preprocessing/stratified-split';
import { ValidationCalibration, validationCalibration } from './calibration-baseline';
import { fitLogisticRegression } from './logistic-regression';
import { LogisticModel } from './logistic-model';
import { DEFAULT_THRESHOLD, ProbabilityMetrics, evaluateProbabilities } from './metrics';
import { ReferenceStatistics, computeReferenceStatistics } from './reference-statistics';

/** The estimator's settings, the same for every fit. */
export const MODEL_PARAMS = {
  model: 'logistic_regression',
  C: 1,
  class_weight: 'balanced',
  solver: 'newton',
  gradient_tolerance: 1e-8,
} as const;

/** What a version's metadata records of how it was fitted: the estimator, its calibration, its split. */
export type ModelParams = typeof MODEL_PARAMS & {
  threshold: number;
  calibration: Calibration;
  split:
    | { train: number; validation: number; test: number; stratified: true }
    /** A split given by the caller (a challenger's training rows and holdout): its sizes. */
    | { given: true; train: number; validation: number; test: number };
};

/** The default split as metadata records it (test is the rest, 0.15). */
const DEFAULT_SPLIT_PARAMS = {
  ...DEFAULT_SPLIT,
  test: Number((1 - DEFAULT_SPLIT.train - DEFAULT_SPLIT.validation).toFixed(10)),
  stratified: true as const,
};

export interface TrainingInput {
  records: readonly FeatureRecord[];
  labels: Uint8Array;
  seed: number;
  /** A precomputed split; by default the stratified seeded 70/15/15 split. */
  split?: SplitIndices;
  /** Categories to accept beyond those in `records` (a challenger keeps its champion's). */
  knownClasses?: Readonly<Record<string, readonly string[]>>;
  /**
   * `balanced` (the seed's model): P(yes) as if both classes were equally common, threshold 0.5.
   * `prior`: the same fit with the intercept moved by the log-odds of the training rows' "yes"
   * share and the threshold set to that share, so P(yes) is calibrated to the base rate while
   * every yes/no decision stays the balanced model's (King & Zeng's prior correction).
   */
  calibration?: Calibration;
}

export type Calibration = 'balanced' | 'prior';

/** Everything one training run produces, ready to be saved as a version. */
export interface TrainedModel {
  model: LogisticModel;
  params: ModelParams;
  preprocessor: Preprocessor;
  split: SplitIndices;
  metrics: { validation: ProbabilityMetrics; test: ProbabilityMetrics; validation_calibration: ValidationCalibration };
  stats: ReferenceStatistics;
  solver: { iterations: number; gradient_norm: number; class_weights: { 0: number; 1: number } };
  rows: { total: number; train: number; validation: number; test: number };
}

function calibrated(coefficients: ArrayLike<number>, intercept: number, trainY: Uint8Array, calibration: Calibration): LogisticModel {
  const weights = Float64Array.from(coefficients);
  if (calibration === 'balanced') return new LogisticModel(weights, intercept, DEFAULT_THRESHOLD);
  let positives = 0;
  for (const label of trainY) positives += label;
  const baseRate = positives / trainY.length;
  return new LogisticModel(weights, intercept + Math.log(baseRate / (1 - baseRate)), baseRate);
}

/** Rows of each class required, so the default 70/15/15 split gives every part both classes. */
const MIN_ROWS_PER_CLASS = 7;

/**
 * split (unless given) -> fit preprocessor on train -> fit model -> calibrate -> evaluate on
 * validation and test.
 * Pure: the same input and seed give the same model, to the bit.
 */
export function trainModel({ records, labels, seed, split: givenSplit, knownClasses, calibration = 'balanced' }: TrainingInput): TrainedModel {
  if (records.length !== labels.length) throw new Error('records and labels differ in length');
  let positives = 0;
  for (const label of labels) positives += label;
  const negatives = labels.length - positives;
  if (Math.min(positives, negatives) < MIN_ROWS_PER_CLASS) {
    throw new Error(
      `needs at least ${MIN_ROWS_PER_CLASS} rows of each class, got ${positives} "yes" and ${negatives} "no"`,
    );
  }
  const split = givenSplit ?? stratifiedSplit(labels, seed);
  const preprocessor = Preprocessor.fit(records, split.train, knownClasses);
  const design = (indices: number[]) => preprocessor.transformRows(records, indices);
  const labelsOf = (indices: number[]) => Uint8Array.from(indices, (i) => labels[i]);

  const trainY = labelsOf(split.train);
  const fit = fitLogisticRegression(design(split.train), trainY, {
    C: MODEL_PARAMS.C,
    classWeight: MODEL_PARAMS.class_weight,
    tolerance: MODEL_PARAMS.gradient_tolerance,
  });
  const model = calibrated(fit.coefficients, fit.intercept, trainY, calibration);

  const validationY = labelsOf(split.validation);
  const validationP = model.probabilities(design(split.validation));
  const testY = labelsOf(split.test);
  const testP = model.probabilities(design(split.test));
  const classes: Record<string, readonly string[]> = {};
  for (const [name, encoder] of Object.entries(preprocessor.encoders)) classes[name] = encoder.classes;

  return {
    model,
    params: {
      ...MODEL_PARAMS,
      threshold: model.threshold,
      calibration,
      split: givenSplit
        ? { given: true, train: split.train.length, validation: split.validation.length, test: split.test.length }
        : DEFAULT_SPLIT_PARAMS,
    },
    preprocessor,
    split,
    metrics: {
      validation: evaluateProbabilities(validationY, validationP, model.threshold),
      test: evaluateProbabilities(testY, testP, model.threshold),
      validation_calibration: validationCalibration(validationY, validationP, model.threshold),
    },
    stats: computeReferenceStatistics(
      split.train.map((i) => records[i]),
      classes,
      validationP,
      validationY,
      seed,
      model.threshold,
    ),
    solver: { iterations: fit.iterations, gradient_norm: fit.gradientNorm, class_weights: fit.classWeights },
    rows: {
      total: records.length,
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
    },
  };
}
