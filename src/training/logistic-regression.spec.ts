import { TrainingDataError, fitLogisticRegression, linearScore, sigmoid, sparseRows, sparseRowsFrom } from './logistic-regression';

/**
 * 30 rows, 3 features, 12 positives; not linearly separable. Generated once by a fixed formula and
 * written out literally: [x1, x2, x3, y].
 */
const DATA: Array<[number, number, number, number]> = [
  [0.96, 0.68, -1.0, 0],
  [1.95, -0.34, -0.2, 1],
  [0.08, -1.09, 0.6, 0],
  [-1.9, 0.66, -0.8, 0],
  [-1.1, 1.45, 0.0, 0],
  [1.31, 1.45, 0.8, 1],
  [1.8, 0.59, -0.6, 1],
  [-0.35, -1.0, 0.2, 0],
  [-1.99, -0.51, 1.0, 0],
  [-0.72, 0.47, -0.4, 0],
  [1.61, -0.6, 0.4, 1],
  [1.58, -0.84, -1.0, 1],
  [-0.76, 0.3, -0.2, 0],
  [-1.99, 1.5, 0.6, 0],
  [-0.3, 1.5, -0.8, 0],
  [1.83, 0.08, 0.0, 1],
  [1.27, -0.5, 0.8, 1],
  [-1.14, -1.04, -0.6, 0],
  [-1.89, -0.2, 0.2, 0],
  [0.13, -1.18, 1.0, 1],
  [1.96, -0.11, -0.4, 1],
  [0.91, -0.52, 0.4, 0],
  [-1.47, 1.23, -1.0, 0],
  [-1.7, 1.15, -0.2, 0],
  [0.56, -0.85, 0.6, 1],
  [2.0, 0.51, -0.8, 1],
  [0.51, -1.5, 0.0, 1],
  [-1.73, -1.17, 0.8, 0],
  [-1.43, -1.49, -0.6, 0],
  [0.96, 1.02, 0.2, 0],
];
const X = DATA.map((r) => r.slice(0, 3));
const Y = DATA.map((r) => r[3]);

/**
 * Computed with scikit-learn 1.2.1 (Debian python3-sklearn):
 *   LogisticRegression(class_weight=cw, C=C, solver='newton-cg', tol=1e-10, max_iter=10000).fit(X, y)
 * and printed with repr(). (An exact numpy Newton solve agrees with these to 2e-9.)
 */
const SKLEARN: Array<{ classWeight: 'balanced' | null; C: number; coef: number[]; intercept: number }> = [
  {
    classWeight: 'balanced',
    C: 1.0,
    coef: [1.791951725984061, -0.6175859825505359, 0.4779136885476191],
    intercept: -0.9276851311104592,
  },
  {
    classWeight: 'balanced',
    C: 0.5,
    coef: [1.4260400379682283, -0.4443791878031093, 0.31982850459188694],
    intercept: -0.6302649063309796,
  },
  {
    classWeight: null,
    C: 1.0,
    coef: [1.7760602417917706, -0.6103013258977948, 0.44362058932306936],
    intercept: -1.2311939573058905,
  },
  {
    classWeight: null,
    C: 0.5,
    coef: [1.4078721351473036, -0.4366323528124547, 0.29594214380661665],
    intercept: -0.9305284313398233,
  },
];

/** Gradient of sklearn's objective 0.5*||w||^2 + C * sum_i s_i * logloss_i, computed independently. */
function objectiveGradient(
  x: number[][],
  y: number[],
  coef: number[],
  intercept: number,
  C: number,
  weights: { 0: number; 1: number },
): number[] {
  const g = [...coef, 0];
  for (let i = 0; i < x.length; i++) {
    const z = intercept + coef.reduce((s, w, j) => s + w * x[i][j], 0);
    const p = 1 / (1 + Math.exp(-z));
    const r = C * (y[i] === 1 ? weights[1] : weights[0]) * (p - y[i]);
    for (let j = 0; j < coef.length; j++) g[j] += r * x[i][j];
    g[coef.length] += r;
  }
  return g;
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe('sigmoid', () => {
  it('is 0.5 at 0 and symmetric', () => {
    expect(sigmoid(0)).toBe(0.5);
    for (const z of [0.1, 1, 3.7, 20]) expect(sigmoid(-z)).toBeCloseTo(1 - sigmoid(z), 15);
  });

  it('matches 1 / (1 + e^-z) at ordinary values', () => {
    expect(sigmoid(1)).toBeCloseTo(0.7310585786300049, 15);
    expect(sigmoid(-2)).toBeCloseTo(0.11920292202211755, 15);
  });

  it('is stable at +-1000 (no NaN, no overflow)', () => {
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
    expect(Number.isNaN(sigmoid(1000))).toBe(false);
    expect(Number.isNaN(sigmoid(-1000))).toBe(false);
    expect(sigmoid(-745)).toBeGreaterThan(0); // exp(-745) is the smallest subnormal
    expect(sigmoid(Infinity)).toBe(1);
    expect(sigmoid(-Infinity)).toBe(0);
  });

  it('keeps precision in the far negative tail', () => {
    // 1 / (1 + e^40) ~ e^-40; the naive 1 - sigmoid(40) would give 0
    expect(sigmoid(-40) / Math.exp(-40)).toBeCloseTo(1, 12);
  });
});

describe('linearScore', () => {
  it('is the intercept plus the dot product', () => {
    expect(linearScore([1, -2, 0.5], 0.25, [4, 1, 2])).toBe(0.25 + 4 - 2 + 1);
    expect(linearScore([], -3, [])).toBe(-3);
  });

  it('accepts typed arrays', () => {
    expect(linearScore(Float64Array.from([2, 3]), 1, Float64Array.from([10, 100]))).toBe(321);
  });
});

describe('fitLogisticRegression', () => {
  describe('agrees with scikit-learn', () => {
    it.each(SKLEARN)('class_weight=$classWeight, C=$C: coefficients and intercept to 1e-6', ({ classWeight, C, coef, intercept }) => {
      const fit = fitLogisticRegression(X, Y, { C, classWeight });
      expect(fit.coefficients).toHaveLength(3);
      for (let j = 0; j < 3; j++) expect(Math.abs(fit.coefficients[j] - coef[j])).toBeLessThan(1e-6);
      expect(Math.abs(fit.intercept - intercept)).toBeLessThan(1e-6);
    });

    it('defaults to C=1 with balanced class weights', () => {
      const fit = fitLogisticRegression(X, Y);
      const { coef, intercept } = SKLEARN[0];
      for (let j = 0; j < 3; j++) expect(Math.abs(fit.coefficients[j] - coef[j])).toBeLessThan(1e-6);
      expect(Math.abs(fit.intercept - intercept)).toBeLessThan(1e-6);
    });
  });

  describe('the solution', () => {
    it.each(SKLEARN)('has an objective gradient norm below 1e-8 (class_weight=$classWeight, C=$C)', ({ classWeight, C }) => {
      const fit = fitLogisticRegression(X, Y, { C, classWeight });
      expect(fit.gradientNorm).toBeLessThan(1e-8);
      const gradient = objectiveGradient(X, Y, fit.coefficients, fit.intercept, C, fit.classWeights);
      expect(norm(gradient)).toBeLessThan(1e-8);
    });

    it('uses balanced weights n / (2 * n_class): 30 rows, 12 positive -> 30/36 and 30/24', () => {
      const fit = fitLogisticRegression(X, Y);
      expect(fit.classWeights[0]).toBeCloseTo(30 / 36, 15);
      expect(fit.classWeights[1]).toBe(1.25);
    });

    it('uses unit weights when class_weight is null', () => {
      expect(fitLogisticRegression(X, Y, { classWeight: null }).classWeights).toEqual({ 0: 1, 1: 1 });
    });

    it('converges in a handful of Newton steps', () => {
      const fit = fitLogisticRegression(X, Y);
      expect(fit.iterations).toBeGreaterThan(0);
      expect(fit.iterations).toBeLessThan(20);
    });

    it('does not penalise the intercept: with no signal it is the log-odds of the base rate', () => {
      const zeros = Array.from({ length: 10 }, () => [0, 0]);
      const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
      const unweighted = fitLogisticRegression(zeros, y, { classWeight: null });
      expect(unweighted.coefficients).toEqual([0, 0]);
      expect(unweighted.intercept).toBeCloseTo(Math.log(3 / 7), 10);
      // balanced weights make the classes weigh the same, so the intercept is 0
      expect(Math.abs(fitLogisticRegression(zeros, y).intercept)).toBeLessThan(1e-9);
    });

    it('shrinks the coefficients as C falls', () => {
      const strong = fitLogisticRegression(X, Y, { C: 1 });
      const weak = fitLogisticRegression(X, Y, { C: 0.01 });
      expect(norm(weak.coefficients)).toBeLessThan(norm(strong.coefficients));
    });

    it('stays finite on linearly separable data (the L2 penalty bounds the solution)', () => {
      const x = [[-2], [-1], [-0.5], [0.5], [1], [2]];
      const fit = fitLogisticRegression(x, [0, 0, 0, 1, 1, 1], { C: 100 });
      expect(Number.isFinite(fit.coefficients[0])).toBe(true);
      expect(fit.coefficients[0]).toBeGreaterThan(0);
      expect(fit.gradientNorm).toBeLessThan(1e-8);
    });

    it('is deterministic: the same input gives bit-identical output', () => {
      expect(fitLogisticRegression(X, Y)).toEqual(fitLogisticRegression(X, Y));
    });

    it('accepts Float64Array rows and Uint8Array labels', () => {
      const typed = fitLogisticRegression(
        X.map((r) => Float64Array.from(r)),
        Uint8Array.from(Y),
      );
      expect(typed).toEqual(fitLogisticRegression(X, Y));
    });
  });

  describe('bad input', () => {
    it('throws TrainingDataError when every label is 0', () => {
      expect(() =>
        fitLogisticRegression(
          X,
          Y.map(() => 0),
        ),
      ).toThrow(TrainingDataError);
      expect(() =>
        fitLogisticRegression(
          X,
          Y.map(() => 0),
        ),
      ).toThrow('training rows hold one class only (0 of 30 positive)');
    });

    it('throws TrainingDataError when every label is 1', () => {
      expect(() =>
        fitLogisticRegression(
          X,
          Y.map(() => 1),
        ),
      ).toThrow('training rows hold one class only (30 of 30 positive)');
    });

    it('throws TrainingDataError on no rows', () => {
      expect(() => fitLogisticRegression([], [])).toThrow(new TrainingDataError('no training rows'));
    });

    it('throws TrainingDataError when X and y differ in length', () => {
      expect(() => fitLogisticRegression(X, Y.slice(1))).toThrow('X and y differ in length');
    });

    it('throws TrainingDataError on a label other than 0 or 1, naming the row', () => {
      const y = [...Y];
      y[4] = 2;
      expect(() => fitLogisticRegression(X, y)).toThrow('label 2 at row 4 is not 0 or 1');
    });

    it('throws TrainingDataError when it cannot converge in the allowed steps', () => {
      expect(() => fitLogisticRegression(X, Y, { maxIterations: 1 })).toThrow(TrainingDataError);
      expect(() => fitLogisticRegression(X, Y, { maxIterations: 1 })).toThrow(/did not converge in 1 Newton steps/);
    });
  });
});

describe('sparseRows', () => {
  const X = [
    [1, 0, 2],
    [0, 0, 0],
    [3, 4, 0],
  ];

  it("keeps each row's non-zero inputs in order, in flat arrays", () => {
    const rows = sparseRows(X);
    expect(rows.width).toBe(3);
    expect(Array.from(rows.offsets)).toEqual([0, 2, 2, 4]);
    expect(Array.from(rows.columns)).toEqual([0, 2, 0, 1]);
    expect(Array.from(rows.values)).toEqual([1, 2, 3, 4]);
  });

  it('builds the same rows from a writer into a scratch row, growing its arrays as needed', () => {
    const written = sparseRowsFrom(X.length, 3, (i, out) => out.set(X[i]));
    expect(written).toEqual(sparseRows(X));
    const wide = sparseRowsFrom(100, 40, (i, out) => out.fill(i + 1));
    expect(wide.offsets[100]).toBe(4000);
    expect(wide.values[3999]).toBe(100);
  });

  it('rejects rows of different widths', () => {
    expect(() => sparseRows([[1, 2], [3]])).toThrow('row 1 has 1 inputs, the first row 2');
  });

  it('fits the same model, bit for bit, from dense rows or their sparse form', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [Math.sin(i), i % 3 === 0 ? 0 : Math.cos(i), (i % 7) - 3]);
    const y = rows.map((r, i) => (r[0] + 0.5 * r[2] + ((i * 13) % 5) / 5 > 0.6 ? 1 : 0));
    const dense = fitLogisticRegression(rows, y, { classWeight: 'balanced' });
    const sparse = fitLogisticRegression(sparseRows(rows), y, { classWeight: 'balanced' });
    expect(sparse).toEqual(dense);
  });
});
