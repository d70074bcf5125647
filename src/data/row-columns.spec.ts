import { BANK_SCHEMA, EXAMPLE_CLIENT } from './testing/bank-schema';
import { FeatureRecord } from './dataset-schema';

import { packRows, transferList, unpackRows } from './row-columns';

function rec(age: number, overrides: Partial<FeatureRecord> = {}): FeatureRecord {
  return { ...EXAMPLE_CLIENT, age, ...overrides };
}

/** What structured cloning (postMessage) does to the packed columns. */
const cloned = <T>(value: T): T => structuredClone(value);

describe('packRows / unpackRows', () => {
  it('packs each numeric feature into a Float64Array and each categorical one into codes of the distinct values', () => {
    const rows = [rec(30), rec(41, { job: 'admin.', euribor3m: 4.857 })];
    const columns = packRows(rows, BANK_SCHEMA.features);
    expect(columns.length).toBe(2);
    expect(Object.keys(columns.numeric).sort()).toEqual([...BANK_SCHEMA.numericFeatures].sort());
    expect(Object.keys(columns.codes).sort()).toEqual([...BANK_SCHEMA.categoricalFeatures].sort());
    expect(columns.numeric.age).toBeInstanceOf(Float64Array);
    expect(Array.from(columns.numeric.age)).toEqual([30, 41]);
    expect(Array.from(columns.numeric.euribor3m)).toEqual([1.313, 4.857]);
    expect(columns.codes.job).toBeInstanceOf(Uint32Array);
    expect(Array.from(columns.codes.job, (code) => columns.values[code])).toEqual(['blue-collar', 'admin.']);
    // One list for all features: a value shared by two features ("no") is listed once.
    expect(new Set(columns.values).size).toBe(columns.values.length);
  });

  it('round-trips records exactly, in order, with every feature', () => {
    const rows = [
      rec(30),
      rec(17, { job: 'student', month: 'dec', emp_var_rate: 1.4, cons_conf_idx: -26.9 }),
      rec(98, { poutcome: 'success', pdays: 3, previous: 2, nr_employed: 4963.6 }),
    ];
    const back = unpackRows(packRows(rows, BANK_SCHEMA.features));
    expect(back).toEqual(rows);
    for (const record of back) expect(Object.keys(record).sort()).toEqual(Object.keys(rows[0]).sort());
  });

  it('round-trips through a structured clone, as postMessage does', () => {
    const rows = Array.from({ length: 50 }, (_, i) => rec(18 + i, { campaign: i + 1, job: i % 2 ? 'technician' : 'services' }));
    expect(unpackRows(cloned(packRows(rows, BANK_SCHEMA.features)))).toEqual(rows);
  });

  it('handles no rows', () => {
    const columns = packRows([], BANK_SCHEMA.features);
    expect(columns.length).toBe(0);
    expect(columns.numeric.age.length).toBe(0);
    expect(columns.values).toEqual([]);
    expect(unpackRows(columns)).toEqual([]);
  });

  it('handles one row, and one row whose categorical values are empty strings', () => {
    expect(unpackRows(packRows([rec(55)], BANK_SCHEMA.features))).toEqual([rec(55)]);
    const empty = rec(55, { job: '', month: '' });
    expect(unpackRows(packRows([empty], BANK_SCHEMA.features))).toEqual([empty]);
    const twoEmpty = [rec(1, { job: '' }), rec(2, { job: '' })];
    expect(unpackRows(packRows(twoEmpty, BANK_SCHEMA.features))).toEqual(twoEmpty);
  });

  it.each([
    ['a comma and a semicolon', 'a,b;c'],
    ['quotes', `"quoted" 'single'`],
    ['a newline, a tab and a carriage return', 'line1\nline2\tx\r'],
    ['non-ASCII text', 'émigré – 日本語 🚀'],
    ['JSON-looking text', '{"a":[1,2]}'],
    ['a backslash and percent signs', 'C:\\path %s %d'],
    ['leading and trailing spaces', '  padded  '],
    ['other control characters', '\u0001\u001f\u007f'],
  ])('round-trips categorical values containing %s', (_what, value) => {
    const rows = [rec(20, { job: value }), rec(21, { education: value, poutcome: value }), rec(22)];
    expect(unpackRows(cloned(packRows(rows, BANK_SCHEMA.features)))).toEqual(rows);
  });

  it('keeps special numbers: negative zero, tiny and huge values, NaN', () => {
    const rows = [rec(0, { emp_var_rate: -0, cons_conf_idx: -1e-300, nr_employed: 1e300, euribor3m: Number.NaN })];
    const [back] = unpackRows(packRows(rows, BANK_SCHEMA.features));
    expect(Object.is(back.emp_var_rate, -0)).toBe(true);
    expect(back.cons_conf_idx).toBe(-1e-300);
    expect(back.nr_employed).toBe(1e300);
    expect(back.euribor3m).toBeNaN();
  });

  it('refuses codes that point past the values (a corrupt message), naming the row and feature', () => {
    const columns = packRows([rec(30), rec(31)], BANK_SCHEMA.features);
    columns.codes.month[1] = 99;
    expect(() => unpackRows(columns)).toThrow('packed rows: row 1 has no value for month');
  });

  it('does not share state with the input records', () => {
    const rows = [rec(30)];
    const back = unpackRows(packRows(rows, BANK_SCHEMA.features));
    (back[0] as Record<string, unknown>).age = 99;
    (back[0] as Record<string, unknown>).job = 'changed';
    expect(rows[0].age).toBe(30);
    expect(rows[0].job).toBe('blue-collar');
  });

  it('round-trips a categorical value containing U+0000', () => {
    const rows = [rec(20, { job: 'a\u0000b' }), rec(21, { job: 'admin.' })];
    expect(unpackRows(cloned(packRows(rows, BANK_SCHEMA.features)))).toEqual(rows);
  });
});

describe('transferList', () => {
  it('lists one ArrayBuffer per column, all distinct, numeric columns first, in their order', () => {
    const columns = packRows([rec(30), rec(31)], BANK_SCHEMA.features);
    const buffers = transferList(columns);
    expect(buffers).toHaveLength(BANK_SCHEMA.numericFeatures.length + BANK_SCHEMA.categoricalFeatures.length);
    // (toBeInstanceOf would compare against the test sandbox's ArrayBuffer, another realm)
    for (const buffer of buffers) expect(Object.prototype.toString.call(buffer)).toBe('[object ArrayBuffer]');
    expect(new Set(buffers).size).toBe(buffers.length);
    BANK_SCHEMA.numericFeatures.forEach((name, i) => expect(buffers[i]).toBe(columns.numeric[name].buffer));
    // two rows of float64 (numeric) or uint32 (codes) each
    for (const buffer of buffers.slice(0, BANK_SCHEMA.numericFeatures.length)) expect(buffer.byteLength).toBe(16);
    for (const buffer of buffers.slice(BANK_SCHEMA.numericFeatures.length)) expect(buffer.byteLength).toBe(8);
  });

  it('can be transferred: the data arrives and the sender\'s columns are detached', () => {
    const rows = [rec(30), rec(44, { campaign: 7 })];
    const columns = packRows(rows, BANK_SCHEMA.features);
    const received = structuredClone(columns, { transfer: transferList(columns) });
    expect(unpackRows(received)).toEqual(rows);
    expect(columns.numeric.age.length).toBe(0); // detached after transfer
    expect(columns.numeric.age.buffer.byteLength).toBe(0);
  });

  it('works for no rows', () => {
    const columns = packRows([], BANK_SCHEMA.features);
    const buffers = transferList(columns);
    expect(buffers).toHaveLength(BANK_SCHEMA.numericFeatures.length + BANK_SCHEMA.categoricalFeatures.length);
    expect(() => structuredClone(columns, { transfer: buffers })).not.toThrow();
  });
});
