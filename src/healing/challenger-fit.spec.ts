import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { trainModel } from '../training/training-pipeline';
import { fitChallenger } from './challenger-fit';

const SMALL_DATA = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');
let dataset: Dataset;

beforeAll(async () => {
  dataset = await loadCsvDataset(SMALL_DATA, BANK_SCHEMA);
});

describe('fitChallenger', () => {
  it('searches, fits the choice before the holdout for the gate, and refits it with the holdout to promote', () => {
    const n = 3000;
    const records = dataset.records.slice(0, n);
    const labels = dataset.labels.slice(0, n);
    const holdout = Array.from({ length: 500 }, (_, i) => n - 500 + i);
    const champion = trainModel({ schema: BANK_SCHEMA, records: records.slice(0, 1500), labels: labels.slice(0, 1500), seed: 42 });
    const fit = fitChallenger(
      {
        schema: BANK_SCHEMA,
        records,
        labels,
        split: { train: Array.from({ length: n - 500 }, (_, i) => i), validation: holdout, test: holdout },
        validationStart: 2000,
        space: { specs: ['one_hot'], windows: [1000, 2000] },
        search: { score: 'brier', budgetMs: 60_000, calibrationShare: 0.2 },
        seed: 42,
        knownClasses: {},
        champion,
      },
      () => 0,
    );
    const window = fit.search.chosen.window;
    // The judged fit ends where the holdout begins; the refit moves the same window up to the newest row.
    expect(fit.trained.split.train).toEqual(Array.from({ length: window }, (_, i) => 2500 - window + i));
    expect(fit.refit!.split.train).toEqual(Array.from({ length: window }, (_, i) => n - window + i));
    expect(fit.refit!.params.spec).toEqual(fit.trained.params.spec);
    // The refit has seen the holdout: it carries the judged fit's figures there, and says so.
    expect(fit.refit!.metrics).toBe(fit.trained.metrics);
    expect(fit.refit!.params.refit).toEqual({ holdout_rows: 500, figures_from: 'judged_fit' });
    expect(fit.refit!.model.coefficients).not.toEqual(fit.trained.model.coefficients);
    // The gate's scores are the judged fit's and the champion's, row by row.
    expect(fit.holdout.challenger[0]).toBeCloseTo(fit.trained.model.probability(fit.trained.preprocessor.transform(records[2500])), 15);
    expect(fit.holdout.champion[0]).toBeCloseTo(champion.model.probability(champion.preprocessor.transform(records[2500])), 15);
    // The small file's indicators barely move from row to row (its rows are not in date order), so
    // nothing is time-level; the analysis is recorded with the search.
    expect(fit.search.features).toMatchObject({ time_level: [], rows: { older: 2000, newest: 500 } });
    expect(fit.search.candidates.length).toBeGreaterThan(0);
  });
});
