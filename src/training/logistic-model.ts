import { ShapeError, expectSameList, readNumber, readNumberArray, readObject, readStringArray } from '../common/json-shape';
import { CalibrationMap, calibratedProbability, readCalibrationMap } from './calibration/calibration-map';
import { linearScore, sigmoid } from './logistic-regression';
import { DEFAULT_THRESHOLD } from './metrics';

/**
 * model.json: a fitted logistic regression over the preprocessed features. The two optional fields
 * are written only when they differ from the seed's model, so its model.json stays as it was, and
 * a file without them is read as the seed's.
 */
export interface LogisticModelJson {
  type: 'logistic_regression';
  /** The request's features (all of the schema's, whichever enter the model). */
  feature_names: string[];
  /** The input each coefficient multiplies (one-hot columns, a feature subset); absent: feature_names. */
  columns?: string[];
  coefficients: number[];
  intercept: number;
  /** Predict "yes" when P(yes) > threshold. */
  threshold: number;
  /** The map from the linear score to P(yes); absent: the logistic sigmoid. */
  calibration?: CalibrationMap;
}

export interface LogisticModelOptions {
  /** The name of each input, as the preprocessor's columns; default the features. */
  columns?: readonly string[];
  /** The request's features (the schema's); default the columns. */
  featureNames?: readonly string[];
  /** A Platt or isotonic map applied to the linear score instead of the plain sigmoid. */
  calibration?: CalibrationMap;
}

export class LogisticModel {
  readonly columns: readonly string[];
  readonly featureNames: readonly string[];
  readonly calibration: CalibrationMap | null;

  constructor(
    readonly coefficients: Float64Array,
    readonly intercept: number,
    readonly threshold: number = DEFAULT_THRESHOLD,
    options: LogisticModelOptions = {},
  ) {
    this.featureNames = options.featureNames ?? options.columns ?? [];
    this.columns = options.columns ?? this.featureNames;
    this.calibration = options.calibration ?? null;
    if (coefficients.length !== this.columns.length) {
      throw new Error(`a model needs ${this.columns.length} coefficients, got ${coefficients.length}`);
    }
  }

  /** The linear score (log-odds before any calibration map) of one preprocessed row. */
  decision(x: ArrayLike<number>): number {
    return linearScore(this.coefficients, this.intercept, x);
  }

  /** P(yes) for one preprocessed row. */
  probability(x: ArrayLike<number>): number {
    const z = linearScore(this.coefficients, this.intercept, x);
    return this.calibration === null ? sigmoid(z) : calibratedProbability(this.calibration, z);
  }

  probabilities(rows: readonly ArrayLike<number>[]): Float64Array {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.probability(rows[i]);
    return out;
  }

  toJSON(): LogisticModelJson {
    const names = this.featureNames;
    const seedColumns = this.columns.length === names.length && this.columns.every((c, i) => c === names[i]);
    return {
      type: 'logistic_regression',
      feature_names: [...names],
      ...(seedColumns ? {} : { columns: [...this.columns] }),
      coefficients: Array.from(this.coefficients),
      intercept: this.intercept,
      threshold: this.threshold,
      ...(this.calibration ? { calibration: this.calibration } : {}),
    };
  }

  /**
   * Why this model cannot score the rows of a preprocessor with these columns, or null when it can:
   * a model.json and a preprocessor.json that do not belong together would score garbage.
   */
  inputMismatch(preprocessorColumns: readonly string[]): string | null {
    const same = this.columns.length === preprocessorColumns.length && this.columns.every((c, i) => c === preprocessorColumns[i]);
    return same ? null : `columns must be the preprocessor's ${preprocessorColumns.length} inputs, in its order`;
  }

  /**
   * Rebuilds a model from model.json, checking every field (and, when given, that its features are
   * the schema's); throws ShapeError.
   */
  static fromJSON(json: unknown, expectedFeatures?: readonly string[]): LogisticModel {
    const doc = readObject(json, 'model');
    if (doc.type !== 'logistic_regression') throw new ShapeError('type must be "logistic_regression"');
    const featureNames = readStringArray(doc.feature_names, 'feature_names');
    if (expectedFeatures) expectSameList(featureNames, expectedFeatures, 'feature_names');
    if (new Set(featureNames).size !== featureNames.length || featureNames.length === 0) {
      throw new ShapeError('feature_names must hold distinct names');
    }
    const columns = doc.columns === undefined ? featureNames : readStringArray(doc.columns, 'columns');
    if (new Set(columns).size !== columns.length || columns.length === 0) {
      throw new ShapeError('columns must hold distinct names');
    }
    const coefficients = readNumberArray(doc.coefficients, 'coefficients');
    if (coefficients.length !== columns.length) {
      throw new ShapeError(`coefficients must hold ${columns.length} numbers`);
    }
    const threshold = readNumber(doc.threshold, 'threshold');
    if (threshold <= 0 || threshold >= 1) throw new ShapeError('threshold must be between 0 and 1');
    const calibration = doc.calibration === undefined ? undefined : readCalibrationMap(doc.calibration, 'calibration');
    return new LogisticModel(Float64Array.from(coefficients), readNumber(doc.intercept, 'intercept'), threshold, {
      columns,
      featureNames,
      calibration,
    });
  }
}
