import { psiCriticalValue } from './psi-critical-value';

/** scipy: chi2.ppf(q, B - 1) * (1/n + 1/m). */
const CASES: Array<[number, number, number, number, number]> = [
  // [bins, n reference, m window, quantile, expected]
  [10, 2883, 150, 0.99, 0.15195504870711068],
  [10, 28831, 10000, 0.99, 0.0029180820157561653],
  [10, 2883, 100, 0.99, 0.22417502981865045],
  [12, 2883, 1000, 0.95, 0.026499673671427717],
  [2, 500, 500, 0.99, 0.02653958640408486],
  [3, 1000, 200, 0.999, 0.08289306334778565],
];

describe('psiCriticalValue', () => {
  it.each(CASES)('%p bins, n=%p, m=%p, q=%p matches scipy', (bins, n, m, q, expected) => {
    expect(psiCriticalValue(bins, n, m, q)).toBeCloseTo(expected, 12);
  });

  it('defaults to the 99th percentile', () => {
    expect(psiCriticalValue(10, 2883, 150)).toBeCloseTo(0.15195504870711068, 12);
  });

  it('shrinks as the window grows: a small window is noisy, a large one is not', () => {
    const small = psiCriticalValue(10, 2883, 150);
    const large = psiCriticalValue(10, 2883, 10000);
    expect(small).toBeGreaterThan(0.1);
    expect(large).toBeLessThan(0.01);
  });

  it('is 0 for a single bin (a constant feature cannot move)', () => {
    expect(psiCriticalValue(1, 100, 100)).toBe(0);
    expect(psiCriticalValue(0, 100, 100)).toBe(0);
  });

  it('needs positive sample sizes', () => {
    expect(() => psiCriticalValue(10, 0, 100)).toThrow(RangeError);
    expect(() => psiCriticalValue(10, 100, 0)).toThrow(RangeError);
  });
});
