import { createReadStream, promises as fsp } from 'node:fs';
import { parse } from 'fast-csv';
import { DatasetError } from './dataset';
import { MAX_LINE_BYTES } from './csv-dataset-loader';

/** A CSV read as text cells: the header and every data row (blank lines skipped). */
export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** The first line of a file (its header), read without loading the file. */
export async function firstLine(file: string): Promise<string> {
  const handle = await fsp.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new DatasetError(file, null, err.code === 'ENOENT' ? 'file not found' : `cannot read file (${err.code})`);
  });
  try {
    const buffer = Buffer.alloc(Math.min(MAX_LINE_BYTES, 64 * 1024));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r?\n/)[0];
  } finally {
    await handle.close();
  }
}

/** Reads a whole CSV as text cells; a row with another width than the header is an error naming its line. */
export async function readCsvTable(file: string, separator: string): Promise<CsvTable> {
  const rows: string[][] = [];
  let header: string[] | null = null;
  let line = 0;
  await new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    const parser = parse<string[], string[]>({ delimiter: separator, quote: '"', headers: false });
    const fail = (err: Error) => {
      input.destroy();
      parser.destroy();
      reject(err instanceof DatasetError ? err : new DatasetError(file, null, `cannot parse CSV: ${err.message}`));
    };
    input.on('error', (err) => fail(new DatasetError(file, null, `read failed: ${err.message}`)));
    parser.on('error', fail);
    parser.on('data', (row: string[]) => {
      line++;
      if (row.length === 0 || (row.length === 1 && row[0].trim() === '')) return;
      if (header === null) {
        header = row.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        return;
      }
      if (row.length !== header.length) return fail(new DatasetError(file, line, `expected ${header.length} fields, found ${row.length}`));
      rows.push(row);
    });
    parser.on('end', () => resolve());
    input.pipe(parser);
  });
  if (header === null) throw new DatasetError(file, null, 'file has no header row');
  return { header, rows };
}
