import {
  CATEGORICAL_FEATURES,
  FEATURE_NAMES,
  FeatureRecord,
  NUMERIC_FEATURES,
  isCategorical,
} from '../data/dataset-schema';
import {
  ShapeError,
  expectSameList,
  readNumberMap,
  readObject,
  readStringArray,
} from '../common/json-shape';
import { LabelEncoder } from './label-encoder';
import { ScalerParams, fitStandardScaler } from './standard-scaler';

/** preprocessor.json: everything needed to turn a record into the model's 19 inputs. */
export interface PreprocessorJson {
  feature_names: string[];
  numeric_features: string[];
  categorical_features: string[];
  /** Per categorical feature, the sorted classes; a value's code is its index. */
  label_encoders: Record<string, string[]>;
  scaler: { mean: Record<string, number>; scale: Record<string, number> };
}

/** A value the fitted preprocessor cannot encode: an unknown category. */
export class UnknownCategoryError extends Error {
  constructor(
    readonly feature: string,
    readonly value: string,
    readonly allowed: readonly string[],
  ) {
    super(`${feature} must be one of: ${allowed.join(', ')} (got '${value}')`);
  }
}

/**
 * Label-encodes the categorical features (codes are not scaled) and standard-scales the numeric
 * ones, writing the 19 values in FEATURE_NAMES order. Built once per model, so the per-row work is
 * a map lookup or a subtract-and-divide per feature.
 */
export class Preprocessor {
  readonly encoders: Readonly<Record<string, LabelEncoder>>;
  readonly scalers: Readonly<Record<string, ScalerParams>>;
  /** Per feature position: its encoder, or its scaler. */
  private readonly steps: Array<{ name: string; encoder?: LabelEncoder; scaler?: ScalerParams }>;

  constructor(encoders: Record<string, LabelEncoder>, scalers: Record<string, ScalerParams>) {
    this.encoders = encoders;
    this.scalers = scalers;
    this.steps = FEATURE_NAMES.map((name) =>
      isCategorical(name) ? { name, encoder: encoders[name] } : { name, scaler: scalers[name] },
    );
  }

  /**
   * Encoders learn the categories of every row given (the whole input file: a category carries no
   * target information, and this lets a rare category in validation be encoded), plus any
   * `knownClasses` (a challenger keeps accepting every category its champion accepted); scalers
   * learn from the training rows only, so nothing of validation or test leaks into the model.
   */
  static fit(
    allRecords: readonly FeatureRecord[],
    trainIndices: readonly number[],
    knownClasses: Readonly<Record<string, readonly string[]>> = {},
  ): Preprocessor {
    if (trainIndices.length === 0) throw new Error('cannot fit a preprocessor on no training rows');
    const encoders: Record<string, LabelEncoder> = {};
    for (const name of CATEGORICAL_FEATURES) {
      encoders[name] = LabelEncoder.fit([...allRecords.map((r) => r[name]), ...(knownClasses[name] ?? [])]);
    }
    const scalers: Record<string, ScalerParams> = {};
    const column = new Float64Array(trainIndices.length);
    for (const name of NUMERIC_FEATURES) {
      for (let i = 0; i < trainIndices.length; i++) column[i] = allRecords[trainIndices[i]][name];
      scalers[name] = fitStandardScaler(column);
    }
    return new Preprocessor(encoders, scalers);
  }

  /** The first unknown category in a record, or null when every value can be encoded. */
  findUnknownCategory(record: Readonly<Record<string, unknown>>): UnknownCategoryError | null {
    for (const name of CATEGORICAL_FEATURES) {
      const value = String(record[name]);
      if (!this.encoders[name].has(value)) return new UnknownCategoryError(name, value, this.encoders[name].classes);
    }
    return null;
  }

  /** Writes the 19 model inputs of a record into `out` (reused by callers to avoid allocation). */
  transformInto(record: FeatureRecord, out: Float64Array): Float64Array {
    const steps = this.steps;
    for (let j = 0; j < steps.length; j++) {
      const step = steps[j];
      const value = (record as unknown as Record<string, number | string>)[step.name];
      if (step.encoder) {
        const code = step.encoder.encode(value as string);
        if (code < 0) throw new UnknownCategoryError(step.name, value as string, step.encoder.classes);
        out[j] = code;
      } else {
        out[j] = ((value as number) - step.scaler!.mean) / step.scaler!.scale;
      }
    }
    return out;
  }

  transform(record: FeatureRecord): Float64Array {
    return this.transformInto(record, new Float64Array(FEATURE_NAMES.length));
  }

  /** Row-major matrix of the given rows' model inputs. */
  transformRows(records: readonly FeatureRecord[], indices?: readonly number[]): Float64Array[] {
    const rows = indices ? indices.map((i) => records[i]) : records;
    return rows.map((r) => this.transform(r));
  }

  toJSON(): PreprocessorJson {
    const label_encoders: Record<string, string[]> = {};
    for (const name of CATEGORICAL_FEATURES) label_encoders[name] = [...this.encoders[name].classes];
    const mean: Record<string, number> = {};
    const scale: Record<string, number> = {};
    for (const name of NUMERIC_FEATURES) {
      mean[name] = this.scalers[name].mean;
      scale[name] = this.scalers[name].scale;
    }
    return {
      feature_names: [...FEATURE_NAMES],
      numeric_features: [...NUMERIC_FEATURES],
      categorical_features: [...CATEGORICAL_FEATURES],
      label_encoders,
      scaler: { mean, scale },
    };
  }

  /** Rebuilds a preprocessor from preprocessor.json, checking every field; throws ShapeError. */
  static fromJSON(json: unknown): Preprocessor {
    const doc = readObject(json, 'preprocessor');
    expectSameList(readStringArray(doc.feature_names, 'feature_names'), FEATURE_NAMES, 'feature_names');
    expectSameList(readStringArray(doc.numeric_features, 'numeric_features'), NUMERIC_FEATURES, 'numeric_features');
    expectSameList(
      readStringArray(doc.categorical_features, 'categorical_features'),
      CATEGORICAL_FEATURES,
      'categorical_features',
    );
    const encoderDoc = readObject(doc.label_encoders, 'label_encoders');
    const encoders: Record<string, LabelEncoder> = {};
    for (const name of CATEGORICAL_FEATURES) {
      const classes = readStringArray(encoderDoc[name], `label_encoders.${name}`);
      if (classes.length === 0) throw new ShapeError(`label_encoders.${name} must not be empty`);
      try {
        encoders[name] = new LabelEncoder(classes);
      } catch {
        throw new ShapeError(`label_encoders.${name} must hold distinct classes`);
      }
    }
    const scalerDoc = readObject(doc.scaler, 'scaler');
    const mean = readNumberMap(scalerDoc.mean, 'scaler.mean', NUMERIC_FEATURES);
    const scale = readNumberMap(scalerDoc.scale, 'scaler.scale', NUMERIC_FEATURES);
    const scalers: Record<string, ScalerParams> = {};
    for (const name of NUMERIC_FEATURES) {
      if (scale[name] <= 0) throw new ShapeError(`scaler.scale.${name} must be positive`);
      scalers[name] = { mean: mean[name], scale: scale[name] };
    }
    return new Preprocessor(encoders, scalers);
  }
}
