import { gcd, probOutsideBand, probOutsideSquare } from './ks-exact-probability';

/**
 * Brute force: every one of the C(a + b, a) merge orders of two samples without ties is equally
 * likely under the null; D >= h / lcm exactly when some prefix with i of a's and j of b's values
 * has |i b - j a| >= h gcd(a, b). Counting them is independent of the lattice recursions.
 */
function bruteForce(a: number, b: number, h: number): number {
  const target = h * gcd(a, b);
  let hits = 0;
  let total = 0;
  const walk = (i: number, j: number, reached: boolean): void => {
    const now = reached || Math.abs(i * b - j * a) >= target;
    if (i === a && j === b) {
      total++;
      if (now) hits++;
      return;
    }
    if (i < a) walk(i + 1, j, now);
    if (j < b) walk(i, j + 1, now);
  };
  walk(0, 0, false);
  return hits / total;
}

/** scipy 1.10.1: scipy.stats._stats_py._compute_prob_outside_square(n, h). */
const SQUARE: Array<[number, number, number]> = [
  [5, 2, 0.873015873015873],
  [5, 5, 0.007936507936507936],
  [10, 3, 0.7869297884777761],
  [100, 12, 0.469506448503778],
  [1000, 38, 0.4659595288557257],
  [1000, 200, 6.6131216618004355e-18],
];

/** scipy 1.10.1: scipy.stats._stats_pythran._compute_outer_prob_inside_method(m, n, gcd, h). */
const BAND: Array<[number, number, number, number]> = [
  [5, 7, 15, 0.5454545454545454],
  [7, 5, 21, 0.16666666666666663],
  [30, 40, 41, 0.029137611434829822],
  [3, 100, 150, 0.35143143097862045],
  [1000, 5000, 190, 0.17709286353541695],
  [9973, 5000, 200000, 0.9999999978062876],
  [1, 10, 10, 0.18181818181818182],
  [2, 9, 9, 0.7090909090909091],
];

describe('probOutsideSquare (equal sample sizes)', () => {
  it.each(SQUARE)('n=%p h=%p matches scipy', (n, h, expected) => {
    expect(Math.abs(probOutsideSquare(n, h) - expected)).toBeLessThanOrEqual(1e-13 * expected + 1e-300);
  });

  it('agrees with brute-force path counting', () => {
    for (const n of [1, 2, 5, 7]) {
      for (let h = 1; h <= n; h++) expect(probOutsideSquare(n, h)).toBeCloseTo(bruteForce(n, n, h), 13);
    }
  });

  it('is 1 for D = 0', () => {
    expect(probOutsideSquare(10, 0)).toBe(1);
  });
});

describe('probOutsideBand (unequal sample sizes)', () => {
  it.each(BAND)('m=%p n=%p h=%p matches scipy', (m, n, h, expected) => {
    expect(Math.abs(probOutsideBand(m, n, h) - expected)).toBeLessThanOrEqual(1e-12 * expected);
  });

  it('agrees with brute-force path counting for every attainable D', () => {
    for (const [a, b] of [
      [1, 4],
      [2, 5],
      [3, 4],
      [4, 6],
      [5, 8],
      [6, 9],
      [7, 3],
    ]) {
      const lcm = (a / gcd(a, b)) * b;
      for (let h = 1; h <= lcm; h++) {
        expect(probOutsideBand(a, b, h)).toBeCloseTo(bruteForce(a, b, h), 13);
      }
    }
  });

  it('does not depend on which sample is which', () => {
    expect(probOutsideBand(1000, 5000, 190)).toBe(probOutsideBand(5000, 1000, 190));
  });

  it('is 1 for D = 0', () => {
    expect(probOutsideBand(3, 4, 0)).toBe(1);
  });
});
