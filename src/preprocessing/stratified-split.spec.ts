import { createSeededRandom, shuffleInPlace } from './seeded-random';
import { DEFAULT_SPLIT, SplitIndices, stratifiedSplit } from './stratified-split';

/** n labels with `positives` ones spread through the list (deterministic, no PRNG). */
function makeLabels(n: number, positives: number): number[] {
  const labels = new Array<number>(n).fill(0);
  for (let k = 0; k < positives; k++) labels[Math.floor((k * n) / positives)] = 1;
  return labels;
}

function countOf(indices: number[], labels: ArrayLike<number>, cls: number): number {
  return indices.filter((i) => labels[i] === cls).length;
}

const isAscending = (xs: number[]) => xs.every((v, i) => i === 0 || xs[i - 1] < v);

describe('createSeededRandom (mulberry32)', () => {
  // Reference values from an independent Python implementation of mulberry32.
  it.each([
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099, 0.6697340414393693]],
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197, 0.1462021479383111]],
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522, 0.9810509674716741]],
  ])('produces the reference mulberry32 sequence for seed %d', (seed, expected) => {
    const random = createSeededRandom(seed);
    expect([random(), random(), random(), random()]).toEqual(expected);
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createSeededRandom(7);
    const b = createSeededRandom(7);
    const c = createSeededRandom(8);
    const seqA = Array.from({ length: 50 }, () => a());
    expect(Array.from({ length: 50 }, () => b())).toEqual(seqA);
    expect(Array.from({ length: 50 }, () => c())).not.toEqual(seqA);
  });

  it('returns values in [0, 1)', () => {
    const random = createSeededRandom(123);
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < 10000; i++) {
      const v = random();
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('treats the seed as an unsigned 32-bit integer', () => {
    const a = createSeededRandom(-1);
    const b = createSeededRandom(0xffffffff);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});

describe('shuffleInPlace', () => {
  it('permutes the array in place and returns it', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const result = shuffleInPlace(items, createSeededRandom(1));
    expect(result).toBe(items);
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(items).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('is deterministic for a seed', () => {
    const a = shuffleInPlace([1, 2, 3, 4, 5, 6, 7, 8], createSeededRandom(99));
    const b = shuffleInPlace([1, 2, 3, 4, 5, 6, 7, 8], createSeededRandom(99));
    expect(a).toEqual(b);
  });

  it('leaves empty and one-element arrays alone', () => {
    expect(shuffleInPlace([], createSeededRandom(1))).toEqual([]);
    expect(shuffleInPlace(['x'], createSeededRandom(1))).toEqual(['x']);
  });
});

describe('stratifiedSplit', () => {
  const labels = makeLabels(1000, 113); // roughly the bank data's 11% positives

  it('defaults to 70 / 15 / 15', () => {
    expect(DEFAULT_SPLIT).toEqual({ train: 0.7, validation: 0.15 });
  });

  describe('determinism', () => {
    it('gives the same split for the same seed', () => {
      expect(stratifiedSplit(labels, 42)).toEqual(stratifiedSplit(labels, 42));
    });

    it('gives a different split for a different seed', () => {
      const a = stratifiedSplit(labels, 42);
      const b = stratifiedSplit(labels, 43);
      expect(b.train).not.toEqual(a.train);
      expect(b.validation).not.toEqual(a.validation);
      expect(b.test).not.toEqual(a.test);
    });

    it('does not modify the labels it is given', () => {
      const copy = [...labels];
      stratifiedSplit(labels, 5);
      expect(labels).toEqual(copy);
    });
  });

  describe('sizes', () => {
    it('cuts 1000 rows (887 no, 113 yes) into 700 / 150 / 150, class by class', () => {
      const split = stratifiedSplit(labels, 42);
      // no:  round(887 * 0.7) = 621, round(887 * 0.15) = 133, rest 133
      // yes: round(113 * 0.7) =  79, round(113 * 0.15) =  17, rest  17
      expect(countOf(split.train, labels, 0)).toBe(621);
      expect(countOf(split.validation, labels, 0)).toBe(133);
      expect(countOf(split.test, labels, 0)).toBe(133);
      expect(countOf(split.train, labels, 1)).toBe(79);
      expect(countOf(split.validation, labels, 1)).toBe(17);
      expect(countOf(split.test, labels, 1)).toBe(17);
      expect([split.train.length, split.validation.length, split.test.length]).toEqual([700, 150, 150]);
    });

    it('gives the test part what rounding leaves', () => {
      const small = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]; // 10 no, 7 yes
      const split = stratifiedSplit(small, 3);
      // no: 7 / round(1.5) = 2 / 1; yes: round(4.9) = 5 / round(1.05) = 1 / 1
      expect(countOf(split.train, small, 0)).toBe(7);
      expect(countOf(split.validation, small, 0)).toBe(2);
      expect(countOf(split.test, small, 0)).toBe(1);
      expect(countOf(split.train, small, 1)).toBe(5);
      expect(countOf(split.validation, small, 1)).toBe(1);
      expect(countOf(split.test, small, 1)).toBe(1);
    });

    it('honours custom fractions', () => {
      const split = stratifiedSplit(makeLabels(100, 20), 1, { train: 0.5, validation: 0.25 });
      expect([split.train.length, split.validation.length, split.test.length]).toEqual([50, 25, 25]);
    });

    it.each([
      [{ train: 0, validation: 0.5 }],
      [{ train: -0.1, validation: 0.5 }],
      [{ train: 0.7, validation: -0.1 }],
      [{ train: 0.8, validation: 0.3 }],
    ])('rejects the fractions %j', (fractions) => {
      expect(() => stratifiedSplit(labels, 1, fractions)).toThrow('split fractions must be positive and sum to at most 1');
    });
  });

  describe('stratification', () => {
    it.each([42, 1, 2024])('keeps each class proportion in every part within rounding (seed %d)', (seed) => {
      const split = stratifiedSplit(labels, seed);
      const fractions: Array<[keyof SplitIndices, number]> = [
        ['train', 0.7],
        ['validation', 0.15],
        ['test', 0.15],
      ];
      for (const cls of [0, 1]) {
        const classSize = countOf(
          labels.map((_, i) => i),
          labels,
          cls,
        );
        for (const [part, fraction] of fractions) {
          // each cut rounds once; the test part absorbs both roundings
          const slack = part === 'test' ? 1 : 0.5;
          expect(Math.abs(countOf(split[part], labels, cls) - fraction * classSize)).toBeLessThanOrEqual(slack);
        }
      }
    });

    it('puts both classes in every part when each class has at least 7 rows', () => {
      const few = makeLabels(60, 7);
      for (let seed = 0; seed < 20; seed++) {
        const split = stratifiedSplit(few, seed);
        for (const part of [split.train, split.validation, split.test]) {
          expect(countOf(part, few, 0)).toBeGreaterThan(0);
          expect(countOf(part, few, 1)).toBeGreaterThan(0);
        }
      }
    });

    it('handles more than two classes and labels not starting at 0', () => {
      const multi = Array.from({ length: 300 }, (_, i) => [3, 5, 9][i % 3]);
      const split = stratifiedSplit(multi, 11);
      for (const cls of [3, 5, 9]) {
        expect(countOf(split.train, multi, cls)).toBe(70);
        expect(countOf(split.validation, multi, cls)).toBe(15);
        expect(countOf(split.test, multi, cls)).toBe(15);
      }
    });
  });

  describe('indices', () => {
    it('gives disjoint parts that together cover every row exactly once', () => {
      const split = stratifiedSplit(labels, 42);
      const all = [...split.train, ...split.validation, ...split.test];
      expect(all).toHaveLength(labels.length);
      expect(new Set(all).size).toBe(labels.length);
      expect([...all].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    });

    it('lists each part in ascending order', () => {
      const split = stratifiedSplit(labels, 42);
      expect(isAscending(split.train)).toBe(true);
      expect(isAscending(split.validation)).toBe(true);
      expect(isAscending(split.test)).toBe(true);
    });

    it('actually shuffles (train is not just the first 70% of each class)', () => {
      const split = stratifiedSplit(labels, 42);
      const firstNegatives = labels
        .map((l, i) => [l, i])
        .filter(([l]) => l === 0)
        .slice(0, 621)
        .map(([, i]) => i);
      expect(split.train.filter((i) => labels[i] === 0)).not.toEqual(firstNegatives);
    });

    it('accepts a Uint8Array of labels', () => {
      expect(stratifiedSplit(Uint8Array.from(labels), 42)).toEqual(stratifiedSplit(labels, 42));
    });

    it('returns empty parts for no labels', () => {
      expect(stratifiedSplit([], 1)).toEqual({ train: [], validation: [], test: [] });
    });
  });
});
