import { durbinMatrixCdf, kolmogorovLimitSf, kolmogorovSf, pelzGoodCdf, smirnovSf } from './kolmogorov-distribution';

/** scipy 1.10.1: scipy.special.kolmogorov(z) (= scipy.stats.kstwobign.sf). */
const LIMIT: Array<[number, number]> = [
  [0.05, 1.0],
  [0.3, 0.9999906941986655],
  [0.6, 0.8642827790506042],
  [0.82, 0.5119717052984973],
  [0.83, 0.4961909953505036],
  [1.0, 0.26999967167735456],
  [1.36, 0.049485876755377876],
  [2.0, 0.0006709252557796953],
  [3.0, 3.045995948942526e-8],
  [5.0, 3.8574996959278356e-22],
];

/** scipy.stats.kstwo.sf(d, n), points chosen to reach every branch of Simard & L'Ecuyer's scheme. */
const KSTWO_SF: Array<[number, number, number]> = [
  [10, 0.07, 0.9999999619492741], // n d <= 1: Ruben-Gambino
  [10, 0.09, 0.9999610360566907],
  [50, 0.1, 0.6623112704658186], // n <= 140, small n d^2: Durbin
  [50, 0.2, 0.03143877776953241], // n <= 140, moderate: Pomeranz in scipy, Durbin here
  [50, 0.35, 5.573523514803185e-6], // n <= 140, large: 2 x Smirnov
  [140, 0.06, 0.6719092248862638],
  [140, 0.15, 0.0032495604415101703],
  [141, 0.05, 0.8548456930096628], // n > 140: Pelz-Good
  [141, 0.2, 2.0276784223976912e-5], // n > 140, n d^2 >= 2.2: 2 x Smirnov
  [500, 0.03, 0.7473166700457021],
  [500, 0.005, 1.0],
  [3333, 0.01, 0.8893942187758763],
  [3333, 0.0015, 1.0],
  [3333, 0.04, 4.529943883887643e-5],
  [20000, 0.001, 1.0],
  [20000, 0.008, 0.15371596723031855],
  [150000, 0.002, 0.5852546878861702],
  [150000, 0.0001, 1.0],
  [100, 0.6, 5.912822156396238e-35], // d >= 1/2: exactly 2 x Smirnov
  [7, 0.9, 1.999999999999997e-7], // n d >= n - 1: 2 (1 - d)^n
  [1000, 0.0008, 1.0],
  [1000, 0.9995, 0.0],
];

/** scipy.special.smirnov(n, d): one-sided P(D+_n >= d). */
const SMIRNOV: Array<[number, number, number]> = [
  [5, 0.3, 0.34282],
  [50, 0.2, 0.01571942744940561],
  [1000, 0.05, 0.006506037390545166],
  [3333, 0.03, 0.0024291708507471073],
  [20000, 0.02, 1.1090635035024872e-7],
];

/** scipy.stats.kstwo.cdf(d, n) where scipy too uses the Durbin matrix (n d^2 small, n d^1.5 <= 1.4). */
const KSTWO_CDF: Array<[number, number, number]> = [
  [10, 0.15, 0.04603473],
  [50, 0.1, 0.3376887295341814],
  [140, 0.09, 0.8053053370154262],
  [1000, 0.012, 0.0015535331379903396],
  [5000, 0.004, 2.263047137809887e-6],
];

/** scipy.stats.kstwo.cdf(d, 200000): n too large for the Durbin matrix, Pelz-Good's regime. */
const LARGE_N_CDF: Array<[number, number, number]> = [
  [200000, 0.001, 0.01184997911442707],
  [200000, 0.002, 0.600049146309619],
  [200000, 0.003, 0.9454630213388695],
];

function expectClose(actual: number, expected: number, relative: number, absolute = 0): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + absolute);
}

describe('kolmogorovLimitSf', () => {
  it.each(LIMIT)('at z=%p matches scipy.special.kolmogorov', (z, expected) => {
    expectClose(kolmogorovLimitSf(z), expected, 1e-12, 1e-15);
  });

  it('is 1 at and below 0', () => {
    expect(kolmogorovLimitSf(0)).toBe(1);
    expect(kolmogorovLimitSf(-1)).toBe(1);
  });
});

describe('kolmogorovSf (scipy.stats.kstwo.sf)', () => {
  it.each(KSTWO_SF)('n=%p d=%p', (n, d, expected) => {
    expectClose(kolmogorovSf(n, d), expected, 1e-9, 1e-12);
  });

  it('has the trivial values outside (0, 1)', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(() => kolmogorovSf(0, 0.5)).toThrow(RangeError);
    expect(() => kolmogorovSf(2.5, 0.5)).toThrow(RangeError);
  });
});

describe('smirnovSf (scipy.special.smirnov)', () => {
  it.each(SMIRNOV)('n=%p d=%p', (n, d, expected) => {
    expectClose(smirnovSf(n, d), expected, 1e-10);
  });
});

describe('durbinMatrixCdf', () => {
  it.each(KSTWO_CDF)('n=%p d=%p matches scipy.stats.kstwo.cdf', (n, d, expected) => {
    expectClose(durbinMatrixCdf(n, d), expected, 1e-10, 1e-15);
  });
});

describe('pelzGoodCdf', () => {
  it.each(LARGE_N_CDF)('n=%p d=%p is within 1e-9 of scipy.stats.kstwo.cdf', (n, d, expected) => {
    expectClose(pelzGoodCdf(n, d), expected, 0, 1e-9);
  });
});
