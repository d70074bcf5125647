import { FEATURE_NAMES } from '../data/dataset-schema';
import {
  ShapeError,
  expectSameList,
  readNumber,
  readNumberArray,
  readObject,
  readStringArray,
} from '../common/json-shape';
import { linearScore, sigmoid } from './logistic-regression';
import { DEFAULT_THRESHOLD } from './metrics';

/** model.json: a fitted logistic regression over the 19 preprocessed features. */
export interface LogisticModelJson {
  type: 'logistic_regression';
  feature_names: string[];
  coefficients: number[];
  intercept: number;
  /** Predict "yes" when P(yes) > threshold. */
  threshold: number;
}

export class LogisticModel {
  constructor(
    readonly coefficients: Float64Array,
    readonly intercept: number,
    readonly threshold: number = DEFAULT_THRESHOLD,
  ) {
    if (coefficients.length !== FEATURE_NAMES.length) {
      throw new Error(`a model needs ${FEATURE_NAMES.length} coefficients, got ${coefficients.length}`);
    }
  }

  /** P(yes) for one preprocessed row. */
  probability(x: ArrayLike<number>): number {
    return sigmoid(linearScore(this.coefficients, this.intercept, x));
  }

  probabilities(rows: readonly ArrayLike<number>[]): Float64Array {
    const out = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.probability(rows[i]);
    return out;
  }

  toJSON(): LogisticModelJson {
    return {
      type: 'logistic_regression',
      feature_names: [...FEATURE_NAMES],
      coefficients: Array.from(this.coefficients),
      intercept: this.intercept,
      threshold: this.threshold,
    };
  }

  static fromJSON(json: unknown): LogisticModel {
    const doc = readObject(json, 'model');
    if (doc.type !== 'logistic_regression') throw new ShapeError('type must be "logistic_regression"');
    expectSameList(readStringArray(doc.feature_names, 'feature_names'), FEATURE_NAMES, 'feature_names');
    const coefficients = readNumberArray(doc.coefficients, 'coefficients');
    if (coefficients.length !== FEATURE_NAMES.length) {
      throw new ShapeError(`coefficients must hold ${FEATURE_NAMES.length} numbers`);
    }
    const threshold = readNumber(doc.threshold, 'threshold');
    if (threshold <= 0 || threshold >= 1) throw new ShapeError('threshold must be between 0 and 1');
    return new LogisticModel(Float64Array.from(coefficients), readNumber(doc.intercept, 'intercept'), threshold);
  }
}
