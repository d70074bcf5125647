import { readFileSync } from 'node:fs';
import {
  COLUMN_ROLES,
  COLUMN_TYPES,
  ColumnRole,
  ColumnType,
  DatasetSchema,
  FeatureColumn,
  OtherColumn,
  RowMonths,
  TargetColumn,
} from './dataset-schema';
import { MAX_CATEGORY_LENGTH, exampleProblem } from './feature-row-rules';

/** The bank-marketing schema, the default (relative to the working directory, as DATA_FILE). */
export const DEFAULT_SCHEMA_FILE = 'data/bank-marketing.schema.json';

/** The Nest token of the serving DatasetSchema (provided by ConfigModule). */
export const DATASET_SCHEMA = Symbol('DATASET_SCHEMA');

/** A schema file that cannot be used: names the file and the problem, in one line. */
export class SchemaError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'SchemaError';
  }
}

/** A name that works as a JSON key, a class property, a Prometheus label value and a log field without quoting. */
export const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const MAX_SCHEMA_BYTES = 1 << 20;
const MAX_COLUMNS = 1000;
const MAX_CATEGORIES = 1000;
const TOP_LEVEL_KEYS = new Set(['name', 'description', 'separator', 'positive_label', 'columns', 'example', 'row_months']);
const COLUMN_KEYS = new Set(['name', 'csv_name', 'role', 'type', 'minimum', 'maximum', 'categories', 'description']);

/** Reads and validates a schema file; throws SchemaError naming the file and the first problem. */
export function readSchemaFile(file: string): DatasetSchema {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new SchemaError(file, `cannot read the schema file (${code})`);
    // The default is relative to the working directory, as DATA_FILE is: say so to someone elsewhere.
    throw new SchemaError(file, file === DEFAULT_SCHEMA_FILE ? `schema file not found in ${process.cwd()} (run from the project folder, or set DATA_SCHEMA / --schema)` : 'schema file not found');
  }
  if (text.length > MAX_SCHEMA_BYTES) throw new SchemaError(file, `a schema file is at most ${MAX_SCHEMA_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SchemaError(file, `not JSON (${(err as Error).message})`);
  }
  return parseSchema(json, file);
}

/** Validates a schema document (already parsed JSON); throws SchemaError. */
export function parseSchema(json: unknown, file: string): DatasetSchema {
  const fail = (problem: string): never => {
    throw new SchemaError(file, problem);
  };
  const doc = object(json, 'the schema', fail);
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.has(key)) fail(`unknown key '${clip(key)}' (keys: ${[...TOP_LEVEL_KEYS].join(', ')})`);
  }
  const name = text(doc.name, 'name', fail);
  const description = doc.description === undefined ? undefined : text(doc.description, 'description', fail);
  const separator = doc.separator === undefined ? ',' : text(doc.separator, 'separator', fail);
  if (separator.length !== 1 || separator === '"' || separator === '\n' || separator === '\r') {
    fail(`separator must be one character other than a quote or a line break, got ${JSON.stringify(separator)}`);
  }
  const positive = text(doc.positive_label, 'positive_label', fail);
  if (!Array.isArray(doc.columns) || doc.columns.length === 0) fail('columns must be a non-empty array');
  const rawColumns = doc.columns as unknown[];
  if (rawColumns.length > MAX_COLUMNS) fail(`at most ${MAX_COLUMNS} columns`);

  const features: FeatureColumn[] = [];
  const others: OtherColumn[] = [];
  const targets: TargetColumn[] = [];
  const names = new Set<string>();
  const csvNames = new Set<string>();
  const columnOrder: string[] = [];
  rawColumns.forEach((raw, i) => {
    const at = `columns[${i}]`;
    const column = object(raw, at, fail);
    for (const key of Object.keys(column)) {
      if (!COLUMN_KEYS.has(key)) fail(`${at}: unknown key '${clip(key)}' (keys: ${[...COLUMN_KEYS].join(', ')})`);
    }
    const columnName = text(column.name, `${at}.name`, fail);
    if (!IDENTIFIER.test(columnName)) {
      fail(`${at}.name '${clip(columnName)}' is not an identifier (letters, digits and _, not first a digit, at most 64): rename it with csv_name`);
    }
    const csvName = column.csv_name === undefined ? columnName : text(column.csv_name, `${at}.csv_name`, fail);
    if (names.has(columnName)) fail(`column '${columnName}' appears twice`);
    if (csvNames.has(csvName)) fail(`CSV column '${clip(csvName)}' appears twice`);
    names.add(columnName);
    csvNames.add(csvName);
    columnOrder.push(columnName);
    const role = oneOf<ColumnRole>(column.role ?? 'feature', COLUMN_ROLES, `${at}.role`, fail);
    const describedAs = column.description === undefined ? undefined : text(column.description, `${at}.description`, fail);
    const categories = column.categories === undefined ? undefined : categoryList(column.categories, `${at}.categories`, fail);
    if (role === 'target') {
      if (column.type !== undefined && column.type !== 'categorical') fail(`${at}: the target's type must be categorical`);
      if (!categories || categories.length !== 2) fail(`${at}: the target '${columnName}' must list its two labels in categories`);
      if (!categories!.includes(positive)) {
        fail(`positive_label '${clip(positive)}' is not one of the target's categories (${categories!.join(', ')})`);
      }
      targets.push({ name: columnName, csvName, positive, negative: categories!.find((c) => c !== positive)! });
      return;
    }
    if (role !== 'feature') {
      for (const key of ['type', 'minimum', 'maximum', 'categories']) {
        if (column[key] !== undefined) fail(`${at}: a ${role} column has no ${key}`);
      }
      others.push({ name: columnName, csvName, role, description: describedAs });
      return;
    }
    const type = oneOf<ColumnType>(column.type, COLUMN_TYPES, `${at}.type`, fail);
    const minimum = column.minimum === undefined ? undefined : finite(column.minimum, `${at}.minimum`, fail);
    const maximum = column.maximum === undefined ? undefined : finite(column.maximum, `${at}.maximum`, fail);
    if (type === 'categorical') {
      if (minimum !== undefined || maximum !== undefined) fail(`${at}: a categorical column has no minimum or maximum`);
    } else if (categories) {
      fail(`${at}: a ${type} column has no categories`);
    }
    if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
      fail(`${at}: minimum ${minimum} is greater than maximum ${maximum}`);
    }
    features.push({ name: columnName, csvName, type, minimum, maximum, categories, description: describedAs });
  });
  if (targets.length !== 1) fail(targets.length === 0 ? 'no column has role "target"' : 'more than one column has role "target"');
  if (features.length === 0) fail('no column has role "feature"');
  for (const role of ['id', 'time'] as const) {
    if (others.filter((c) => c.role === role).length > 1) fail(`more than one column has role "${role}"`);
  }
  const rowMonths = doc.row_months === undefined ? undefined : readRowMonths(doc.row_months, features, fail);
  const schema = new DatasetSchema({
    name,
    description,
    separator,
    features,
    others,
    target: targets[0],
    columnOrder,
    rowMonths,
  });
  if (doc.example === undefined) return schema;
  const example = object(doc.example, 'example', fail) as Record<string, number | string>;
  const problem = exampleProblem(schema, example);
  if (problem) fail(`example: ${problem}`);
  return new DatasetSchema({ name, description, separator, features, others, target: targets[0], columnOrder, rowMonths, example });
}

function readRowMonths(value: unknown, features: FeatureColumn[], fail: (p: string) => never): RowMonths {
  const doc = object(value, 'row_months', fail);
  const column = text(doc.column, 'row_months.column', fail);
  if (!features.some((f) => f.name === column && f.type === 'categorical')) {
    fail(`row_months.column '${clip(column)}' is not a categorical feature`);
  }
  const firstYear = doc.first_year;
  if (typeof firstYear !== 'number' || !Number.isInteger(firstYear) || firstYear < 1 || firstYear > 9999) {
    fail('row_months.first_year must be a year (an integer from 1 to 9999)');
  }
  return { column, firstYear: firstYear as number };
}

function object(value: unknown, at: string, fail: (p: string) => never): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${at} must be a JSON object`);
  return value as Record<string, unknown>;
}

function text(value: unknown, at: string, fail: (p: string) => never): string {
  if (typeof value !== 'string' || value.length === 0) fail(`${at} must be a non-empty string`);
  return value as string;
}

function finite(value: unknown, at: string, fail: (p: string) => never): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${at} must be a number`);
  return value as number;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], at: string, fail: (p: string) => never): T {
  if (!allowed.includes(value as T)) fail(`${at} must be one of ${allowed.join(', ')}, got ${clip(JSON.stringify(value) ?? 'nothing')}`);
  return value as T;
}

function categoryList(value: unknown, at: string, fail: (p: string) => never): string[] {
  if (!Array.isArray(value)) fail(`${at} must be an array of strings`);
  const list = value as unknown[];
  if (list.length === 0) fail(`${at} is empty: list the values, or leave categories out to learn them at training`);
  if (list.length > MAX_CATEGORIES) fail(`${at}: at most ${MAX_CATEGORIES} categories`);
  const seen = new Set<string>();
  for (const [i, category] of list.entries()) {
    if (typeof category !== 'string' || category.length === 0) fail(`${at}[${i}] must be a non-empty string`);
    const name = category as string;
    if (name.length > MAX_CATEGORY_LENGTH) fail(`${at}[${i}] is longer than ${MAX_CATEGORY_LENGTH} characters`);
    if (seen.has(name)) fail(`${at} lists '${clip(name)}' twice`);
    seen.add(name);
  }
  return list as string[];
}

/** A value as it may appear in a one-line error: control characters escaped, at most 40 characters. */
export function clip(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const visible = text.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return visible.length > 40 ? `${visible.slice(0, 40)}...` : visible;
}
