import { rocAuc } from '../../training/metrics';
import { createSeededRandom } from '../../preprocessing/seeded-random';
import { delongAuc, delongTest } from './delong';

/*
 * Reference values. The numpy implementation of the same algorithm (midranks, Sun & Xu 2014) used
 * to print them was first checked on pROC's own example (aSAH: wfns vs s100b), where it reproduces
 * pROC's test suite to 1e-15: var 0.00146991470882363 and 0.00266868245717244, Z 2.20898359144091,
 * p 0.0271757822291882, CI 0.0104061769564846 to 0.174214419249478. On the fixture below, pROC 1.18.0
 * (roc(y, a, direction = "<"), var(), ci(), roc.test(rb, ra, method = "delong")) and numpy agree:
 */
// 60 rows, numpy default_rng(11); `a` rounded to 0.1 (many ties across classes), `b` to 0.01.
const Y = [
  1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0,
  0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1,
];
const A = [
  0.5, 0.5, 0.2, 0.5, 0.6, 0.1, 0.7, 0.5, 0.4, 0.2, 0.5, 0.4, 0.3, 0.7, 0.8, 0.7, 0.0, 0.5, 0.4, 0.3, 0.1, 0.8, 0.0, 0.4, 0.6, 0.0, 0.5,
  0.0, 0.3, 0.9, 0.7, 0.2, 0.4, 0.4, 0.6, 0.6, 0.2, 0.6, 0.3, 0.5, 0.4, 0.6, 0.4, 0.3, 0.3, 0.0, 0.2, 0.8, 0.5, 0.0, 0.6, 0.4, 1.0, 0.6,
  0.2, 0.0, 0.6, 0.8, 0.4, 0.4,
];
const B = [
  0.77, 0.13, 0.25, 0.58, 0.69, 0.52, 0.65, 0.83, 0.22, 0.37, 0.0, 0.01, 0.46, 0.53, 0.77, 0.41, 0.56, 0.46, 0.5, 0.28, 0.16, 0.5, 0.2,
  0.07, 0.19, 0.28, 0.7, 0.23, 0.0, 0.64, 0.35, 0.87, 0.77, 0.17, 0.16, 1.0, 0.45, 1.0, 0.73, 0.49, 0.73, 0.74, 0.41, 0.41, 0.34, 0.33, 0.0,
  0.62, 0.5, 0.33, 0.21, 0.42, 0.81, 0.71, 0.36, 0.32, 0.21, 0.27, 0.55, 0.73,
];

describe('delongAuc', () => {
  it('equals pROC var(roc) and ci(roc) with ties across classes', () => {
    const a = delongAuc(Y, A);
    expect(a.auc).toBeCloseTo(0.8108108108108107, 14);
    expect(a.variance).toBeCloseTo(0.002955498542531701, 15);
    expect(a.standard_error).toBeCloseTo(0.054364497077888076, 14);
    expect(a.interval.lower).toBeCloseTo(0.7042583545005171, 12);
    expect(a.interval.upper).toBeCloseTo(0.9173632671211044, 12);
    expect(a).toMatchObject({ method: 'delong', n_positive: 23, n_negative: 37 });
  });

  it('clips the interval to [0, 1] as pROC does (b: 0.937850758515668 to 1)', () => {
    const b = delongAuc(Y, B);
    expect(b.auc).toBeCloseTo(0.972972972972973, 14);
    expect(b.variance).toBeCloseTo(0.0003211201801096043, 16);
    expect(b.interval.lower).toBeCloseTo(0.937850758515668, 12);
    expect(b.interval.upper).toBe(1);
  });

  it('gives the same AUC as training/metrics rocAuc (sklearn roc_auc_score)', () => {
    const random = createSeededRandom(5);
    const labels = Uint8Array.from({ length: 5000 }, () => (random() < 0.12 ? 1 : 0));
    const scores = Float64Array.from(labels, (y) => Math.round((random() + 0.3 * y) * 50) / 50);
    expect(delongAuc(labels, scores).auc).toBeCloseTo(rocAuc(labels, scores), 12);
  });

  it('refuses fewer than 2 rows of a class, unequal lengths, labels other than 0/1 and NaN scores', () => {
    expect(() => delongAuc([1, 0, 0], [0.1, 0.2, 0.3])).toThrow('at least 2 positives and 2 negatives, got 1 and 2');
    expect(() => delongAuc([1, 0], [0.1])).toThrow('differ in length');
    expect(() => delongAuc([1, 0, 2, 0], [0.1, 0.2, 0.3, 0.4])).toThrow('label at row 2 is 2');
    expect(() => delongAuc([1, 1, 0, 0], [0.1, NaN, 0.3, 0.4])).toThrow('score at row 1 is NaN');
  });
});

describe('delongTest', () => {
  it("equals pROC roc.test(rb, ra, method = 'delong') for b - a", () => {
    const t = delongTest(Y, A, B);
    expect(t.difference).toBeCloseTo(0.16216216216216228, 14);
    expect(t.standard_error).toBeCloseTo(0.059739702786232585, 14);
    expect(t.z_statistic).toBeCloseTo(2.71447889090492, 12);
    expect(t.p_value).toBeCloseTo(0.00663801306310198, 13);
    expect(t.interval.lower).toBeCloseTo(0.0450744962540192, 12);
    expect(t.interval.upper).toBeCloseTo(0.2792498280703051, 12);
    expect(t.first.auc).toBeCloseTo(0.8108108108108107, 14);
    expect(t.second.auc).toBeCloseTo(0.972972972972973, 14);
    expect(t).toMatchObject({ method: 'delong_paired', n_positive: 23, n_negative: 37 });
  });

  it('is antisymmetric in the order of the models', () => {
    const ab = delongTest(Y, A, B);
    const ba = delongTest(Y, B, A);
    expect(ba.difference).toBeCloseTo(-ab.difference, 15);
    expect(ba.p_value).toBeCloseTo(ab.p_value, 14);
    expect(ba.interval.upper).toBeCloseTo(-ab.interval.lower, 14);
  });

  it('gives p = 1 and no z for identical curves (pROC: Z = 0, p = 1)', () => {
    const t = delongTest(Y, A, A);
    expect(t).toMatchObject({ difference: 0, standard_error: 0, z_statistic: null, p_value: 1, correlation: 1 });
  });

  it('is sharper than two separate intervals when the models are correlated', () => {
    const random = createSeededRandom(8);
    const labels = Uint8Array.from({ length: 2000 }, () => (random() < 0.2 ? 1 : 0));
    const base = Float64Array.from(labels, (y) => random() + 0.6 * y);
    const other = Float64Array.from(base, (s) => s + 0.05 * (random() - 0.5));
    const t = delongTest(labels, base, other);
    expect(t.correlation!).toBeGreaterThan(0.95);
    expect(t.standard_error).toBeLessThan(Math.hypot(t.first.standard_error, t.second.standard_error) / 3);
  });

  it('runs in O(n log n): 50,000 rows in well under a second', () => {
    const random = createSeededRandom(2);
    const labels = Uint8Array.from({ length: 50000 }, () => (random() < 0.1 ? 1 : 0));
    const a = Float64Array.from(labels, (y) => random() + 0.5 * y);
    const b = Float64Array.from(labels, (y) => random() + 0.4 * y);
    const started = Date.now();
    delongTest(labels, a, b);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
