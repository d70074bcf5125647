import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';

import { MODEL_SPEC_PRESETS } from '../training/model-spec';
import { SearchCandidate } from './challenger-candidates';
import { candidateRows, searchChallenger } from './challenger-search';

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
    expect(outcome.reason).toMatch(/lowest validation brier \(0\.\d{4}\) of 2 candidates on the 1000 labelled rows before the holdout/);
    expect(BANK_SCHEMA.featureNames).toContain('job');
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
