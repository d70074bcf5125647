import { BANK_SCHEMA } from '../../data/testing/bank-schema';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCsvDataset } from '../../data/csv-dataset-loader';
import { analyseSearchRows } from '../../healing/challenger-candidates';
import { DEFAULT_SYNTHETIC_HISTORY, syntheticHistory, syntheticHistoryCsv } from './synthetic-history';

const history = syntheticHistory();

/** Share of "yes" among rows [from, to) that match. */
function yesRate(from: number, to: number, match: (i: number) => boolean): number {
  let n = 0;
  let yes = 0;
  for (let i = from; i < to; i++) {
    if (!match(i)) continue;
    n++;
    yes += history.labels[i];
  }
  return yes / n;
}

describe('syntheticHistory', () => {
  it('is the same history for the same options, and another for another seed', () => {
    const again = syntheticHistory();
    expect(again.records).toEqual(history.records);
    expect(Array.from(again.labels)).toEqual(Array.from(history.labels));
    expect(Array.from(syntheticHistory({ ...DEFAULT_SYNTHETIC_HISTORY, seed: 8 }).labels)).not.toEqual(Array.from(history.labels));
    expect(history.records).toHaveLength(12_000);
  });

  it('changes its concept suddenly: cell-phone clients say yes more before the change and less after', () => {
    const cellular = (i: number) => history.records[i].contact === 'cellular';
    const telephone = (i: number) => history.records[i].contact === 'telephone';
    const { changeAt, slideFrom } = DEFAULT_SYNTHETIC_HISTORY;
    expect(yesRate(0, changeAt, cellular)).toBeGreaterThan(yesRate(0, changeAt, telephone) + 0.05);
    expect(yesRate(changeAt, slideFrom, cellular)).toBeLessThan(yesRate(changeAt, slideFrom, telephone) - 0.05);
  });

  it('then slides: housing loans go from a no to a yes, and more clients say yes', () => {
    const housing = (i: number) => history.records[i].housing === 'yes';
    const none = (i: number) => history.records[i].housing === 'no';
    const { slideFrom, rows } = DEFAULT_SYNTHETIC_HISTORY;
    expect(yesRate(0, slideFrom, housing)).toBeLessThan(yesRate(0, slideFrom, none));
    expect(yesRate(rows - 1000, rows, housing)).toBeGreaterThan(yesRate(rows - 1000, rows, none) + 0.1);
    expect(yesRate(rows - 1000, rows, () => true)).toBeGreaterThan(yesRate(0, slideFrom, () => true) + 0.1);
  });

  it('has indicators that move month by month, which the search sees as time-level', () => {
    expect(analyseSearchRows(BANK_SCHEMA.features, history.records, 0, 5000, 6000).time_level).toEqual([
      'emp_var_rate',
      'cons_price_idx',
      'cons_conf_idx',
      'euribor3m',
      'nr_employed',
    ]);
  });

  it('writes a file the bank loader reads back row for row', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'synthetic-')), 'history.csv');
    const small = syntheticHistory({ ...DEFAULT_SYNTHETIC_HISTORY, rows: 1200 });
    writeFileSync(file, syntheticHistoryCsv(small));
    const loaded = await loadCsvDataset(file, BANK_SCHEMA);
    expect(loaded.records).toEqual(small.records);
    expect(Array.from(loaded.labels)).toEqual(Array.from(small.labels));
  });

  it("draws every record with exactly the schema's features, within its ranges and categories", () => {
    const problems: string[] = [];
    const names = [...BANK_SCHEMA.featureNames].sort().join();
    history.records.forEach((record, i) => {
      if (Object.keys(record).sort().join() !== names) problems.push(`row ${i}: columns ${Object.keys(record).join()}`);
      for (const f of BANK_SCHEMA.features) {
        const value = record[f.name];
        const outside =
          (f.categories && !f.categories.includes(value as string)) ||
          (f.minimum !== undefined && (value as number) < f.minimum) ||
          (f.maximum !== undefined && (value as number) > f.maximum);
        if (outside) problems.push(`row ${i}: ${f.name} = ${value}`);
      }
    });
    expect(problems).toEqual([]);
  });
});
