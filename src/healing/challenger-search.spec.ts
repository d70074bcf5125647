import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';

import { MODEL_SPEC_PRESETS } from '../training/model-spec';
import { SearchCandidate } from './challenger-candidates';
import { FeatureRecord } from '../data/dataset-schema';
import { candidateRows, chooseCandidate, periodMeans, periodRuns, searchChallenger } from './challenger-search';

const SMALL_DATA = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');
let dataset: Dataset;

beforeAll(async () => {
  dataset = await loadCsvDataset(SMALL_DATA, BANK_SCHEMA);
});

const oneHot = (window: number, name = `one_hot/all/${window}`): SearchCandidate => ({
  name,
  spec: { ...MODEL_SPEC_PRESETS.one_hot },
  window,
});
const rows = (validationStart: number, validationEnd: number) => ({
  schema: BANK_SCHEMA,
  records: dataset.records,
  labels: dataset.labels,
  validationStart,
  validationEnd,
  knownClasses: {},
});
const settings = { score: 'brier' as const, budgetMs: 60_000, calibrationShare: 0.2 };
const clock = () => 0;

describe('candidateRows', () => {
  it('takes the newest window rows before the end, setting the newest share aside for a fitted map', () => {
    expect(candidateRows(oneHot(3), 10, 0.2)).toEqual({ trainRows: [7, 8, 9], calibrationRows: undefined });
    const platt: SearchCandidate = { name: 'p', spec: { ...MODEL_SPEC_PRESETS.one_hot, calibration: 'platt' }, window: 10 };
    expect(candidateRows(platt, 10, 0.2)).toEqual({ trainRows: [0, 1, 2, 3, 4, 5, 6, 7], calibrationRows: [8, 9] });
    expect(candidateRows(oneHot(50), 10, 0.2).trainRows).toHaveLength(10);
  });
});

describe('searchChallenger', () => {
  it('chooses the candidate with the lowest loss on the validation rows after its training rows', () => {
    // Only job and age: a poor model next to one with every feature.
    const poor: SearchCandidate = { name: 'poor', spec: { ...MODEL_SPEC_PRESETS.one_hot, features: ['age', 'job'] }, window: 3000 };
    const outcome = searchChallenger(rows(3000, 4000), [poor, oneHot(3000)], settings, clock);
    expect(outcome.chosen.name).toBe('one_hot/all/3000');
    expect(outcome.validation_rows).toBe(1000);
    const [a, b] = outcome.candidates;
    expect(a).toMatchObject({ name: 'poor', status: 'scored', error: null });
    expect(b.validation_loss!).toBeLessThan(a.validation_loss!);
    expect(b.validation_roc_auc!).toBeGreaterThan(a.validation_roc_auc!);
    expect(outcome.reason).toMatch(
      /^lowest validation brier \(0\.\d{4}\); 2 candidates scored on the 1000 labelled rows before the holdout$/,
    );
    expect(BANK_SCHEMA.featureNames).toContain('job');
  });

  it("with past searches' evidence, chooses by the pooled loss and records it beside this search's", () => {
    const poor: SearchCandidate = {
      name: 'poor',
      spec: { ...MODEL_SPEC_PRESETS.one_hot, features: ['age', 'job'] },
      window: 3000,
      procedures: ['poor'],
    };
    const full = { ...oneHot(3000), procedures: ['full'] };
    // Past searches say, over 20,000 rows, that the full model did far worse: the pooled loss decides.
    const past = {
      poor: { loss_sum: 0.05 * 20_000, rows: 20_000, searches: 14 },
      full: { loss_sum: 0.2 * 20_000, rows: 20_000, searches: 14 },
    };
    const outcome = searchChallenger(rows(3000, 4000), [poor, full], { ...settings, past }, clock);
    expect(outcome.chosen.name).toBe('poor');
    const [a, b] = outcome.candidates;
    expect(b.validation_loss!).toBeLessThan(a.validation_loss!);
    expect(a.procedures).toEqual(['poor']);
    expect(a.pooled_rows).toBe(21_000);
    expect(a.pooled_loss!).toBeCloseTo((0.05 * 20_000 + a.validation_loss! * 1000) / 21_000, 12);
    expect(outcome.reason).toMatch(/^lowest brier over the validation rows of the last 15 searches/);
  });

  /** A row index, past 1000, whose 10 rows before hold one outcome only. */
  const afterTenNos = () => {
    for (let k = 1000; ; k++) if (Array.from(dataset.labels.subarray(k - 10, k)).every((y) => y === 0)) return k;
  };

  it('records a candidate that cannot be fitted and goes on', () => {
    const k = afterTenNos();
    const outcome = searchChallenger(rows(k, k + 1000), [oneHot(10, 'ten rows'), oneHot(1000)], settings, clock);
    expect(outcome.candidates[0]).toMatchObject({ name: 'ten rows', status: 'failed', validation_loss: null });
    expect(outcome.candidates[0].error).toMatch(/one class/);
    expect(outcome.chosen.name).toBe('one_hot/all/1000');
  });

  it('fails, naming every candidate, when none can be fitted', () => {
    const k = afterTenNos();
    expect(() => searchChallenger(rows(k, k + 1000), [oneHot(10, 'a'), oneHot(5, 'b')], settings, clock)).toThrow(
      /every candidate failed to fit: a: .*; b: /,
    );
  });

  it('stops starting candidates once over budget, keeping the best scored so far', () => {
    let now = 0;
    const ticking = () => (now += 40_000);
    const outcome = searchChallenger(rows(2000, 3000), [oneHot(1000), oneHot(2000), oneHot(500)], settings, ticking);
    expect(outcome.candidates.map((c) => c.status)).toEqual(['scored', 'over_budget', 'over_budget']);
    expect(outcome.chosen.name).toBe('one_hot/all/1000');
  });

  it('without validation rows holding both outcomes, takes the first candidate and says why', () => {
    const outcome = searchChallenger(rows(2000, 2000), [oneHot(1000), oneHot(2000)], settings, clock);
    expect(outcome.chosen.name).toBe('one_hot/all/1000');
    expect(outcome.reason).toMatch(/no validation possible \(0 rows/);
    expect(outcome.candidates).toEqual([]);
  });
});

describe('chooseCandidate', () => {
  const scored = (name: string, losses: number[], kept: string[] = []) => ({
    candidate: { ...oneHot(100, name), time_level_kept: kept },
    loss: losses.reduce((a, b) => a + b, 0) / losses.length,
    losses: Float64Array.from(losses),
  });
  /** Six validation rows in three periods of two. */
  const threePeriods = () => Uint32Array.from([0, 0, 1, 1, 2, 2]);

  it('takes the lowest loss when it keeps no time-level feature', () => {
    const { chosen, why } = chooseCandidate(
      [scored('a', [0.2, 0.2, 0.2, 0.2, 0.2, 0.2]), scored('b', [0.1, 0.1, 0.1, 0.1, 0.1, 0.1])],
      'brier',
      threePeriods,
    );
    expect(chosen.candidate.name).toBe('b');
    expect(why).toBe('lowest validation brier (0.1000)');
  });

  it('keeps time-level features only when their gain shows period by period', () => {
    const safe = scored('safe', [0.3, 0.3, 0.3, 0.3, 0.3, 0.3]);
    // Better in every period by 0.1, give or take: shown better.
    const steady = scored('steady', [0.19, 0.21, 0.2, 0.2, 0.21, 0.19], ['rate']);
    const shown = chooseCandidate([safe, steady], 'brier', threePeriods);
    expect(shown.chosen.candidate.name).toBe('steady');
    expect(shown.why).toMatch(
      /^lowest validation brier \(0\.2000\), shown better than without its time-level features: steady \(0\.2000, keeps the time-level rate\) over safe \(0\.3000\) over 3 periods/,
    );
    // Better on average, but by one period only: not shown, the safe one is chosen.
    const lucky = scored('lucky', [0.0, 0.0, 0.3, 0.3, 0.3, 0.3], ['rate']);
    const notShown = chooseCandidate([safe, lucky], 'brier', threePeriods);
    expect(notShown.chosen.candidate.name).toBe('safe');
    expect(notShown.why).toMatch(/^lowest validation brier without time-level features \(0\.3000\): lucky .* is not shown better$/);
  });

  it('chooses by the loss pooled over past searches when there is one, and says so', () => {
    const noisyWinner = { ...scored('noisy', [0.1, 0.1, 0.1, 0.1, 0.1, 0.1]), pooled: 0.25, pooledSearches: 5 };
    const steady = { ...scored('steady', [0.11, 0.11, 0.11, 0.11, 0.11, 0.11]), pooled: 0.2, pooledSearches: 5 };
    const { chosen, why } = chooseCandidate([noisyWinner, steady], 'brier', threePeriods);
    expect(chosen.candidate.name).toBe('steady');
    expect(why).toBe("lowest brier over the validation rows of the last 5 searches (0.2000; 0.1100 on this one's)");
  });

  it('one period of validation rows cannot show anything about time-level features', () => {
    const safe = scored('safe', [0.3, 0.3, 0.3, 0.3]);
    const risky = scored('risky', [0.1, 0.1, 0.1, 0.1], ['rate']);
    const { chosen, why } = chooseCandidate([safe, risky], 'brier', () => new Uint32Array(4));
    expect(chosen.candidate.name).toBe('safe');
    expect(why).toMatch(/over 1 periods of the validation rows cannot show better$/);
  });

  it('with only candidates that keep time-level features, takes the lowest loss', () => {
    const { chosen } = chooseCandidate(
      [scored('x', [0.3, 0.3], ['rate']), scored('y', [0.2, 0.2], ['rate'])],
      'brier',
      () => new Uint32Array(2),
    );
    expect(chosen.candidate.name).toBe('y');
  });
});

describe('periodRuns and periodMeans', () => {
  const rows = [
    { q: 1, d: 5 },
    { q: 1, d: 6 },
    { q: 1, d: 6 },
    { q: 2, d: 7 },
    { q: 2, d: 8 },
  ] as unknown as FeatureRecord[];

  it('numbers runs of the slowest-moving feature', () => {
    expect(Array.from(periodRuns(rows, ['d', 'q']))).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(periodRuns(rows, ['d']))).toEqual([0, 1, 1, 2, 3]);
    expect(periodRuns([], ['q'])).toHaveLength(0);
  });

  it('averages values within each run', () => {
    expect(Array.from(periodMeans([1, 2, 3, 10, 20], Uint32Array.from([0, 0, 0, 1, 1])))).toEqual([2, 15]);
  });
});
