import { lnGamma, regularizedGammaP, regularizedGammaQ } from './gamma-functions';

/** Reference values from scipy 1.10.1: scipy.special.gammaln / gammainc / gammaincc. */
const LN_GAMMA: Array<[number, number]> = [
  [0.5, 0.5723649429247],
  [1, 0.0],
  [2.5, 0.2846828704729192],
  [7, 6.579251212010101],
  [33.3, 82.60372358165493],
  [150.25, 601.2615040324997],
  [10000.0, 82099.71749644238],
];

// [a, x, P(a, x), Q(a, x)]
const INCOMPLETE: Array<[number, number, number, number]> = [
  [0.5, 0.1, 0.34527915398142317, 0.6547208460185768],
  [0.5, 2, 0.9544997361036415, 0.04550026389635857],
  [1, 1, 0.6321205588285577, 0.36787944117144245],
  [3, 0.5, 0.014387677966970684, 0.9856123220330293],
  [3, 10, 0.9972306042844884, 0.0027693957155115775],
  [4.5, 4.5, 0.5627258110861331, 0.43727418891386693],
  [15, 14, 0.42956328717262743, 0.5704367128273726],
  [50, 40, 0.07033506665939494, 0.9296649333406051],
  [50, 75, 0.9990960679576459, 0.0009039320423540184],
  [0.5, 60, 1.0, 6.326068263677272e-28],
  [2.5, 300, 1.0, 2.022417284281337e-127],
];

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-300);
}

describe('lnGamma', () => {
  it.each(LN_GAMMA)('lnGamma(%p) matches scipy', (x, expected) => {
    expect(Math.abs(lnGamma(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('rejects non-positive arguments', () => {
    expect(() => lnGamma(0)).toThrow(RangeError);
    expect(() => lnGamma(-1)).toThrow(RangeError);
  });
});

describe('regularized incomplete gamma', () => {
  it.each(INCOMPLETE)('P and Q at a=%p, x=%p match scipy to 1e-12 relative', (a, x, p, q) => {
    expectRelative(regularizedGammaP(a, x), p, 1e-12);
    expectRelative(regularizedGammaQ(a, x), q, 1e-12);
  });

  it('has the exact limits at 0 and infinity', () => {
    expect(regularizedGammaP(2, 0)).toBe(0);
    expect(regularizedGammaQ(2, 0)).toBe(1);
    expect(regularizedGammaP(2, Infinity)).toBe(1);
    expect(regularizedGammaQ(2, Infinity)).toBe(0);
  });

  it('rejects invalid arguments', () => {
    expect(() => regularizedGammaP(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, -1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, NaN)).toThrow(RangeError);
  });
});
