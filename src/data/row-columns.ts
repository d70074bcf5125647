import { CATEGORICAL_FEATURES, FeatureRecord, NUMERIC_FEATURES } from '../../data/dataset-schema';

/**
 * Rows packed as columns for postMessage: numeric columns are transferable Float64Arrays (no
 * copy), each categorical column one JSON string (one cheap clone, and any character is safe in
 * it), so handing tens of thousands of rows to a worker costs the main thread a few
 * milliseconds, not a structured clone of every object.
 */
export interface RowColumns {
  length: number;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, string>;
}

export function packRows(records: readonly FeatureRecord[]): RowColumns {
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, string> = {};
  for (const name of NUMERIC_FEATURES) numeric[name] = Float64Array.from(records, (r) => r[name]);
  for (const name of CATEGORICAL_FEATURES) categorical[name] = JSON.stringify(records.map((r) => r[name]));
  return { length: records.length, numeric, categorical };
}

export function unpackRows(columns: RowColumns): FeatureRecord[] {
  const split: Record<string, string[]> = {};
  for (const name of CATEGORICAL_FEATURES) split[name] = JSON.parse(columns.categorical[name]) as string[];
  const records = new Array<FeatureRecord>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const record: Record<string, string | number> = {};
    for (const name of NUMERIC_FEATURES) record[name] = columns.numeric[name][i];
    for (const name of CATEGORICAL_FEATURES) record[name] = split[name][i];
    records[i] = record as FeatureRecord;
  }
  return records;
}

export function transferList(columns: RowColumns): ArrayBuffer[] {
  return Object.values(columns.numeric).map((column) => column.buffer as ArrayBuffer);
}
