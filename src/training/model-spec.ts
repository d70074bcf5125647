import { CATEGORICAL_ENCODINGS, CategoricalEncoding, featureSubset } from '../preprocessing/input-layout';

export const CLASS_WEIGHTS = ['balanced', 'none'] as const;
export type ClassWeight = (typeof CLASS_WEIGHTS)[number];

/**
 * `none`: the fitted sigmoid. `prior`: King and Zeng's correction of a balanced fit, the intercept
 * moved by the log-odds of the training rows' "yes" share. `platt` and `isotonic`: a map from the
 * linear score to P(yes) fitted on calibration rows the model was not fitted on.
 */
export const SPEC_CALIBRATIONS = ['none', 'prior', 'platt', 'isotonic'] as const;
export type SpecCalibration = (typeof SPEC_CALIBRATIONS)[number];

/**
 * What to fit, as plain JSON: recorded in each version's metadata (params.spec), so a version says
 * how it was made and a challenger search can list its candidates as data.
 */
export interface ModelSpec {
  encoding: CategoricalEncoding;
  class_weight: ClassWeight;
  /** Inverse L2 strength, as sklearn's C (> 0). */
  C: number;
  calibration: SpecCalibration;
  /** The features that enter the model (checked against the schema when fitted); absent: all of them. */
  features?: string[];
}

/** The seed's model and `train`'s default: its parity with sklearn is tested to 1e-6. */
export const ORIGINAL_SPEC: Readonly<ModelSpec> = Object.freeze({
  encoding: 'ordinal',
  class_weight: 'balanced',
  C: 1,
  calibration: 'none',
});

export const MODEL_SPEC_PRESETS: Readonly<Record<string, Readonly<ModelSpec>>> = Object.freeze({
  original: ORIGINAL_SPEC,
  /** The original fit calibrated to the base rate (healing's HEAL_CALIBRATION=prior). */
  prior: Object.freeze({ ...ORIGINAL_SPEC, calibration: 'prior' as const }),
  /** One-hot categories, no class weights: P(yes) of the world as it is, decided at 0.5. */
  one_hot: Object.freeze({ encoding: 'one_hot' as const, class_weight: 'none' as const, C: 1, calibration: 'none' as const }),
});

/** A spec that cannot be used; the message is one line naming the field. */
export class ModelSpecError extends Error {}

const FIELDS = ['encoding', 'class_weight', 'C', 'calibration', 'features'] as const;

function oneOf<T extends string>(doc: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const value = doc[field];
  if (value === undefined) throw new ModelSpecError(`model spec: ${field} is missing (one of: ${allowed.join(', ')})`);
  if (!allowed.includes(value as T)) {
    throw new ModelSpecError(`model spec: ${field} must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

/**
 * Checks a spec given as JSON (a parsed object): every field known and valid, `prior` only on a
 * balanced fit (it corrects the balancing). Returns a fresh spec with `features` in schema order;
 * throws ModelSpecError.
 */
export function readModelSpec(json: unknown): ModelSpec {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelSpecError('model spec must be a JSON object');
  }
  const doc = json as Record<string, unknown>;
  const unknown = Object.keys(doc).filter((key) => !(FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new ModelSpecError(`model spec: unknown field '${unknown[0]}' (fields: ${FIELDS.join(', ')})`);
  }
  const spec: ModelSpec = {
    encoding: oneOf(doc, 'encoding', CATEGORICAL_ENCODINGS),
    class_weight: oneOf(doc, 'class_weight', CLASS_WEIGHTS),
    C: readC(doc.C),
    calibration: oneOf(doc, 'calibration', SPEC_CALIBRATIONS),
  };
  if (spec.calibration === 'prior' && spec.class_weight !== 'balanced') {
    throw new ModelSpecError("model spec: calibration 'prior' corrects a balanced fit, so it needs class_weight 'balanced'");
  }
  if (doc.features !== undefined) spec.features = readFeatures(doc.features);
  return spec;
}

function readC(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ModelSpecError(`model spec: C must be a number greater than 0 (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  return value;
}

function readFeatures(value: unknown): string[] {
  if (!Array.isArray(value) || value.some((name) => typeof name !== 'string')) {
    throw new ModelSpecError('model spec: features must be an array of feature names');
  }
  try {
    return featureSubset(value as string[], 'model spec: features');
  } catch (err) {
    throw new ModelSpecError((err as Error).message);
  }
}

/**
 * `train --model`'s value: a preset's name, or a spec as a JSON object. Throws ModelSpecError with
 * one line that says what was wrong and what is accepted.
 */
export function parseModelSpecOption(text: string): ModelSpec {
  const trimmed = text.trim();
  // JSON starts with one of these; a preset's name never does.
  if (!/^[{["]/.test(trimmed)) {
    const preset = Object.prototype.hasOwnProperty.call(MODEL_SPEC_PRESETS, trimmed) ? MODEL_SPEC_PRESETS[trimmed] : undefined;
    if (!preset) {
      throw new ModelSpecError(
        `unknown model spec '${text}': give a preset (${Object.keys(MODEL_SPEC_PRESETS).join(', ')}) or a JSON object`,
      );
    }
    return readModelSpec(preset);
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (err) {
    throw new ModelSpecError(`model spec is not valid JSON: ${(err as Error).message}`);
  }
  return readModelSpec(json);
}
