import { fitStandardScaler, scaleValue } from './standard-scaler';

describe('fitStandardScaler', () => {
  it('computes the mean and the population standard deviation (ddof 0)', () => {
    // mean 5, squared deviations sum to 32, 32 / 8 = 4, std 2 (the sample std, ddof 1, would be 2.138...)
    expect(fitStandardScaler([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, scale: 2 });
  });

  it('matches numpy / sklearn StandardScaler on non-integer data', () => {
    // numpy: np.mean([1.5, -2.25, 3.0, 10.0]) = 3.0625, np.std(...) = 4.438380194395248
    const params = fitStandardScaler([1.5, -2.25, 3.0, 10.0]);
    expect(params.mean).toBeCloseTo(3.0625, 15);
    const expectedStd = Math.sqrt(((1.5 - 3.0625) ** 2 + (-2.25 - 3.0625) ** 2 + (3 - 3.0625) ** 2 + (10 - 3.0625) ** 2) / 4);
    expect(params.scale).toBeCloseTo(expectedStd, 14);
    expect(params.scale).toBeCloseTo(4.438380194395248, 12);
  });

  it('uses scale 1 for a constant column, so nothing divides by zero', () => {
    expect(fitStandardScaler([999, 999, 999])).toEqual({ mean: 999, scale: 1 });
    expect(fitStandardScaler([-0.5])).toEqual({ mean: -0.5, scale: 1 });
  });

  it('treats a column constant up to rounding as constant, as sklearn does (_is_constant_feature)', () => {
    // sklearn 1.2.1: StandardScaler().fit(np.full((10000, 1), 1.4)).scale_ -> [1.0]; our mean of
    // 10,000 x 1.4 is 1.3999999999997614, whose naive std (2.4e-13) would blow up the next new value.
    const constant = new Float64Array(10_000).fill(1.4);
    const params = fitStandardScaler(constant);
    expect(params.scale).toBe(1);
    expect(Math.abs(scaleValue(-0.1, params))).toBeLessThan(2);
    expect(fitStandardScaler([0.1, 0.1, 0.1]).scale).toBe(1);
    // ... while a column that does vary, however little, keeps its std: 15 rows of 1.1 among 10,000
    // of 1.4 -> sklearn mean_ 1.39955, scale_ 0.011610232555810403.
    const nearlyConstant = new Float64Array(10_000).fill(1.4).fill(1.1, 0, 15);
    const varied = fitStandardScaler(nearlyConstant);
    expect(varied.mean).toBeCloseTo(1.39955, 12);
    expect(varied.scale).toBeCloseTo(0.011610232555810403, 12);
  });

  it('accepts typed arrays', () => {
    expect(fitStandardScaler(Float64Array.from([1, 3]))).toEqual({ mean: 2, scale: 1 });
    expect(fitStandardScaler(Float64Array.from([0, 4]))).toEqual({ mean: 2, scale: 2 });
  });

  it('throws on no values', () => {
    expect(() => fitStandardScaler([])).toThrow('cannot fit a scaler on no values');
  });
});

describe('scaleValue', () => {
  it('subtracts the mean and divides by the scale', () => {
    const params = { mean: 5, scale: 2 };
    expect(scaleValue(9, params)).toBe(2);
    expect(scaleValue(5, params)).toBe(0);
    expect(scaleValue(2, params)).toBe(-1.5);
  });

  it('centres a constant column to zero', () => {
    const params = fitStandardScaler([7, 7, 7]);
    expect(scaleValue(7, params)).toBe(0);
    expect(scaleValue(8, params)).toBe(1);
  });

  it('gives the fitted data mean 0 and population std 1', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    const params = fitStandardScaler(values);
    const scaled = values.map((v) => scaleValue(v, params));
    const mean = scaled.reduce((a, b) => a + b, 0) / scaled.length;
    const variance = scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / scaled.length;
    expect(mean).toBeCloseTo(0, 14);
    expect(variance).toBeCloseTo(1, 14);
  });
});
