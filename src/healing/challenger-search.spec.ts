import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';

import { MODEL_SPEC_PRESETS } from '../training/model-spec';
import { SearchCandidate } from './challenger-candidates';
import { FeatureRecord } from '../data/dataset-schema';
import {
  candidateRows,
  chooseAgainstDefault,
  chooseCandidate,
  defaultCandidateIndex,
  periodMeans,
  periodRuns,
  searchChallenger,
} from './challenger-search';

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

  it('with a default, tries it first and keeps it unless another is shown better; the outcome says so', () => {
    const at = (window: number, name: string): SearchCandidate => ({ ...oneHot(window, name), procedures: [`one_hot/all/${window}`] });
    const poor: SearchCandidate = {
      name: 'poor',
      spec: { ...MODEL_SPEC_PRESETS.one_hot, features: ['age', 'job'] },
      window: 3000,
      procedures: ['age_and_job/all/3000'],
    };
    const outcome = searchChallenger(
      rows(3000, 4000),
      [at(2000, 'one_hot/all/2000'), poor, at(3000, 'one_hot/all/3000')],
      { ...settings, default: { spec: 'one_hot', window: 3000 }, confidence: 0.975 },
      clock,
    );
    expect(outcome.candidates.map((c) => c.name)).toEqual(['one_hot/all/3000', 'one_hot/all/2000', 'poor']);
    expect(outcome.candidates[0].versus_default).toBeNull();
    expect(outcome.candidates[2].versus_default).toMatchObject({ unit: 'rows', n: 1000, shown_better: false });
    expect(outcome.default).toMatchObject({ asked: 'one_hot/3000', name: 'one_hot/all/3000', confidence: 0.975 });
    if (outcome.default!.displaced) expect(outcome.chosen.name).toBe(outcome.default!.by);
    else expect(outcome.chosen.name).toBe('one_hot/all/3000');
    expect(outcome.reason).toMatch(/default one_hot\/all\/3000/);
  });

  it('without a candidate for the default, falls back to the lowest loss and says so', () => {
    const outcome = searchChallenger(rows(3000, 4000), [oneHot(3000)], { ...settings, default: { spec: 'prior', window: 3000 } }, clock);
    expect(outcome.default).toMatchObject({ asked: 'prior/3000', name: null, displaced: false });
    expect(outcome.reason).toMatch(/^no candidate stands for prior\/3000, so lowest validation brier/);
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

describe('chooseAgainstDefault', () => {
  const scored = (name: string, losses: number[], kept: string[] = []) => ({
    candidate: { ...oneHot(100, name), time_level_kept: kept },
    loss: losses.reduce((a, b) => a + b, 0) / losses.length,
    losses: Float64Array.from(losses),
  });
  /** Noise with a fixed sequence: every candidate built from it differs from the default by it alone. */
  const base = Array.from({ length: 400 }, (_, i) => 0.1 + 0.05 * Math.sin(i * 1.7));
  const jitter = (amplitude: number) => base.map((v, i) => v + amplitude * Math.sin(i * 12.9898 + 78.233));
  const perRow = () => new Uint32Array(400);
  /** 400 rows in 8 periods of 50. */
  const eightPeriods = () => Uint32Array.from({ length: 400 }, (_, i) => Math.floor(i / 50));

  it('keeps the default when another is lower by noise only, and records the evidence', () => {
    const standard = scored('one_hot/without_time_level/10000', base);
    // Lower on average by 1e-4, give or take 0.01 per row: not shown.
    const lucky = scored(
      'prior/without_drifted/5000',
      jitter(0.01).map((v) => v - 1e-4),
    );
    expect(lucky.loss).toBeLessThan(standard.loss);
    const { chosen, why, versus, outcome } = chooseAgainstDefault([standard, lucky], standard, 'brier', perRow, 0.975);
    expect(chosen).toBe(standard);
    expect(why).toMatch(
      /^the default one_hot\/without_time_level\/10000 \(validation brier 0\.\d{4}\): no other candidate shown better at 97\.5%; the lowest other, prior\/without_drifted\/5000 .*not shown better$/,
    );
    expect(versus.get('prior/without_drifted/5000')).toMatchObject({ unit: 'rows', n: 400, shown_better: false });
    expect(outcome('one_hot/10000')).toEqual({
      asked: 'one_hot/10000',
      name: 'one_hot/without_time_level/10000',
      displaced: false,
      by: null,
      evidence: null,
      shown_better: 0,
      confidence: 0.975,
    });
  });

  it('is displaced by a candidate shown better row by row; of several shown better, the lowest loss wins', () => {
    const standard = scored('default', base);
    const better = scored(
      'better',
      jitter(0.001).map((v) => v - 0.01),
    );
    const best = scored(
      'best',
      jitter(0.001).map((v) => v - 0.02),
    );
    const worse = scored(
      'worse',
      jitter(0.001).map((v) => v + 0.01),
    );
    const { chosen, why, outcome } = chooseAgainstDefault([standard, worse, better, best], standard, 'brier', perRow, 0.975);
    expect(chosen).toBe(best);
    expect(why).toMatch(
      /^best \(0\.\d{4}\) displaces the default default \(0\.\d{4}\): mean gain 0\.0200 over 400 validation rows, paired_t .*, the lowest brier of the 2 shown better at 97\.5%$/,
    );
    expect(outcome('one_hot/10000')).toMatchObject({
      displaced: true,
      by: 'best',
      shown_better: 2,
      evidence: { unit: 'rows', n: 400, shown_better: true },
    });
  });

  it('judges time-level features the default leaves out period by period: one lucky period shows nothing', () => {
    const standard = scored('default', base);
    // Much better on the first period's 50 rows, the same elsewhere: row by row this would be shown.
    const lucky = scored(
      'keeps rate',
      base.map((v, i) => (i < 50 ? v - 0.08 : v)),
      ['rate'],
    );
    const { chosen, versus } = chooseAgainstDefault([standard, lucky], standard, 'brier', eightPeriods, 0.975);
    expect(chosen).toBe(standard);
    expect(versus.get('keeps rate')).toMatchObject({ unit: 'periods', n: 8, shown_better: false });
    // Better in every period: shown.
    const steady = scored(
      'steady rate',
      jitter(0.001).map((v) => v - 0.01),
      ['rate'],
    );
    const shown = chooseAgainstDefault([standard, steady], standard, 'brier', eightPeriods, 0.975);
    expect(shown.chosen).toBe(steady);
    expect(shown.versus.get('steady rate')).toMatchObject({ unit: 'periods', n: 8, shown_better: true });
  });

  it('a default alone is kept', () => {
    const standard = scored('default', [0.1, 0.2]);
    expect(chooseAgainstDefault([standard], standard, 'brier', perRow, 0.975).chosen).toBe(standard);
  });
});

describe('defaultCandidateIndex', () => {
  const candidate = (name: string, procedures: string[], kept: string[] = []): SearchCandidate => ({
    ...oneHot(100, name),
    procedures,
    time_level_kept: kept,
  });
  it('takes the asked spec and window with the first feature set that keeps no time-level feature', () => {
    const list = [
      candidate('prior/without_time_level/5000', ['prior/without_time_level/5000']),
      candidate('one_hot/all/10000', ['one_hot/all/10000'], ['rate']),
      candidate('one_hot/all/5000', ['one_hot/all/5000'], ['rate']),
      candidate('one_hot/without_time_level/10000', ['one_hot/without_time_level/10000']),
      candidate('one_hot/without_drifted/10000', ['one_hot/without_drifted/10000']),
    ];
    expect(defaultCandidateIndex(list, { spec: 'one_hot', window: 10_000 })).toBe(3);
    // Every set keeps some: all features.
    expect(defaultCandidateIndex(list.slice(0, 3), { spec: 'one_hot', window: 10_000 })).toBe(1);
    expect(defaultCandidateIndex(list, { spec: 'one_hot', window: 20_000 })).toBe(-1);
  });
  it('a window clipped to the rows there are still stands for the one asked for', () => {
    const clipped = candidate('one_hot/all/7000', ['one_hot/all/10000', 'one_hot/all/20000']);
    expect(defaultCandidateIndex([candidate('one_hot/all/5000', ['one_hot/all/5000']), clipped], { spec: 'one_hot', window: 10_000 })).toBe(
      1,
    );
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
