import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { ShapeError, expectSameList, readNumberMap, readObject, readStringArray } from '../common/json-shape';
import { CATEGORICAL_ENCODINGS, CategoricalEncoding, InputFeature, InputLayout, featureSubset, oneHotColumnName } from './input-layout';
import { LabelEncoder } from './label-encoder';
import { ScalerParams, fitStandardScaler } from './standard-scaler';

/** preprocessor.json: everything needed to turn a record into the model's inputs. */
export interface PreprocessorJson {
  feature_names: string[];
  numeric_features: string[];
  categorical_features: string[];
  /** Per categorical feature, the sorted classes; a value's code is its index. */
  label_encoders: Record<string, string[]>;
  scaler: { mean: Record<string, number>; scale: Record<string, number> };
  /** Absent in files written before one-hot existed: they are ordinal. */
  encoding?: CategoricalEncoding;
  /** The features that enter the model, in schema order; absent in older files: all of them. */
  model_features?: string[];
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
 * One feature's part of the work: standard-scale a number, write a category's code (ordinal) or its
 * one-hot columns, or only check the category (a feature left out of the model is still validated).
 */
type Step =
  | { kind: 'scale'; name: string; offset: number; scaler: ScalerParams }
  | { kind: 'code' | 'one_hot' | 'check'; name: string; offset: number; encoder: LabelEncoder };

/**
 * Turns a record into the model's inputs, in schema order over the layout's features: numeric
 * features standard-scaled, categorical ones label-encoded (codes not scaled, the seed's way) or
 * one-hot (0/1 columns, not scaled either: scaling would only rescale their coefficients' penalty,
 * and unscaled is what sklearn's OneHotEncoder gives). Built once per model, so the per-row work is a
 * map lookup or a subtract-and-divide per feature.
 */
export class Preprocessor {
  readonly encoders: Readonly<Record<string, LabelEncoder>>;
  readonly scalers: Readonly<Record<string, ScalerParams>>;
  readonly encoding: CategoricalEncoding;
  /** Every schema feature, in schema order: each request carries them all. */
  readonly inputFeatures: readonly InputFeature[];
  /** The features that enter the model, in schema order. */
  readonly modelFeatures: readonly string[];
  /** The name of each model input: a feature, or `feature=class` for a one-hot column. */
  readonly columns: readonly string[];
  /** Per feature, in schema order (so the first unknown category found is the first in the request). */
  private readonly steps: Step[];

  constructor(
    inputFeatures: readonly InputFeature[],
    encoders: Record<string, LabelEncoder>,
    scalers: Record<string, ScalerParams>,
    layout?: InputLayout,
  ) {
    this.inputFeatures = inputFeatures;
    this.encoders = encoders;
    this.scalers = scalers;
    this.encoding = layout?.encoding ?? 'ordinal';
    const inModel = new Set<string>(layout?.features ?? inputFeatures.map((f) => f.name));
    this.modelFeatures = inputFeatures.filter((f) => inModel.has(f.name)).map((f) => f.name);
    const columns: string[] = [];
    this.steps = [];
    for (const { name, categorical } of inputFeatures) {
      const offset = columns.length;
      if (!categorical) {
        if (!inModel.has(name)) continue;
        this.steps.push({ kind: 'scale', name, offset, scaler: scalers[name] });
        columns.push(name);
        continue;
      }
      const encoder = encoders[name];
      if (!inModel.has(name)) {
        this.steps.push({ kind: 'check', name, offset, encoder });
      } else if (this.encoding === 'one_hot') {
        this.steps.push({ kind: 'one_hot', name, offset, encoder });
        for (const category of encoder.classes) columns.push(oneHotColumnName(name, category));
      } else {
        this.steps.push({ kind: 'code', name, offset, encoder });
        columns.push(name);
      }
    }
    this.columns = columns;
  }

  /** How many numbers a record becomes (one per feature for the seed's ordinal layout). */
  get width(): number {
    return this.columns.length;
  }

  /**
   * Encoders learn the categories of every row given (the whole input file: a category carries no
   * target information, and this lets a rare category in validation be encoded), plus any
   * `knownClasses` (a challenger keeps accepting every category its champion accepted); scalers
   * learn from the training rows only, so nothing of validation or test leaks into the model.
   */
  static fit(
    schema: DatasetSchema,
    allRecords: readonly FeatureRecord[],
    trainIndices: readonly number[],
    knownClasses: Readonly<Record<string, readonly string[]>> = {},
    layout?: InputLayout,
  ): Preprocessor {
    if (trainIndices.length === 0) throw new Error('cannot fit a preprocessor on no training rows');
    const encoders: Record<string, LabelEncoder> = {};
    for (const name of schema.categoricalFeatures) {
      const values = new Set<string>(knownClasses[name]);
      for (const record of allRecords) values.add(record[name] as string);
      encoders[name] = LabelEncoder.fit(values);
    }
    const scalers: Record<string, ScalerParams> = {};
    const column = new Float64Array(trainIndices.length);
    for (const name of schema.numericFeatures) {
      for (let i = 0; i < trainIndices.length; i++) column[i] = allRecords[trainIndices[i]][name] as number;
      scalers[name] = fitStandardScaler(column);
    }
    const features = layout && { ...layout, features: featureSubset(layout.features, 'model features', schema.featureNames) };
    return new Preprocessor(inputFeaturesOf(schema), encoders, scalers, features);
  }

  get numericFeatures(): string[] {
    return this.inputFeatures.filter((f) => !f.categorical).map((f) => f.name);
  }

  get categoricalFeatures(): string[] {
    return this.inputFeatures.filter((f) => f.categorical).map((f) => f.name);
  }

  /** The first unknown category in a record, or null when every value can be encoded. */
  findUnknownCategory(record: Readonly<Record<string, unknown>>): UnknownCategoryError | null {
    for (const name of this.categoricalFeatures) {
      const value = String(record[name]);
      if (!this.encoders[name].has(value)) return new UnknownCategoryError(name, value, this.encoders[name].classes);
    }
    return null;
  }

  /**
   * Writes a record's model inputs into `out` (reused by callers to avoid allocation; at least
   * `width` long). Throws UnknownCategoryError for the first category, in schema order, that the
   * preprocessor never saw, whether or not its feature enters the model.
   */
  transformInto(record: FeatureRecord, out: Float64Array): Float64Array {
    if (out.length < this.columns.length) {
      throw new Error(`the input buffer holds ${out.length} numbers, the model needs ${this.columns.length}`);
    }
    const steps = this.steps;
    for (let j = 0; j < steps.length; j++) {
      const step = steps[j];
      const value = (record as unknown as Record<string, number | string>)[step.name];
      if (step.kind === 'scale') {
        out[step.offset] = ((value as number) - step.scaler.mean) / step.scaler.scale;
        continue;
      }
      const code = step.encoder.encode(value as string);
      if (code < 0) throw new UnknownCategoryError(step.name, value as string, step.encoder.classes);
      if (step.kind === 'code') {
        out[step.offset] = code;
      } else if (step.kind === 'one_hot') {
        out.fill(0, step.offset, step.offset + step.encoder.classes.length);
        out[step.offset + code] = 1;
      }
    }
    return out;
  }

  transform(record: FeatureRecord): Float64Array {
    return this.transformInto(record, new Float64Array(this.columns.length));
  }

  /** Row-major matrix of the given rows' model inputs. */
  transformRows(records: readonly FeatureRecord[], indices?: readonly number[]): Float64Array[] {
    const rows = indices ? indices.map((i) => records[i]) : records;
    return rows.map((r) => this.transform(r));
  }

  toJSON(): PreprocessorJson {
    const label_encoders: Record<string, string[]> = {};
    for (const name of this.categoricalFeatures) label_encoders[name] = [...this.encoders[name].classes];
    const mean: Record<string, number> = {};
    const scale: Record<string, number> = {};
    for (const name of this.numericFeatures) {
      mean[name] = this.scalers[name].mean;
      scale[name] = this.scalers[name].scale;
    }
    return {
      feature_names: this.inputFeatures.map((f) => f.name),
      numeric_features: this.numericFeatures,
      categorical_features: this.categoricalFeatures,
      label_encoders,
      scaler: { mean, scale },
      encoding: this.encoding,
      model_features: [...this.modelFeatures],
    };
  }

  /** Rebuilds a preprocessor from preprocessor.json, checking every field; throws ShapeError. */
  /**
   * Rebuilds a preprocessor from preprocessor.json, checking every field and that its features are
   * the schema's (the version was trained with the same columns); throws ShapeError.
   */
  static fromJSON(json: unknown, schema: DatasetSchema): Preprocessor {
    const doc = readObject(json, 'preprocessor');
    expectSameList(readStringArray(doc.feature_names, 'feature_names'), schema.featureNames, 'feature_names');
    expectSameList(readStringArray(doc.numeric_features, 'numeric_features'), schema.numericFeatures, 'numeric_features');
    expectSameList(readStringArray(doc.categorical_features, 'categorical_features'), schema.categoricalFeatures, 'categorical_features');
    const encoderDoc = readObject(doc.label_encoders, 'label_encoders');
    const encoders: Record<string, LabelEncoder> = {};
    for (const name of schema.categoricalFeatures) {
      const classes = readStringArray(encoderDoc[name], `label_encoders.${name}`);
      if (classes.length === 0) throw new ShapeError(`label_encoders.${name} must not be empty`);
      try {
        encoders[name] = new LabelEncoder(classes);
      } catch {
        throw new ShapeError(`label_encoders.${name} must hold distinct classes`);
      }
    }
    const scalerDoc = readObject(doc.scaler, 'scaler');
    const mean = readNumberMap(scalerDoc.mean, 'scaler.mean', schema.numericFeatures);
    const scale = readNumberMap(scalerDoc.scale, 'scaler.scale', schema.numericFeatures);
    const scalers: Record<string, ScalerParams> = {};
    for (const name of schema.numericFeatures) {
      if (scale[name] <= 0) throw new ShapeError(`scaler.scale.${name} must be positive`);
      scalers[name] = { mean: mean[name], scale: scale[name] };
    }
    return new Preprocessor(inputFeaturesOf(schema), encoders, scalers, readLayout(doc, schema));
  }
}

export function inputFeaturesOf(schema: DatasetSchema): InputFeature[] {
  return schema.features.map((f) => ({ name: f.name, categorical: f.type === 'categorical' }));
}

/** The layout of preprocessor.json; a file written before layouts existed is the seed's. */
function readLayout(doc: Record<string, unknown>, schema: DatasetSchema): InputLayout {
  const encoding = doc.encoding ?? 'ordinal';
  if (!CATEGORICAL_ENCODINGS.includes(encoding as CategoricalEncoding)) {
    throw new ShapeError(`encoding must be one of: ${CATEGORICAL_ENCODINGS.join(', ')}`);
  }
  if (doc.model_features === undefined) return { encoding: encoding as CategoricalEncoding, features: schema.featureNames };
  const listed = readStringArray(doc.model_features, 'model_features');
  let features: string[];
  try {
    features = featureSubset(listed, 'model_features', schema.featureNames);
  } catch (err) {
    throw new ShapeError((err as Error).message);
  }
  expectSameList(listed, features, 'model_features');
  return { encoding: encoding as CategoricalEncoding, features };
}
