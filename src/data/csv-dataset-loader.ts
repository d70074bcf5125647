import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { DatasetSchema, FeatureColumn, FeatureRecord } from './dataset-schema';
import { CsvReadError, parseCsvRows } from './csv-parse';
import { guessHeaderSeparator, locateCsvSyntaxError, readFirstLine, separatorName } from './csv-syntax';
import { Dataset, DatasetError } from './dataset';
import { clip } from './schema-file';

/** A data line is a few hundred bytes; a far longer one is not tabular data (and a parser that
 * rescans an unfinished row on every chunk would take quadratic time on a file without line breaks). */
export const MAX_LINE_BYTES = 1 << 20;
const MAX_LISTED_COLUMNS = 5;

/** Where each column the schema reads sits in a row, resolved once from the header. */
interface ColumnPositions {
  width: number;
  /** [feature, position, its values seen so far] in schema order, so records list features in model order. */
  features: Array<[FeatureColumn, number, Map<string, string>]>;
  target: number;
  time: number | null;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED_COLUMNS).map(clip).join(', ');
  return names.length > MAX_LISTED_COLUMNS ? `${shown} and ${names.length - MAX_LISTED_COLUMNS} more` : shown;
}

function resolveHeader(file: string, rawHeader: string[], schema: DatasetSchema): ColumnPositions {
  const header = rawHeader.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DatasetError(file, 1, `column '${clip(name)}' appears twice in the header`);
    seen.add(name);
  }
  // Dropped, id and time columns may be absent: the model never reads them.
  const wanted = [...schema.features, schema.target, ...schema.others].map((c) => c.csvName);
  const required = [...schema.features, schema.target].map((c) => c.csvName);
  const missing = required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new DatasetError(file, 1, `missing column(s) ${listed(missing)} (is the file ${separatorName(schema.separator)}-separated with a header row?)`);
  }
  const known = new Set(wanted);
  const unknown = header.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new DatasetError(file, 1, `unexpected column(s) ${listed(unknown)} (not in schema ${schema.name}: add them with role "dropped" to ignore them)`);
  }
  const at = (csvName: string) => header.indexOf(csvName);
  const time = schema.others.find((c) => c.role === 'time');
  return {
    width: header.length,
    features: schema.features.map((f) => [f, at(f.csvName), new Map()]),
    target: at(schema.target.csvName),
    time: time && seen.has(time.csvName) ? at(time.csvName) : null,
  };
}

/**
 * A CSV cell as a feature value, or the problem with it (worded for a file, not a request). A
 * category is returned as the one string `seen` holds for it, so tens of thousands of records share
 * a handful of strings and each cell's own copy dies young (a quarter less collection work).
 */
function cellValue(column: FeatureColumn, text: string, seen: Map<string, string>): number | string | { problem: string } {
  if (column.type === 'categorical') {
    const known = seen.get(text);
    if (known !== undefined) return known;
    if (text === '') return { problem: `column '${column.name}' is empty` };
    if (column.categories && !column.categories.includes(text)) {
      return { problem: `column '${column.name}': '${clip(text)}' is not one of ${column.categories.join(', ')}` };
    }
    seen.set(text, text);
    return text;
  }
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) return { problem: `column '${column.name}' must be a number, found '${clip(text)}'` };
  if (column.type === 'integer' && !Number.isInteger(value)) {
    return { problem: `column '${column.name}' must be an integer, found '${clip(text)}'` };
  }
  if (column.minimum !== undefined && value < column.minimum) {
    return { problem: `column '${column.name}': ${value} is below the schema's minimum ${column.minimum}` };
  }
  if (column.maximum !== undefined && value > column.maximum) {
    return { problem: `column '${column.name}': ${value} is above the schema's maximum ${column.maximum}` };
  }
  return value;
}

function toRecord(file: string, line: number, row: string[], cols: ColumnPositions, schema: DatasetSchema): [FeatureRecord, 0 | 1] {
  if (row.length !== cols.width) {
    throw new DatasetError(file, line, `expected ${cols.width} fields, found ${row.length}`);
  }
  const record: Record<string, number | string> = {};
  for (const [column, i, seen] of cols.features) {
    const value = cellValue(column, row[i].trim(), seen);
    if (typeof value === 'object') throw new DatasetError(file, line, value.problem);
    record[column.name] = value;
  }
  const target = row[cols.target].trim();
  const outcome = schema.outcomeOf(target);
  if (outcome === null) {
    const { name, negative, positive } = schema.target;
    throw new DatasetError(file, line, `target '${name}' must be "${clip(positive)}" or "${clip(negative)}", found '${clip(target)}'`);
  }
  return [record, outcome];
}

async function assertReadableFile(file: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(file, null, code === 'ENOENT' ? 'file not found' : `cannot read file (${code})`);
  }
  if (!stat.isFile()) throw new DatasetError(file, null, 'not a regular file');
  if (stat.size === 0) throw new DatasetError(file, null, 'file is empty');
}

/** A DatasetError when the file's header is separated by another common separator than the schema's. */
async function wrongSeparator(file: string, schema: DatasetSchema): Promise<DatasetError | null> {
  const names = [...schema.features, schema.target].map((c) => c.csvName);
  const guessed = guessHeaderSeparator(await readFirstLine(file), schema.separator, names);
  if (guessed === null) return null;
  return new DatasetError(
    file,
    1,
    `the header is ${separatorName(guessed)}-separated, but schema ${clip(schema.name)} says ${separatorName(schema.separator)} (its "separator")`,
  );
}

/**
 * What a failed parse tells the user, as one DatasetError: a header written with another separator
 * breaks the parse or hides its columns, so that is said first; a syntax error is located by line
 * (the parser counts rows); a read failure is named.
 */
async function explainFailure(file: string, schema: DatasetSchema, err: unknown): Promise<DatasetError> {
  if (err instanceof DatasetError && err.line !== 1) return err;
  if (err instanceof CsvReadError) return new DatasetError(file, null, `read failed: ${err.message}`);
  const wrong = await wrongSeparator(file, schema).catch(() => null);
  if (wrong) return wrong;
  if (err instanceof DatasetError) return err;
  const message = (err as Error).message;
  const found = await locateCsvSyntaxError(file, schema.separator).catch(() => null);
  return found ? new DatasetError(file, found.line, `malformed CSV: ${found.problem}`) : new DatasetError(file, null, `cannot parse CSV: ${message}`);
}

/**
 * Streams a CSV laid out as the schema says into a validated Dataset. Tolerates CRLF, a UTF-8 BOM
 * and blank lines; rejects anything else that is off with the file, line and problem.
 */
export async function loadCsvDataset(file: string, schema: DatasetSchema): Promise<Dataset> {
  await assertReadableFile(file);
  const hash = createHash('sha256');
  const records: FeatureRecord[] = [];
  const labels: number[] = [];
  const times: string[] = [];
  let columns: ColumnPositions | null = null;
  let physicalLine = 1;
  let lineBytes = 0;
  const tooLong = () => new DatasetError(file, physicalLine, `line is longer than ${MAX_LINE_BYTES} bytes: this is not a ${schema.name} CSV`);
  try {
    await parseCsvRows(file, schema.separator, {
      onBytes: (chunk) => {
        hash.update(chunk);
        let start = 0;
        for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
          if (lineBytes + (nl - start) > MAX_LINE_BYTES) throw tooLong();
          physicalLine++;
          start = nl + 1;
          lineBytes = 0;
        }
        lineBytes += chunk.length - start;
        if (lineBytes > MAX_LINE_BYTES) throw tooLong();
      },
      onRow: (row, line) => {
        if (columns === null) {
          columns = resolveHeader(file, row, schema);
          return;
        }
        const [record, label] = toRecord(file, line, row, columns, schema);
        records.push(record);
        labels.push(label);
        if (columns.time !== null) times.push(row[columns.time].trim());
      },
    });
  } catch (err) {
    throw await explainFailure(file, schema, err);
  }

  if (columns === null) throw new DatasetError(file, null, 'file has no header row');
  if (records.length === 0) throw new DatasetError(file, null, 'file has a header but no data rows');
  return {
    file,
    sha256: hash.digest('hex'),
    records,
    labels: Uint8Array.from(labels),
    ...(times.length > 0 ? { times } : {}),
  };
}
