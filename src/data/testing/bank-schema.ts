import * as path from 'node:path';
import { DatasetSchema, FeatureRecord } from '../dataset-schema';
import { readSchemaFile } from '../schema-file';

/** The shipped bank-marketing schema (data/bank-marketing.schema.json), for specs and tests. */
export const BANK_SCHEMA: DatasetSchema = readSchemaFile(path.join(__dirname, '..', '..', '..', 'data', 'bank-marketing.schema.json'));

/** The schema's example: the request the original project documents for Swagger's "Try it out". */
export const EXAMPLE_CLIENT: FeatureRecord = Object.freeze({ ...BANK_SCHEMA.example! });
