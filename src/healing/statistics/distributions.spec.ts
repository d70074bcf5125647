import { regularizedBeta } from './incomplete-beta';
import { normalCdf, normalQuantile, normalSf } from './normal-distribution';
import { studentTQuantile, studentTSf, studentTTwoSidedP } from './student-t-distribution';

/** Reference values from scipy 1.10.1 (scipy.stats.norm, scipy.stats.t, scipy.special.betainc), printed with repr(). */

function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected) + 1e-300);
}

// [x, norm.sf(x), norm.cdf(x)]
const NORMAL: Array<[number, number, number]> = [
  [-8, 0.9999999999999993, 6.22096057427174e-16],
  [-3, 0.9986501019683699, 0.0013498980316300933],
  [-1.96, 0.9750021048517795, 0.024997895148220435],
  [-0.5, 0.6914624612740131, 0.3085375387259869],
  [0, 0.5, 0.5],
  [0.3, 0.3820885778110474, 0.6179114221889526],
  [1, 0.15865525393145707, 0.8413447460685429],
  [2.5, 0.006209665325776132, 0.9937903346742238],
  [5, 2.866515718791933e-7, 0.9999997133484281],
  [10, 7.61985302416047e-24, 1.0],
  [30, 4.906713927147908e-198, 1.0],
];

// [p, norm.ppf(p)]
const NORMAL_PPF: Array<[number, number]> = [
  [1e-300, -37.0470962993612],
  [1e-20, -9.262340089798409],
  [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813],
  [0.02425, -1.972961051311885],
  [0.025, -1.9599639845400545],
  [0.1, -1.2815515655446004],
  [0.3, -0.5244005127080409],
  [0.7, 0.5244005127080407],
  [0.975, 1.959963984540054],
  [0.999, 3.090232306167813],
];

// [df, t.ppf(0.975), t.ppf(0.995), t.ppf(0.9), t.sf(0.5), t.sf(2), t.sf(4), t.sf(-1)]
const STUDENT_T: number[][] = [
  [
    1, 12.706204736432095, 63.65674116287399, 3.0776835372078066, 0.3524163823495668, 0.1475836176504332, 0.07797913037736932,
    0.7500000000000002,
  ],
  [
    2, 4.302652729911275, 9.92484320091807, 1.8856180831641507, 0.33333333333333337, 0.09175170953613696, 0.028595479208968315,
    0.7886751345948129,
  ],
  [
    3, 3.182446305284263, 5.84090929975643, 1.637744357215907, 0.3257239824240755, 0.06966298427942155, 0.014004228005073078,
    0.8044988905221148,
  ],
  [
    5, 2.5705818366147395, 4.032142983557536, 1.4758840487820273, 0.3191494358204645, 0.05096973941492914, 0.005161707740415726,
    0.8183912661754387,
  ],
  [
    10, 2.2281388519649385, 3.169272667175838, 1.3721836411102863, 0.31394680287148646, 0.036694017385370196, 0.0012591663123683462,
    0.82955343384897,
  ],
  [
    29, 2.045229642132703, 2.756385903670335, 1.311433643950529, 0.3104240420968907, 0.027471818591483593, 0.00020003197282624573,
    0.8372090059919032,
  ],
  [
    99, 1.9842169515086827, 2.6264054563851857, 1.2901614420275025, 0.30909232201220305, 0.024119846686316487, 6.112576378555667e-5,
    0.8401257629303491,
  ],
  [
    599, 1.963932248945269, 2.584061909036415, 1.282966488016581, 0.30862935171747863, 0.02297564748361112, 3.5633764163896267e-5,
    0.8411428514884264,
  ],
  [
    5000, 1.9604385517065075, 2.5768129665562807, 1.2817209053357184, 0.30854854042701696, 0.022777129994146973, 3.21285915339918e-5,
    0.841320550205985,
  ],
];

describe('normal distribution', () => {
  it.each(NORMAL)('sf and cdf at %p equal scipy.stats.norm', (x, sf, cdf) => {
    expectRelative(normalSf(x), sf, 1e-13);
    expectRelative(normalCdf(x), cdf, 1e-13);
  });

  it.each(NORMAL_PPF)('quantile at %p equals scipy.stats.norm.ppf', (p, x) => {
    expectRelative(normalQuantile(p), x, 1e-14);
  });

  it('has infinite quantiles at 0 and 1 and refuses p outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => normalQuantile(1.5)).toThrow('p in [0, 1]');
  });
});

describe("Student's t distribution", () => {
  it.each(STUDENT_T)('with df %p: quantiles and tails equal scipy.stats.t', (df, q975, q995, q90, sf05, sf2, sf4, sfMinus1) => {
    // scipy's t.ppf (cephes stdtri) is itself good to ~1e-10 only; the round trip below is the tight check.
    expectRelative(studentTQuantile(0.975, df), q975, 1e-8);
    expectRelative(studentTQuantile(0.995, df), q995, 1e-8);
    expectRelative(studentTQuantile(0.9, df), q90, 1e-8);
    expectRelative(studentTQuantile(0.025, df), -studentTQuantile(0.975, df), 1e-15);
    for (const p of [0.9, 0.975, 0.995]) expectRelative(studentTSf(studentTQuantile(p, df), df), 1 - p, 1e-12);
    // At large df, ln B(df/2, 1/2) is a difference of two large log-gammas: ~1e-12 relative is what is left.
    expectRelative(studentTSf(0.5, df), sf05, 1e-11);
    expectRelative(studentTSf(2, df), sf2, 1e-11);
    expectRelative(studentTSf(4, df), sf4, 1e-11);
    expectRelative(studentTSf(-1, df), sfMinus1, 1e-11);
    expectRelative(studentTTwoSidedP(-2, df), 2 * sf2, 1e-11);
  });

  it('has the closed-form quantiles of df 1 (Cauchy) and df 2', () => {
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expectRelative(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-13);
      expectRelative(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)), 1e-13);
    }
  });

  it('refuses df <= 0', () => {
    expect(() => studentTSf(1, 0)).toThrow('df > 0');
  });
});

describe('regularizedBeta', () => {
  // [x, a, b, scipy.special.betainc(a, b, x)]
  it.each([
    [0.3, 2, 3, 0.3483],
    [0.9, 0.5, 0.5, 0.7951672353008662],
    [0.999, 300, 0.5, 0.43865426887015013],
    [0.01, 5, 50, 0.0002103826338240498],
    [0.5, 10, 10, 0.5000000000000002],
    [0.7, 1, 1, 0.7],
  ])('I_%p(%p, %p) equals scipy.special.betainc', (x, a, b, expected) => {
    expectRelative(regularizedBeta(x, a, b), expected, 1e-12);
  });
});
