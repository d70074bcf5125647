/**
 * How a categorical feature becomes model inputs: `ordinal`, the seed's label code (0..k-1, an
 * order the categories do not have), or `one_hot`, one 0/1 column per known class.
 */
export const CATEGORICAL_ENCODINGS = ['ordinal', 'one_hot'] as const;
export type CategoricalEncoding = (typeof CATEGORICAL_ENCODINGS)[number];

/** Which features enter the model, and how their categories are encoded. */
export interface InputLayout {
  encoding: CategoricalEncoding;
  /** A subset of the schema's features; every request still carries (and validates) all of them. */
  features: readonly string[];
}

/** One input feature of a preprocessor: a schema feature's name and whether it is categorical. */
export interface InputFeature {
  name: string;
  categorical: boolean;
}

/** The name of a one-hot column, e.g. `job=admin.` (feature names never hold '='). */
export function oneHotColumnName(feature: string, category: string): string {
  return `${feature}=${category}`;
}

/**
 * Checks a feature subset: non-empty, each once, and (when `known`, the schema's features in order,
 * is given) known. Returns it in schema order, so two subsets with the same features give the same
 * columns. Throws an Error naming the problem.
 */
export function featureSubset(features: readonly string[], at: string, known?: readonly string[]): string[] {
  if (features.length === 0) throw new Error(`${at} must list at least one feature`);
  const seen = new Set<string>();
  for (const name of features) {
    if (known && !known.includes(name)) {
      throw new Error(`${at}: '${name}' is not a feature (features: ${known.join(', ')})`);
    }
    if (seen.has(name)) throw new Error(`${at} lists '${name}' twice`);
    seen.add(name);
  }
  return known ? known.filter((name) => seen.has(name)) : [...features];
}
