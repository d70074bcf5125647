import { createSeededRandom, shuffleInPlace } from './seeded-random';

export interface SplitFractions {
  train: number;
  validation: number;
}

export const DEFAULT_SPLIT: SplitFractions = { train: 0.7, validation: 0.15 };

/** Row indices (ascending) of each part of a split. */
export interface SplitIndices {
  train: number[];
  validation: number[];
  test: number[];
}

/**
 * Stratified, seeded train / validation / test split: each class is shuffled with the seeded PRNG
 * and cut at the fractions, so every part keeps the class balance and the same seed gives the same
 * split. The test part takes what is left after rounding.
 */
export function stratifiedSplit(labels: ArrayLike<number>, seed: number, fractions: SplitFractions = DEFAULT_SPLIT): SplitIndices {
  if (fractions.train <= 0 || fractions.validation < 0 || fractions.train + fractions.validation > 1) {
    throw new Error('split fractions must be positive and sum to at most 1');
  }
  const random = createSeededRandom(seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const bucket = byClass.get(labels[i]);
    if (bucket) bucket.push(i);
    else byClass.set(labels[i], [i]);
  }
  const parts: SplitIndices = { train: [], validation: [], test: [] };
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const indices = shuffleInPlace(byClass.get(cls)!, random);
    const nTrain = Math.round(indices.length * fractions.train);
    const nValidation = Math.round(indices.length * fractions.validation);
    parts.train.push(...indices.slice(0, nTrain));
    parts.validation.push(...indices.slice(nTrain, nTrain + nValidation));
    parts.test.push(...indices.slice(nTrain + nValidation));
  }
  const ascending = (a: number, b: number) => a - b;
  parts.train.sort(ascending);
  parts.validation.sort(ascending);
  parts.test.sort(ascending);
  return parts;
}
