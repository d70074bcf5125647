import { createSeededRandom } from '../../preprocessing/seeded-random';
import { MAX_BOOTSTRAP_RESAMPLES, boundedResamples, pairedBootstrapInterval } from './paired-bootstrap';
import { pairedDifferences, pairedTInterval } from './paired-t-interval';

// Two models' per-row losses on the same 25 rows (numpy default_rng(7), rounded to 3 decimals).
const CHAMPION = [
  0.375, 0.538, 0.465, 0.135, 0.18, 0.524, 0.003, 0.493, 0.478, 0.281, 0.182, 0.167, 0.153, 0.267, 0.303, 0.332, 0.597, 0.476, 0.373, 0.593,
  0.129, 0.096, 0.368, 0.026, 0.021,
];
const CHALLENGER = [
  0.303, 0.186, 0.35, 0.079, 0.144, 0.29, 0.0, 0.326, 0.331, 0.358, 0.035, 0.113, 0.209, 0.147, 0.24, 0.295, 0.555, 0.279, 0.332, 0.706,
  0.0, 0.149, 0.332, 0.0, 0.211,
];
const DIFFERENCES = pairedDifferences(CHAMPION, CHALLENGER);

describe('pairedTInterval', () => {
  it('equals scipy.stats.ttest_rel(champion, challenger) and mean +- t.ppf(0.5 + c/2, n-1) * se', () => {
    // scipy 1.10.1: ttest_rel -> statistic 2.7609092779303426, pvalue 0.010870460621251368;
    // se = d.std(ddof=1)/sqrt(n) = 0.02296344921826858; t.ppf(0.975, 24) and t.ppf(0.95, 24) for the bounds.
    const result = pairedTInterval(DIFFERENCES);
    expect(result.n).toBe(25);
    expect(result.degrees_of_freedom).toBe(24);
    expect(result.mean_difference).toBeCloseTo(0.0634, 15);
    expect(result.standard_error).toBeCloseTo(0.02296344921826858, 15);
    expect(result.t_statistic).toBeCloseTo(2.7609092779303426, 12);
    expect(result.p_value).toBeCloseTo(0.010870460621251368, 13);
    expect(result.interval.lower).toBeCloseTo(0.016005770188397384, 9);
    expect(result.interval.upper).toBeCloseTo(0.11079422981160261, 9);
    const ninety = pairedTInterval(DIFFERENCES, 0.9).interval;
    expect(ninety.lower).toBeCloseTo(0.02411224623955413, 9);
    expect(ninety.upper).toBeCloseTo(0.10268775376044587, 9);
    expect(ninety.confidence).toBe(0.9);
  });

  it('has a zero-width interval and no t statistic when every difference is the same', () => {
    expect(pairedTInterval([0, 0, 0])).toMatchObject({ t_statistic: null, p_value: 1, interval: { lower: 0, upper: 0 } });
    expect(pairedTInterval([0.1, 0.1])).toMatchObject({ t_statistic: null, p_value: 0, standard_error: 0 });
  });

  it('refuses fewer than 2 rows, unequal lengths and a confidence outside (0, 1)', () => {
    expect(() => pairedTInterval([0.1])).toThrow('at least 2 rows');
    expect(() => pairedDifferences([1, 2], [1])).toThrow('differ in length');
    expect(() => pairedTInterval(DIFFERENCES, 1)).toThrow('confidence must be in (0, 1)');
  });
});

describe('pairedBootstrapInterval', () => {
  it('uses the project PRNG (mulberry32), whose first draws match a Python port of it', () => {
    const random = createSeededRandom(42);
    expect([random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('equals a numpy percentile bootstrap driven by the same seeded draws', () => {
    // Python port of mulberry32; row = int(u * n); np.quantile(means, [0.025, 0.975]); means.std(ddof=1).
    const result = pairedBootstrapInterval(DIFFERENCES, { seed: 42, resamples: 1000 });
    expect(result.interval.lower).toBeCloseTo(0.02275500000000001, 12);
    expect(result.interval.upper).toBeCloseTo(0.11112100000000003, 12);
    expect(result.standard_error).toBeCloseTo(0.022517956335598752, 12);
    expect(result).toMatchObject({ method: 'paired_bootstrap_percentile', n: 25, resamples: 1000, seed: 42 });
    expect(result.mean_difference).toBeCloseTo(0.0634, 15);
    const other = pairedBootstrapInterval(DIFFERENCES, { seed: 7, resamples: 200, confidence: 0.9 });
    expect(other.interval.lower).toBeCloseTo(0.022043999999999994, 12);
    expect(other.interval.upper).toBeCloseTo(0.10696999999999997, 12);
  });

  it('is deterministic given the seed, and another seed gives another (similar) interval', () => {
    const a = pairedBootstrapInterval(DIFFERENCES, { seed: 1 });
    expect(pairedBootstrapInterval(DIFFERENCES, { seed: 1 })).toEqual(a);
    const b = pairedBootstrapInterval(DIFFERENCES, { seed: 2 });
    expect(b.interval.lower).not.toBe(a.interval.lower);
    expect(Math.abs(b.interval.lower - a.interval.lower)).toBeLessThan(0.01);
    expect(a.resamples).toBe(2000);
  });

  it('agrees with the t interval on many rows (both rest on the same sampling distribution)', () => {
    const random = createSeededRandom(3);
    const d = Float64Array.from({ length: 3000 }, () => random() - 0.45);
    const t = pairedTInterval(d).interval;
    const boot = pairedBootstrapInterval(d, { seed: 9, resamples: 400 }).interval;
    expect(Math.abs(boot.lower - t.lower)).toBeLessThan(0.002);
    expect(Math.abs(boot.upper - t.upper)).toBeLessThan(0.002);
  });

  it('bounds the work: fewer resamples (stated) on very many rows, never fewer than 200', () => {
    expect(boundedResamples(2000, 600)).toBe(2000);
    expect(boundedResamples(2000, 50000)).toBe(400);
    expect(boundedResamples(2000, 1_000_000)).toBe(200);
    expect(pairedBootstrapInterval(DIFFERENCES, { seed: 1, resamples: 300 })).toMatchObject({ resamples: 300, requested_resamples: 300 });
  });

  it('bounds the number of resamples', () => {
    expect(() => pairedBootstrapInterval(DIFFERENCES, { seed: 1, resamples: MAX_BOOTSTRAP_RESAMPLES + 1 })).toThrow('from 1 to 10000');
    expect(() => pairedBootstrapInterval(DIFFERENCES, { seed: 1, resamples: 0.5 })).toThrow('integer');
    expect(() => pairedBootstrapInterval([1], { seed: 1 })).toThrow('at least 2 rows');
  });
});
