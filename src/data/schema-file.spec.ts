import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SCHEMA_FILE, SchemaError, parseSchema, readSchemaFile } from './schema-file';
import { BANK_SCHEMA } from './testing/bank-schema';

const MINIMAL = {
  name: 'toy',
  positive_label: 'yes',
  columns: [
    { name: 'x', type: 'numeric', minimum: 0, maximum: 10 },
    { name: 'colour', type: 'categorical', categories: ['red', 'blue'] },
    { name: 'y', role: 'target', categories: ['no', 'yes'] },
  ],
};

type Doc = Record<string, unknown> & { columns: Array<Record<string, unknown>> };
const edited = (edit: (d: Doc) => void): Doc => {
  const doc = JSON.parse(JSON.stringify(MINIMAL)) as Doc;
  edit(doc);
  return doc;
};
const problemOf = (json: unknown): string => {
  try {
    parseSchema(json, 'toy.schema.json');
  } catch (err) {
    expect(err).toBeInstanceOf(SchemaError);
    return (err as Error).message;
  }
  throw new Error('the schema was accepted');
};

describe('the bank-marketing schema file', () => {
  it('has the 19 features in CSV order, renames, the target and the documented example', () => {
    expect(BANK_SCHEMA.featureNames).toHaveLength(19);
    expect(BANK_SCHEMA.feature('emp_var_rate')).toMatchObject({ csvName: 'emp.var.rate', type: 'numeric' });
    expect(BANK_SCHEMA.target).toEqual({ name: 'y', csvName: 'y', positive: 'yes', negative: 'no' });
    expect(BANK_SCHEMA.others).toEqual([expect.objectContaining({ name: 'duration', role: 'dropped' })]);
    expect(BANK_SCHEMA.example).toMatchObject({ age: 30, job: 'admin.', nr_employed: 5191 });
  });

  it('writes back as it reads, with the same hash', () => {
    const again = parseSchema(JSON.parse(JSON.stringify(BANK_SCHEMA.toJSON())), 'copy');
    expect(again.hash).toBe(BANK_SCHEMA.hash);
    expect(again.toJSON()).toEqual(BANK_SCHEMA.toJSON());
  });

  it("a description or the example does not change the hash; a range does", () => {
    const json = BANK_SCHEMA.toJSON();
    expect(parseSchema({ ...json, description: 'other words', example: undefined }, 'x').hash).toBe(BANK_SCHEMA.hash);
    const columns = json.columns.map((c) => (c.name === 'age' ? { ...c, maximum: 99 } : c));
    expect(parseSchema({ ...json, columns }, 'x').hash).not.toBe(BANK_SCHEMA.hash);
  });
});

describe('a schema file is validated, one line naming the file and the problem', () => {
  it('accepts a minimal schema, defaulting the separator to a comma and the role to feature', () => {
    const schema = parseSchema(MINIMAL, 'toy.schema.json');
    expect(schema.separator).toBe(',');
    expect(schema.featureNames).toEqual(['x', 'colour']);
    expect(schema.numericFeatures).toEqual(['x']);
  });

  it.each<[string, (d: Doc) => void, string]>([
    ['an unknown type', (d) => (d.columns[0].type = 'float'), 'columns[0].type must be one of numeric, integer, categorical, got "float"'],
    ['an unknown role', (d) => (d.columns[0].role = 'label'), 'columns[0].role must be one of feature, target, dropped, id, time, got "label"'],
    ['no target', (d) => d.columns.pop(), 'no column has role "target"'],
    ['two targets', (d) => d.columns.push({ name: 'z', role: 'target', categories: ['a', 'yes'] }), 'more than one column has role "target"'],
    ['a target of three labels', (d) => (d.columns[2].categories = ['no', 'yes', 'maybe']), "columns[2]: the target 'y' must list its two labels in categories"],
    ['a positive label the target lacks', (d) => (d.positive_label = 'si'), "positive_label 'si' is not one of the target's categories (no, yes)"],
    ['an empty category list', (d) => (d.columns[1].categories = []), 'columns[1].categories is empty: list the values, or leave categories out to learn them at training'],
    ['a category twice', (d) => (d.columns[1].categories = ['red', 'red']), "columns[1].categories lists 'red' twice"],
    ['min > max', (d) => (d.columns[0].minimum = 11), 'columns[0]: minimum 11 is greater than maximum 10'],
    ['a duplicate column', (d) => (d.columns[1].name = 'x'), "column 'x' appears twice"],
    ['a duplicate CSV name', (d) => (d.columns[1].csv_name = 'x'), "CSV column 'x' appears twice"],
    ['a name that is not an identifier', (d) => (d.columns[0].name = 'emp.var.rate'), "columns[0].name 'emp.var.rate' is not an identifier"],
    ['categories on a number', (d) => (d.columns[0].categories = ['1']), 'columns[0]: a numeric column has no categories'],
    ['an unknown key', (d) => (d.colums = []), "unknown key 'colums'"],
    ['an unknown column key', (d) => (d.columns[0].min = 1), "columns[0]: unknown key 'min'"],
    ['no feature', (d) => (d.columns = [d.columns[2]]), 'no column has role "feature"'],
    ['a two-character separator', (d) => (d.separator = ';;'), 'separator must be one character'],
    ['an example breaking a rule', (d) => (d.example = { x: 11, colour: 'red' }), 'example: x must not be greater than 10'],
  ])('%s', (_label, edit, problem) => {
    expect(problemOf(edited(edit))).toContain(`toy.schema.json: ${problem}`);
  });

  it('a file that is not JSON, or missing', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'schema-spec-'));
    const file = path.join(dir, 'bad.json');
    await fsp.writeFile(file, '{"name": "x",');
    expect(() => readSchemaFile(file)).toThrow(new RegExp(`^${file}: not JSON \\(`));
    expect(() => readSchemaFile(path.join(dir, 'none.json'))).toThrow(`${path.join(dir, 'none.json')}: schema file not found`);
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(() => readSchemaFile(DEFAULT_SCHEMA_FILE)).toThrow(
        `${DEFAULT_SCHEMA_FILE}: schema file not found in ${process.cwd()} (run from the project folder, or set DATA_SCHEMA / --schema)`,
      );
    } finally {
      process.chdir(cwd);
    }
    await fsp.rm(dir, { recursive: true });
  });
});
