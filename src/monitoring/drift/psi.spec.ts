import { PSI_FLOOR, psi, psiFromCounts } from './psi';

describe('psi', () => {
  it('is 0 for identical distributions', () => {
    expect(psi([0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])).toBe(0);
  });

  it('sums (a - e) ln(a / e) over bins', () => {
    // (0.5-0.25) ln 2 + 0 + (0.25-0.5) ln(1/2) = 0.5 ln 2
    expect(psi([0.25, 0.25, 0.5], [0.5, 0.25, 0.25])).toBeCloseTo(0.5 * Math.LN2, 15);
    expect(psi([0.25, 0.25, 0.5], [0.5, 0.25, 0.25])).toBeCloseTo(0.34657359027997264, 15);
  });

  it('is symmetric in its two arguments', () => {
    const a = [0.1, 0.6, 0.3];
    const b = [0.3, 0.3, 0.4];
    expect(psi(a, b)).toBeCloseTo(psi(b, a), 15);
  });

  it('floors an empty reference bin at 1e-4 instead of dividing by zero', () => {
    // (0.4-0.5) ln(0.8) + (0.1-1e-4) ln(0.1/1e-4) = 0.0223143551 + 0.6900847524
    const expected = -0.1 * Math.log(0.8) + (0.1 - 1e-4) * Math.log(1000);
    expect(psi([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(expected, 14);
    expect(psi([0.5, 0.5, 0], [0.5, 0.4, 0.1])).toBeCloseTo(0.7123991075017365, 14);
  });

  it('floors an empty observed bin the same way (both sides)', () => {
    expect(psi([0.5, 0.4, 0.1], [0.5, 0.5, 0])).toBeCloseTo(0.7123991075017365, 14);
  });

  it('gives a bin empty on both sides no weight, and does not renormalise', () => {
    expect(psi([0.5, 0.5, 0], [0.5, 0.5, 0])).toBe(0);
    expect(psi([0.5, 0.5, 0, 0], [0.5, 0.4, 0.1, 0])).toBeCloseTo(0.7123991075017365, 14);
  });

  it('raises shares below the floor to the floor (max, not only zeros)', () => {
    expect(PSI_FLOOR).toBe(1e-4);
    expect(psi([0.5, 0.49995, 0.00005], [0.5, 0.4, 0.1])).toBeCloseTo(
      (0.4 - 0.49995) * Math.log(0.4 / 0.49995) + (0.1 - 1e-4) * Math.log(1000),
      14,
    );
  });

  it('rejects bins that do not line up', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow(RangeError);
  });
});

describe('psiFromCounts', () => {
  it('turns counts into shares of their total', () => {
    expect(psiFromCounts([0.25, 0.25, 0.5], [2, 1, 1])).toBeCloseTo(0.5 * Math.LN2, 15);
    expect(psiFromCounts([0.5, 0.5, 0], new Float64Array([50, 40, 10]))).toBeCloseTo(0.7123991075017365, 14);
  });

  it('needs at least one observation', () => {
    expect(() => psiFromCounts([0.5, 0.5], [0, 0])).toThrow(RangeError);
  });
});
