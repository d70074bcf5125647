import { FEATURE_NAMES, FeatureName } from '../data/dataset-schema';

/**
 * How a categorical feature becomes model inputs: `ordinal`, the seed's label code (0..k-1, an
 * order the categories do not have), or `one_hot`, one 0/1 column per known class.
 */
export const CATEGORICAL_ENCODINGS = ['ordinal', 'one_hot'] as const;
export type CategoricalEncoding = (typeof CATEGORICAL_ENCODINGS)[number];

/** Which features enter the model, and how their categories are encoded. */
export interface InputLayout {
  encoding: CategoricalEncoding;
  /** A subset of FEATURE_NAMES in schema order; every request still carries (and validates) all 19. */
  features: readonly FeatureName[];
}

/** The seed's layout: all 19 features, categories label-encoded. */
export const SEED_LAYOUT: InputLayout = { encoding: 'ordinal', features: FEATURE_NAMES };

/** The name of a one-hot column, e.g. `job=admin.` (feature names never hold '='). */
export function oneHotColumnName(feature: string, category: string): string {
  return `${feature}=${category}`;
}

/**
 * Checks a feature subset: non-empty, known features, each once. Returns it in schema order, so
 * two subsets with the same features give the same columns. Throws an Error naming the problem.
 */
export function featureSubset(features: readonly string[], at: string): FeatureName[] {
  if (features.length === 0) throw new Error(`${at} must list at least one feature`);
  const seen = new Set<string>();
  for (const name of features) {
    if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`${at}: '${name}' is not a feature (features: ${FEATURE_NAMES.join(', ')})`);
    }
    if (seen.has(name)) throw new Error(`${at} lists '${name}' twice`);
    seen.add(name);
  }
  return FEATURE_NAMES.filter((name) => seen.has(name));
}
