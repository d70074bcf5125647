import { categoricalChiSquare, chiSquareGoodnessOfFit } from './chi-square-test';

/** Expected values: scipy 1.10.1 scipy.stats.chisquare(f_obs, f_exp). */
describe('chiSquareGoodnessOfFit', () => {
  it('matches scipy.stats.chisquare', () => {
    const r = chiSquareGoodnessOfFit([30, 14, 34, 45, 57, 20], [20, 20, 40, 40, 60, 20]);
    expect(r.statistic).toBeCloseTo(8.475, 12);
    expect(r.df).toBe(5);
    expect(r.pValue).toBeCloseTo(0.13192773556561896, 12);
  });

  it('rejects a zero expected count and mismatched lengths', () => {
    expect(() => chiSquareGoodnessOfFit([1, 1], [2, 0])).toThrow(RangeError);
    expect(() => chiSquareGoodnessOfFit([1, 1], [2])).toThrow(RangeError);
  });
});

describe('categoricalChiSquare', () => {
  it('tests window counts against reference shares times the window size', () => {
    // scipy.stats.chisquare([50, 25, 25], [50, 30, 20])
    const r = categoricalChiSquare([0.5, 0.3, 0.2], [50, 25, 25]);
    expect(r.statistic).toBeCloseTo(2.0833333333333335, 12);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(0.35286608145884896, 12);
    expect(r.unseenCount).toBe(0);
    expect(r.unseenShare).toBe(0);
  });

  it('on a large window flags a small but real deviation only mildly', () => {
    // scipy.stats.chisquare([6100, 2450, 980, 470], [6000, 2500, 1000, 500])
    const r = categoricalChiSquare([0.6, 0.25, 0.1, 0.05], [6100, 2450, 980, 470]);
    expect(r.statistic).toBeCloseTo(4.866666666666667, 10);
    expect(r.pValue).toBeCloseTo(0.18182490180599226, 12);
  });

  it('pools never-seen values in one bucket with a floored expected share', () => {
    // Shares [0.5, 0.3, 0.2, 1e-4] / 1.0001 times 1000; one never-seen value:
    // scipy.stats.chisquare([500, 300, 199, 1], [499.950005, 299.970003, 199.980002, 0.099990001])
    const r = categoricalChiSquare([0.5, 0.3, 0.2], [500, 300, 199], 1);
    expect(r.statistic).toBeCloseTo(8.1058005, 9);
    expect(r.df).toBe(3);
    expect(r.pValue).toBeCloseTo(0.043874992869343356, 12);
    expect(r.unseenCount).toBe(1);
    expect(r.unseenShare).toBeCloseTo(0.001, 15);
  });

  it('counts a known category that training never saw (share 0) as unseen, pooled with unknown values', () => {
    // Category 4 has training share 0: its 3 values join the 2 unknown ones.
    // scipy.stats.chisquare([50, 25, 20, 5], [0.5, 0.3, 0.2, 1e-4] / 1.0001 * 100)
    const r = categoricalChiSquare([0.5, 0.3, 0.2, 0], [50, 25, 20, 3], 2);
    expect(r.statistic).toBeCloseTo(2491.0924166666664, 8);
    expect(r.df).toBe(3);
    expect(r.pValue).toBe(0); // underflows in scipy too
    expect(r.unseenCount).toBe(5);
    expect(r.unseenShare).toBeCloseTo(0.05, 15);
  });

  it('leaves the unseen bucket out when the window has nothing in it', () => {
    const withZeroShare = categoricalChiSquare([0.5, 0.3, 0.2, 0], [50, 25, 25, 0]);
    const without = categoricalChiSquare([0.5, 0.3, 0.2], [50, 25, 25]);
    expect(withZeroShare).toEqual(without);
  });

  it('has nothing to test for a constant feature', () => {
    expect(categoricalChiSquare([1], [40])).toEqual({
      statistic: 0,
      df: 0,
      pValue: 1,
      unseenCount: 0,
      unseenShare: 0,
    });
  });

  it('needs one count per category and at least one observation', () => {
    expect(() => categoricalChiSquare([0.5, 0.5], [1])).toThrow(RangeError);
    expect(() => categoricalChiSquare([0.5, 0.5], [0, 0])).toThrow(RangeError);
  });
});
