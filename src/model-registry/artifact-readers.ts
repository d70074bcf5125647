import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import {
  ShapeError,
  expectSameList,
  readArray,
  readIntegerArray,
  readNumber,
  readNumberArray,
  readObject,
  readStringArray,
} from '../common/json-shape';
import { SplitIndices } from '../preprocessing/stratified-split';
import { ProbabilityMetrics } from '../training/metrics';
import { readValidationCalibration } from './calibration-baseline-reader';
import { ReferenceStatistics } from '../training/reference-statistics';
import { BaselineMetrics } from './model-version';

const METRIC_NAMES = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score', 'positive_rate'] as const;

function readMetricSet(value: unknown, at: string): ProbabilityMetrics {
  const doc = readObject(value, at);
  for (const name of METRIC_NAMES) readNumber(doc[name], `${at}.${name}`);
  return doc as unknown as ProbabilityMetrics;
}

export function readBaselineMetrics(json: unknown): BaselineMetrics {
  const doc = readObject(json, 'metrics');
  return {
    validation: readMetricSet(doc.validation, 'validation'),
    test: readMetricSet(doc.test, 'test'),
    // Absent from versions saved before calibration baselines: monitoring then skips the rules that need it.
    validation_calibration: doc.validation_calibration === undefined ? null : readValidationCalibration(doc.validation_calibration),
  };
}

function readBins(doc: Record<string, unknown>, at: string): void {
  const edges = readNumberArray(doc.edges, `${at}.edges`);
  const proportions = readNumberArray(doc.proportions, `${at}.proportions`);
  if (proportions.length !== edges.length + 1) {
    throw new ShapeError(`${at}.proportions must have one more entry than ${at}.edges`);
  }
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) throw new ShapeError(`${at}.edges must be strictly increasing`);
  }
}

export function readReferenceStatistics(json: unknown, schema: DatasetSchema): ReferenceStatistics {
  const doc = readObject(json, 'stats');
  const numeric = readObject(doc.numeric, 'numeric');
  for (const name of schema.numericFeatures) {
    const feature = readObject(numeric[name], `numeric.${name}`);
    readBins(feature, `numeric.${name}`);
    for (const key of ['mean', 'std', 'min', 'max']) readNumber(feature[key], `numeric.${name}.${key}`);
    if (readNumberArray(feature.sample, `numeric.${name}.sample`).length === 0) {
      throw new ShapeError(`numeric.${name}.sample must not be empty`);
    }
  }
  const categorical = readObject(doc.categorical, 'categorical');
  for (const name of schema.categoricalFeatures) {
    const feature = readObject(categorical[name], `categorical.${name}`);
    const categories = readStringArray(feature.categories, `categorical.${name}.categories`);
    const proportions = readNumberArray(feature.proportions, `categorical.${name}.proportions`);
    if (categories.length !== proportions.length) {
      throw new ShapeError(`categorical.${name}: categories and proportions differ in length`);
    }
  }
  const prediction = readObject(doc.prediction, 'prediction');
  readBins(prediction, 'prediction');
  readNumber(prediction.positive_rate, 'prediction.positive_rate');
  readNumber(prediction.actual_positive_rate, 'prediction.actual_positive_rate');
  readNumber(doc.n_reference, 'n_reference');
  return doc as unknown as ReferenceStatistics;
}

export function readSplit(json: unknown): SplitIndices {
  const doc = readObject(json, 'split');
  return {
    train: readIntegerArray(doc.train, 'train'),
    validation: readIntegerArray(doc.validation, 'validation'),
    test: readIntegerArray(doc.test, 'test'),
  };
}

/** baseline/vN/training-data.json: {feature_names, rows: [[one value per feature]], labels: [0|1]}. */
export function readTrainingRows(json: unknown, schema: DatasetSchema): { records: FeatureRecord[]; labels: Uint8Array } {
  const doc = readObject(json, 'training data');
  const names = schema.featureNames;
  expectSameList(readStringArray(doc.feature_names, 'feature_names'), names, 'feature_names');
  const rows = readArray(doc.rows, 'rows');
  const labels = readIntegerArray(doc.labels, 'labels');
  if (labels.length !== rows.length) throw new ShapeError('rows and labels differ in length');
  const records = rows.map((row, i) => {
    if (!Array.isArray(row) || row.length !== names.length) throw new ShapeError(`rows[${i}] must hold ${names.length} values`);
    const record: Record<string, string | number> = {};
    names.forEach((name, j) => {
      const value: unknown = row[j];
      if (schema.isCategorical(name) ? typeof value !== 'string' : typeof value !== 'number' || !Number.isFinite(value)) {
        throw new ShapeError(`rows[${i}][${j}] (${name}) has the wrong type`);
      }
      record[name] = value as string | number;
    });
    return record;
  });
  if (labels.some((y) => y > 1)) throw new ShapeError('labels must be 0 or 1');
  return { records, labels: Uint8Array.from(labels) };
}
