import { InferenceRequest, identifierFor, inferSchema, sniffSeparator } from './infer-schema';
import { parseSchema } from './schema-file';

const HEADER = ['id', 'age', 'hours.per.week', 'ratio', 'city', 'signup', 'notes', 'income'];
const rows: string[][] = Array.from({ length: 150 }, (_, i) => [
  `c${i}`,
  String(20 + (i % 50)),
  String(10 + (i % 40)),
  (i / 7).toFixed(3),
  ['Lyon', 'Paris', 'Nice'][i % 3],
  `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`,
  i % 10 === 0 ? '' : 'x',
  i % 4 === 0 ? '>50K' : '<=50K',
]);
const REQUEST: InferenceRequest = { name: 'adult', separator: ',', target: 'income', positive: '>50K', drop: [] };

describe('inferSchema', () => {
  const { schema, notes } = inferSchema(HEADER, rows, REQUEST);
  const column = (name: string) => schema.columns.find((c) => c.name === name)!;

  it('types columns from their values, with ranges that have a margin', () => {
    expect(column('age')).toMatchObject({ role: 'feature', type: 'integer', minimum: 15, maximum: 74 });
    expect(column('ratio')).toMatchObject({ role: 'feature', type: 'numeric' });
    expect(column('ratio').minimum).toBeLessThan(0);
    expect(column('ratio').maximum).toBeGreaterThan(149 / 7);
    expect(column('city')).toEqual({ name: 'city', role: 'feature', type: 'categorical', categories: ['Lyon', 'Nice', 'Paris'] });
  });

  it('renames a header that is not an identifier and keeps it as csv_name', () => {
    expect(column('hours_per_week')).toMatchObject({ csv_name: 'hours.per.week', type: 'integer' });
  });

  it('finds the id, the time column, and drops a column with empty cells, saying why', () => {
    expect(column('id').role).toBe('id');
    expect(column('signup').role).toBe('time');
    expect(column('notes').role).toBe('dropped');
    expect(notes.notes).toMatch(/15 empty cell/);
  });

  it('writes the target with its two labels, the example from the first row, and reads back as a valid schema', () => {
    expect(column('income')).toMatchObject({ role: 'target', categories: ['<=50K', '>50K'] });
    expect(schema.example).toEqual({ age: 20, hours_per_week: 10, ratio: 0, city: 'Lyon' });
    expect(parseSchema(schema, 'draft').featureNames).toEqual(['age', 'hours_per_week', 'ratio', 'city']);
  });

  it.each<[string, Partial<InferenceRequest>, string]>([
    ['a missing target', { target: 'salary' }, "--target 'salary' is not a column"],
    ['a positive label the data lacks', { positive: 'rich' }, "--positive 'rich' is not a value of 'income'"],
    ['a target of more than two values', { target: 'city', positive: 'Lyon' }, "'city' has 3 distinct values: the target must have exactly two"],
    ['an unknown --drop', { drop: ['nope'] }, "--drop 'nope' is not a column"],
  ])('refuses %s', (_label, change, message) => {
    expect(() => inferSchema(HEADER, rows, { ...REQUEST, ...change })).toThrow(message);
  });

  it('names and separators', () => {
    expect(identifierFor('1st score', new Set())).toBe('_1st_score');
    expect(identifierFor('a b', new Set(['a_b']))).toBe('a_b_2');
    expect(sniffSeparator('"a";"b";"c,d"')).toBe(';');
    expect(sniffSeparator('a,b,c')).toBe(',');
    expect(sniffSeparator('a\tb')).toBe('\t');
  });
});
