import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { Preprocessor } from '../preprocessing/preprocessor';
import { SplitIndices, stratifiedSplit } from '../preprocessing/stratified-split';
import { ValidationCalibration, validationCalibration } from './calibration-baseline';
import { needsCalibrationSlice } from './calibrated-model';
import { ModelSpecFit, fitModelSpec } from './fit-model-spec';
import { TrainingDataError } from './logistic-regression';
import { LogisticModel } from './logistic-model';
import { ProbabilityMetrics, evaluateProbabilities } from './metrics';
import { MODEL_SPEC_PRESETS, ModelSpec, ModelSpecError, ORIGINAL_SPEC, readModelSpec } from './model-spec';
import { featureSubset } from '../preprocessing/input-layout';
import { Calibration, DEFAULT_SPLIT_PARAMS, ModelParams, estimatorParams } from './model-params';
import { ReferenceStatistics, computeReferenceStatistics } from './reference-statistics';

// Where callers have always found them.
export { MODEL_PARAMS, estimatorParams } from './model-params';
export type { Calibration, EstimatorParams, ModelParams } from './model-params';

export interface TrainingInput {
  /** The columns the records follow. */
  schema: DatasetSchema;
  records: readonly FeatureRecord[];
  labels: Uint8Array;
  seed: number;
  /** A precomputed split; by default the stratified seeded 70/15/15 split. */
  split?: SplitIndices;
  /** Categories to accept beyond those in `records` (a challenger keeps its champion's). */
  knownClasses?: Readonly<Record<string, readonly string[]>>;
  /** What to fit; by default the original spec. */
  spec?: ModelSpec;
  /**
   * Healing's HEAL_CALIBRATION, a shorthand for the original spec (`balanced`) or the `prior`
   * preset; give this or `spec`, not both.
   */
  calibration?: Calibration;
  /**
   * Rows (indices into `records`, none of them training rows) to fit a `platt` or `isotonic` map
   * on. By default the validation part of the default split; with a given split they must be
   * given, since its validation part is the caller's holdout (a map fitted there would flatter
   * the model on the very rows it is judged on).
   */
  calibrationRows?: readonly number[];
}

/** Everything one training run produces, ready to be saved as a version. */
export interface TrainedModel {
  model: LogisticModel;
  params: ModelParams;
  preprocessor: Preprocessor;
  split: SplitIndices;
  metrics: { validation: ProbabilityMetrics; test: ProbabilityMetrics; validation_calibration: ValidationCalibration };
  stats: ReferenceStatistics;
  solver: ModelSpecFit['solver'];
  rows: { total: number; train: number; validation: number; test: number };
}

/** The spec to fit, checked (a caller's spec object gets the same checks as `train --model`'s JSON). */
function specOf({ spec, calibration, schema }: TrainingInput): ModelSpec {
  if (spec && calibration) throw new Error('give a model spec or a calibration, not both');
  if (spec) {
    const checked = readModelSpec(spec);
    if (!checked.features) return checked;
    // In schema order, so that two subsets with the same features are recorded alike.
    try {
      return { ...checked, features: featureSubset(checked.features, 'model spec: features', schema.featureNames) };
    } catch (err) {
      throw new ModelSpecError((err as Error).message);
    }
  }
  return calibration === 'prior' ? MODEL_SPEC_PRESETS.prior : ORIGINAL_SPEC;
}

/**
 * The rows a map is fitted on: the default split's validation part unless the caller gives some.
 * A given split's validation part is the caller's holdout, so then they must be given.
 */
function calibrationRowsOf(input: TrainingInput, split: SplitIndices): { indices: readonly number[]; source: 'validation' | 'given' } {
  const rows = input.calibrationRows;
  if (!rows) {
    if (input.split) {
      throw new Error('a given split needs calibrationRows for platt or isotonic calibration (its validation part is the holdout)');
    }
    return { indices: split.validation, source: 'validation' };
  }
  const isValidation = rows.length === split.validation.length && rows.every((row, k) => row === split.validation[k]);
  return { indices: rows, source: isValidation ? 'validation' : 'given' };
}

/** Rows of each class required, so the default 70/15/15 split gives every part both classes. */
const MIN_ROWS_PER_CLASS = 7;

/**
 * split (unless given) -> fit preprocessor on train -> fit model -> calibrate -> evaluate on
 * validation and test, all as the spec says (by default the original spec).
 * Pure: the same input and seed give the same model, to the bit. A candidate that cannot be fitted
 * (too few rows of a class, no convergence, a calibration slice of one class) throws
 * TrainingDataError, so a search can skip it and record why.
 */
export function trainModel(input: TrainingInput): TrainedModel {
  const { schema, records, labels, seed, split: givenSplit, knownClasses } = input;
  const spec = specOf(input);
  if (records.length !== labels.length) throw new Error('records and labels differ in length');
  let positives = 0;
  for (const label of labels) positives += label;
  const negatives = labels.length - positives;
  if (Math.min(positives, negatives) < MIN_ROWS_PER_CLASS) {
    const { positive, negative } = schema.target;
    throw new TrainingDataError(
      `needs at least ${MIN_ROWS_PER_CLASS} rows of each class, got ${positives} "${positive}" and ${negatives} "${negative}"`,
    );
  }
  const split = givenSplit ?? stratifiedSplit(labels, seed);
  const calibrationRows = needsCalibrationSlice(spec.calibration) ? calibrationRowsOf(input, split) : null;
  const { model, preprocessor, solver } = fitModelSpec({
    schema,
    records,
    labels,
    trainRows: split.train,
    spec,
    calibrationRows: calibrationRows?.indices,
    knownClasses,
  });
  // One scratch row for every record scored: no array per row for the collector.
  const scratch = new Float64Array(preprocessor.width);
  const probabilitiesOf = (indices: readonly number[]) =>
    Float64Array.from(indices, (i) => model.probability(preprocessor.transformInto(records[i], scratch)));
  const labelsOf = (indices: readonly number[]) => Uint8Array.from(indices, (i) => labels[i]);

  const validationY = labelsOf(split.validation);
  const validationP = probabilitiesOf(split.validation);
  const testY = labelsOf(split.test);
  const testP = probabilitiesOf(split.test);
  const classes: Record<string, readonly string[]> = {};
  for (const [name, encoder] of Object.entries(preprocessor.encoders)) classes[name] = encoder.classes;

  return {
    model,
    params: {
      ...estimatorParams(spec),
      threshold: model.threshold,
      calibration: spec.calibration === 'none' && spec.class_weight === 'balanced' ? 'balanced' : spec.calibration,
      ...(calibrationRows ? { calibration_rows: { source: calibrationRows.source, rows: calibrationRows.indices.length } } : {}),
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
      schema,
      split.train.map((i) => records[i]),
      classes,
      validationP,
      validationY,
      seed,
      model.threshold,
    ),
    solver,
    rows: {
      total: records.length,
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
    },
  };
}
