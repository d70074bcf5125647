import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DatasetSchema, FeatureRecord } from '../dataset-schema';
import { readSchemaFile } from '../schema-file';

/** The shipped bank-marketing schema (data/bank-marketing.schema.json), for specs and tests. */
export const BANK_SCHEMA: DatasetSchema = readSchemaFile(path.join(__dirname, '..', '..', '..', 'data', 'bank-marketing.schema.json'));

/** The schema's example: the request the original project documents for Swagger's "Try it out". */
export const DOCUMENTED_EXAMPLE: FeatureRecord = Object.freeze({ ...BANK_SCHEMA.example! });

/** The first row of data/bank-additional.csv as a request (duration and y left out): what the tests send. */
export const EXAMPLE_CLIENT: FeatureRecord = Object.freeze(firstRowOf(path.join(__dirname, '..', '..', '..', 'data', 'bank-additional.csv')));

function firstRowOf(file: string): Record<string, number | string> {
  const [header, first] = readFileSync(file, 'utf8').split('\n');
  const cells = (line: string) => line.split(BANK_SCHEMA.separator).map((c) => c.trim().replace(/^"|"$/g, ''));
  const values = new Map(cells(header).map((name, i) => [name, cells(first)[i]]));
  return Object.fromEntries(
    BANK_SCHEMA.features.map((f) => [f.name, f.type === 'categorical' ? values.get(f.csvName)! : Number(values.get(f.csvName))]),
  );
}

/** A feature's request rule, as the fuzzing oracles restate it from the schema. */
export type FeatureRule = { kind: 'integer' | 'number'; min: number; max: number } | { kind: 'category'; maxLength: number };

/** The bank schema's rules per feature (every number in it is bounded). */
export const FEATURE_RULES: Readonly<Record<string, FeatureRule>> = Object.fromEntries(
  BANK_SCHEMA.features.map((f): [string, FeatureRule] => [
    f.name,
    f.type === 'categorical'
      ? { kind: 'category', maxLength: 64 }
      : { kind: f.type === 'integer' ? 'integer' : 'number', min: f.minimum!, max: f.maximum! },
  ]),
);
