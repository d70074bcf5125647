import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { featureSubset } from '../preprocessing/input-layout';
import { Preprocessor } from '../preprocessing/preprocessor';
import { calibratedModel, needsCalibrationSlice } from './calibrated-model';
import { fitLogisticRegression, sparseRowsFrom } from './logistic-regression';
import { LogisticModel } from './logistic-model';
import { ModelSpec, ModelSpecError, readModelSpec } from './model-spec';

/** Newton stops when the gradient's norm is below this: sklearn's optimum to ~1e-9. */
export const GRADIENT_TOLERANCE = 1e-8;

export interface ModelSpecFitInput {
  schema: DatasetSchema;
  records: readonly FeatureRecord[];
  labels: ArrayLike<number>;
  /** The rows (indices into records) the scalers and the regression are fitted on. */
  trainRows: readonly number[];
  spec: ModelSpec;
  /** For `platt` / `isotonic`: the rows the map is fitted on, none of them a training row. */
  calibrationRows?: readonly number[];
  /** Categories to accept beyond those in `records` (a challenger keeps its champion's). */
  knownClasses?: Readonly<Record<string, readonly string[]>>;
}

export interface ModelSpecFit {
  model: LogisticModel;
  preprocessor: Preprocessor;
  solver: { iterations: number; gradient_norm: number; class_weights: { 0: number; 1: number } };
}

/**
 * One candidate's fit, and nothing more (no metrics, no reference statistics): the preprocessor
 * of the spec's layout on the training rows, the logistic regression with its class weights and
 * C, the calibration. What a challenger search runs per candidate; trainModel builds on it.
 * Throws TrainingDataError when the candidate cannot be fitted (one class, no convergence, a
 * calibration slice of one class), ModelSpecError for a bad spec, Error for bad rows.
 */
export function fitModelSpec(input: ModelSpecFitInput): ModelSpecFit {
  const { schema, records, labels, trainRows, knownClasses } = input;
  const spec = readModelSpec(input.spec);
  const calibrationRows = needsCalibrationSlice(spec.calibration) ? checkedCalibrationRows(input) : null;
  let features: string[];
  try {
    features = spec.features ? featureSubset(spec.features, 'model spec: features', schema.featureNames) : [...schema.featureNames];
  } catch (err) {
    throw new ModelSpecError((err as Error).message);
  }
  const preprocessor = Preprocessor.fit(schema, records, trainRows, knownClasses, { encoding: spec.encoding, features });
  const labelsOf = (rows: readonly number[]) => Uint8Array.from(rows, (i) => labels[i]);
  const trainY = labelsOf(trainRows);
  // Rows go straight from records into the fit's sparse design: no array per row to collect.
  const design = sparseRowsFrom(trainRows.length, preprocessor.width, (i, out) => preprocessor.transformInto(records[trainRows[i]], out));
  const fit = fitLogisticRegression(design, trainY, {
    C: spec.C,
    classWeight: spec.class_weight === 'balanced' ? 'balanced' : null,
    tolerance: GRADIENT_TOLERANCE,
  });
  const slice = calibrationRows && {
    rows: preprocessor.transformRows(records, calibrationRows),
    labels: labelsOf(calibrationRows),
  };
  return {
    model: calibratedModel(fit, { columns: preprocessor.columns, featureNames: schema.featureNames }, spec.calibration, trainY, slice),
    preprocessor,
    solver: { iterations: fit.iterations, gradient_norm: fit.gradientNorm, class_weights: fit.classWeights },
  };
}

function checkedCalibrationRows({ calibrationRows, trainRows, records, spec }: ModelSpecFitInput): readonly number[] {
  if (!calibrationRows) throw new Error(`${spec.calibration} calibration needs calibration rows`);
  const training = new Set(trainRows);
  for (const i of calibrationRows) {
    if (!Number.isInteger(i) || i < 0 || i >= records.length) throw new Error(`calibration row ${i} is not a row index`);
    if (training.has(i)) throw new Error(`calibration row ${i} is a training row`);
  }
  return calibrationRows;
}
