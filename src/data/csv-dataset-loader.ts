import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { parse } from 'fast-csv';
import {
  DROPPED_COLUMNS,
  FEATURE_NAMES,
  FeatureRecord,
  NEGATIVE_LABEL,
  POSITIVE_LABEL,
  TARGET_COLUMN,
  isCategorical,
  normaliseColumnName,
} from './dataset-schema';
import { locateCsvSyntaxError } from './csv-syntax';
import { Dataset, DatasetError } from './dataset';

const REQUIRED_COLUMNS: readonly string[] = [...FEATURE_NAMES, TARGET_COLUMN];
const KNOWN_COLUMNS: ReadonlySet<string> = new Set([...REQUIRED_COLUMNS, ...DROPPED_COLUMNS]);
const BOM = '\uFEFF';
/** A Bank Marketing line is about 200 bytes; a far longer one is not this data (and fast-csv rescans
 * an unfinished row on every chunk, so a file without line breaks would take quadratic time). */
export const MAX_LINE_BYTES = 1 << 20;
const MAX_LISTED_COLUMNS = 5;

/** Where each wanted column sits in a row, resolved once from the header. */
interface ColumnPositions {
  width: number;
  /** [name, position, isNumeric] in FEATURE_NAMES order, so records list features in model order. */
  features: Array<[string, number, boolean]>;
  target: number;
}

function resolveHeader(file: string, rawHeader: string[]): ColumnPositions {
  const header = rawHeader.map((name, i) => normaliseColumnName(i === 0 ? name.replace(BOM, '') : name));
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DatasetError(file, 1, `column '${clip(name)}' appears twice in the header`);
    seen.add(name);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new DatasetError(
      file,
      1,
      `missing column(s) ${missing.join(', ')} (is the file ';'-separated with a header row?)`,
    );
  }
  const unknown = header.filter((c) => !KNOWN_COLUMNS.has(c));
  if (unknown.length > 0) {
    const listed = unknown.slice(0, MAX_LISTED_COLUMNS).map(clip).join(', ');
    const more = unknown.length > MAX_LISTED_COLUMNS ? ` and ${unknown.length - MAX_LISTED_COLUMNS} more` : '';
    throw new DatasetError(file, 1, `unexpected column(s) ${listed}${more}`);
  }
  const at = (name: string) => header.indexOf(name);
  return {
    width: header.length,
    features: FEATURE_NAMES.map((c) => [c, at(c), !isCategorical(c)]),
    target: at(TARGET_COLUMN),
  };
}

function toRecord(file: string, line: number, row: string[], cols: ColumnPositions): [FeatureRecord, number] {
  if (row.length !== cols.width) {
    throw new DatasetError(file, line, `expected ${cols.width} fields, found ${row.length}`);
  }
  const record = {} as Record<string, number | string>;
  for (const [name, i, isNumeric] of cols.features) {
    const text = row[i].trim();
    if (isNumeric) {
      const value = text === '' ? NaN : Number(text);
      if (!Number.isFinite(value)) {
        throw new DatasetError(file, line, `column '${name}' must be a number, found '${clip(row[i])}'`);
      }
      record[name] = value;
    } else {
      if (text === '') throw new DatasetError(file, line, `column '${name}' is empty`);
      record[name] = text;
    }
  }
  const target = row[cols.target].trim();
  if (target !== POSITIVE_LABEL && target !== NEGATIVE_LABEL) {
    throw new DatasetError(file, line, `target '${TARGET_COLUMN}' must be "yes" or "no", found '${clip(target)}'`);
  }
  return [record as FeatureRecord, target === POSITIVE_LABEL ? 1 : 0];
}

/** A value as it may appear in a one-line error: control characters escaped, at most 40 characters. */
function clip(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const visible = text.replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
  return visible.length > 40 ? `${visible.slice(0, 40)}...` : visible;
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

/**
 * Streams a ';'-separated Bank Marketing CSV into a validated Dataset. Tolerates CRLF, a UTF-8 BOM
 * and blank lines; rejects anything else that is off with the file, line and problem.
 */
export async function loadCsvDataset(file: string): Promise<Dataset> {
  await assertReadableFile(file);
  const hash = createHash('sha256');
  const records: FeatureRecord[] = [];
  const labels: number[] = [];
  let columns: ColumnPositions | null = null;
  let line = 0;

  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    const parser = parse<string[], string[]>({ delimiter: ';', quote: '"', headers: false });
    const fail = (err: unknown) => {
      input.destroy();
      parser.destroy();
      if (err instanceof DatasetError) return reject(err);
      // fast-csv's own errors carry no reliable line: find the malformed line ourselves.
      locateCsvSyntaxError(file).then(
        (found) =>
          reject(
            found
              ? new DatasetError(file, found.line, `malformed CSV: ${found.problem}`)
              : new DatasetError(file, null, `cannot parse CSV: ${(err as Error).message}`),
          ),
        () => reject(new DatasetError(file, null, `cannot parse CSV: ${(err as Error).message}`)),
      );
    };
    let physicalLine = 1;
    let lineBytes = 0;
    input.on('data', (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      hash.update(chunk);
      const tooLong = () =>
        fail(new DatasetError(file, physicalLine, `line is longer than ${MAX_LINE_BYTES} bytes: this is not a Bank Marketing CSV`));
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, nl + 1)) {
        if (lineBytes + (nl - start) > MAX_LINE_BYTES) return tooLong();
        physicalLine++;
        start = nl + 1;
        lineBytes = 0;
      }
      lineBytes += chunk.length - start;
      if (lineBytes > MAX_LINE_BYTES) tooLong();
    });
    input.on('error', (err) => fail(new DatasetError(file, null, `read failed: ${err.message}`)));
    parser.on('error', fail);
    parser.on('data', (row: string[]) => {
      line += 1;
      try {
        if (row.length === 0 || (row.length === 1 && row[0].trim() === '')) return; // blank line
        if (columns === null) {
          columns = resolveHeader(file, row);
          return;
        }
        const [record, label] = toRecord(file, line, row, columns);
        records.push(record);
        labels.push(label);
      } catch (err) {
        fail(err);
      }
    });
    parser.on('end', () => resolve());
    input.pipe(parser);
  });

  if (columns === null) throw new DatasetError(file, null, 'file has no header row');
  if (records.length === 0) throw new DatasetError(file, null, 'file has a header but no data rows');
  return { file, sha256: hash.digest('hex'), records, labels: Uint8Array.from(labels) };
}
