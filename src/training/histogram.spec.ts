import { binCounts, binIndex, quantileEdges, quantileSorted, toProportions } from './histogram';

/** numpy's and ours may round the last bit differently (numpy lerps from the nearer end). */
function expectAllClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i])));
  });
}

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** 13 values with a triple (7.5) and a pair (2.5), unsorted. */
const VALUES = [0.25, 7.5, -3.0, 7.5, 7.5, 12.0, 1.0, 100.0, 2.5, 2.5, 5.0, 3.75, 8.0];
const sortedValues = () => Float64Array.from(VALUES).sort();

/** A pdays-like column: mostly 999 (no previous contact), a few small numbers. */
const MOSTLY_999 = [...new Array<number>(16).fill(999), 3, 6, 6, 2];

describe('quantileSorted', () => {
  // numpy 1.24.2: np.quantile(VALUES, q) with the default method='linear'
  it('matches numpy.quantile (linear) at the deciles', () => {
    const sorted = sortedValues();
    expectAllClose(
      DECILES.map((q) => quantileSorted(sorted, q)),
      [0.40000000000000013, 1.6000000000000005, 2.5, 3.500000000000001, 5.0, 7.5, 7.5, 7.800000000000001, 11.200000000000003],
    );
  });

  it('matches numpy.quantile at 0, 0.05, 0.5, 0.95, 1, 1/3 and 2/3', () => {
    const sorted = sortedValues();
    expectAllClose(
      [0, 0.05, 0.5, 0.95, 1, 1 / 3, 2 / 3].map((q) => quantileSorted(sorted, q)),
      [-3.0, -1.0499999999999998, 5.0, 47.199999999999875, 100.0, 2.5, 7.5],
    );
  });

  it('returns the minimum at q = 0 and the maximum at q = 1', () => {
    expect(quantileSorted(sortedValues(), 0)).toBe(-3);
    expect(quantileSorted(sortedValues(), 1)).toBe(100);
  });

  it('interpolates linearly between neighbours: 1..100 quintiles are 20.8, 40.6, 60.4, 80.2', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expectAllClose(
      [0.2, 0.4, 0.6, 0.8].map((q) => quantileSorted(sorted, q)),
      [20.8, 40.6, 60.4, 80.2],
    );
  });

  it('returns the only value of a one-element array', () => {
    expect(quantileSorted([4.5], 0.3)).toBe(4.5);
  });

  it('throws on no values', () => {
    expect(() => quantileSorted([], 0.5)).toThrow('quantile of no values');
  });
});

describe('quantileEdges', () => {
  it('gives numpy.unique(numpy.quantile(values, deciles)): the repeated 7.5 edge appears once', () => {
    expectAllClose(
      quantileEdges(VALUES),
      [0.40000000000000013, 1.6000000000000005, 2.5, 3.500000000000001, 5.0, 7.5, 7.800000000000001, 11.200000000000003],
    );
  });

  it('sorts numerically, not as strings (100 > 12 > 8)', () => {
    expect(quantileEdges([100, 12, 8, 9], 2)).toEqual([10.5]);
  });

  it('does not modify its input', () => {
    const copy = [...VALUES];
    quantileEdges(VALUES);
    expect(VALUES).toEqual(copy);
  });

  it('collapses duplicate edges of a mostly-999 column so 999 gets a bin of its own', () => {
    // numpy: np.quantile(MOSTLY_999, deciles) = [5.7, 800.4000000000003, 999.0 x 7]
    const edges = quantileEdges(MOSTLY_999);
    expectAllClose(edges, [5.7, 800.4000000000003, 999]);
    expect(edges[edges.length - 1]).toBe(999);
    expect(binCounts(edges, MOSTLY_999)).toEqual([2, 2, 0, 16]);
  });

  it('gives a single edge for a constant column, so every value lands in the bin above it', () => {
    // every decile is 7: the duplicates collapse to one edge, equal to the value itself
    const edges = quantileEdges([7, 7, 7, 7]);
    expect(edges).toEqual([7]);
    expect(binCounts(edges, [7, 7, 7, 7])).toEqual([0, 4]);
  });

  it('gives strictly increasing edges', () => {
    const values = Array.from({ length: 500 }, (_, i) => Math.round(Math.sin(i) * 10));
    const edges = quantileEdges(values);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1]);
  });

  it('honours the number of bins (bins - 1 inner edges)', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(quantileEdges(values, 4)).toEqual([25, 50, 75]);
    expect(quantileEdges(values, 2)).toEqual([50]);
    expect(quantileEdges(values, 1)).toEqual([]);
  });
});

describe('binIndex (bisect right)', () => {
  const edges = [1, 2, 5];

  it('puts values below the first edge in bin 0', () => {
    expect(binIndex(edges, -100)).toBe(0);
    expect(binIndex(edges, 0.999)).toBe(0);
  });

  it('puts a value equal to an edge in the bin above it', () => {
    expect(binIndex(edges, 1)).toBe(1);
    expect(binIndex(edges, 2)).toBe(2);
    expect(binIndex(edges, 5)).toBe(3);
  });

  it('puts values between edges in the bin between them', () => {
    expect(binIndex(edges, 1.5)).toBe(1);
    expect(binIndex(edges, 4.999)).toBe(2);
    expect(binIndex(edges, 1e9)).toBe(3);
  });

  it('matches Python bisect.bisect_right on the mostly-999 edges', () => {
    const pdaysEdges = quantileEdges(MOSTLY_999);
    // bisect.bisect_right([5.7, 800.4000000000003, 999.0], x)
    expect([0, 5.7, 6, 800.4000000000003, 900, 999, 1000].map((x) => binIndex(pdaysEdges, x))).toEqual([0, 1, 1, 2, 2, 3, 3]);
  });

  it('puts everything in bin 0 when there are no edges', () => {
    expect(binIndex([], 42)).toBe(0);
  });
});

describe('binCounts and toProportions', () => {
  it('counts values per bin (edges.length + 1 bins)', () => {
    expect(binCounts([1, 2, 5], [0, 1, 1.5, 2, 3, 4, 5, 6, 7])).toEqual([1, 2, 3, 3]);
  });

  it('turns counts into proportions that sum to 1', () => {
    expect(toProportions([1, 2, 3, 3, 1])).toEqual([0.1, 0.2, 0.3, 0.3, 0.1]);
  });

  it('gives zero proportions for zero counts instead of NaN', () => {
    expect(toProportions([0, 0, 0])).toEqual([0, 0, 0]);
  });
});
