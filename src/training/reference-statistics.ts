import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { createSeededRandom, shuffleInPlace } from '../preprocessing/seeded-random';
import { binCounts, quantileEdges, toProportions } from './histogram';

/** The most raw values kept per numeric feature for exact two-sample tests. */
export const REFERENCE_SAMPLE_SIZE = 5000;
export const REFERENCE_BINS = 10;

export interface NumericReference {
  edges: number[];
  proportions: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Up to REFERENCE_SAMPLE_SIZE training values, sorted, for the Kolmogorov-Smirnov test. */
  sample: number[];
}

export interface CategoricalReference {
  /** Every class the encoder knows; a class absent from training has proportion 0. */
  categories: string[];
  proportions: number[];
}

export interface PredictionReference {
  /** Deciles of P(yes) on the validation part. */
  edges: number[];
  proportions: number[];
  /** Share of validation rows predicted "yes". */
  positive_rate: number;
  /** Share of validation rows that were "yes". */
  actual_positive_rate: number;
  n: number;
}

/** stats.json: what the training data looked like, the yardstick for drift. */
export interface ReferenceStatistics {
  n_reference: number;
  numeric: Record<string, NumericReference>;
  categorical: Record<string, CategoricalReference>;
  prediction: PredictionReference;
}

function describeNumeric(values: Float64Array, random: () => number): NumericReference {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  let sumSq = 0;
  for (const v of values) sumSq += (v - mean) ** 2;
  const edges = quantileEdges(values, REFERENCE_BINS);
  const sample =
    values.length <= REFERENCE_SAMPLE_SIZE
      ? Array.from(values)
      : shuffleInPlace(Array.from(values), random).slice(0, REFERENCE_SAMPLE_SIZE);
  return {
    edges,
    proportions: toProportions(binCounts(edges, values)),
    mean,
    std: Math.sqrt(sumSq / values.length),
    min,
    max,
    // A typed sort: numeric and native, where a comparator over 5,000 numbers is not.
    sample: Array.from(Float64Array.from(sample).sort()),
  };
}

/**
 * Reference distributions of a model's training rows (features) and of its validation scores
 * (predictions). `classes` lists each categorical feature's known categories.
 */
export function computeReferenceStatistics(
  schema: Pick<DatasetSchema, 'numericFeatures' | 'categoricalFeatures'>,
  trainRecords: readonly FeatureRecord[],
  classes: Readonly<Record<string, readonly string[]>>,
  validationProbabilities: ArrayLike<number>,
  validationLabels: ArrayLike<number>,
  seed: number,
  threshold: number,
): ReferenceStatistics {
  const random = createSeededRandom(seed ^ 0x5eed);
  const numeric: Record<string, NumericReference> = {};
  const column = new Float64Array(trainRecords.length);
  for (const name of schema.numericFeatures) {
    for (let i = 0; i < trainRecords.length; i++) column[i] = trainRecords[i][name] as number;
    numeric[name] = describeNumeric(column, random);
  }
  const categorical: Record<string, CategoricalReference> = {};
  for (const name of schema.categoricalFeatures) {
    const counts = new Map<string, number>(classes[name].map((c) => [c, 0]));
    for (let i = 0; i < trainRecords.length; i++) {
      const value = trainRecords[i][name] as string;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const categories = [...counts.keys()].sort();
    categorical[name] = {
      categories,
      proportions: categories.map((c) => counts.get(c)! / trainRecords.length),
    };
  }
  const edges = quantileEdges(validationProbabilities, REFERENCE_BINS);
  let predictedPositive = 0;
  let actualPositive = 0;
  for (let i = 0; i < validationProbabilities.length; i++) {
    if (validationProbabilities[i] > threshold) predictedPositive++;
    actualPositive += validationLabels[i];
  }
  const n = validationProbabilities.length;
  return {
    n_reference: trainRecords.length,
    numeric,
    categorical,
    prediction: {
      edges,
      proportions: toProportions(binCounts(edges, validationProbabilities)),
      positive_rate: predictedPositive / n,
      actual_positive_rate: actualPositive / n,
      n,
    },
  };
}
