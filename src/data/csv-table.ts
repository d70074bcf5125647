import { promises as fsp } from 'node:fs';
import { CsvReadError, parseCsvRows } from './csv-parse';
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
  try {
    await parseCsvRows(file, separator, {
      onRow: (row, line) => {
        if (header === null) {
          header = row.map((name) => name.trim());
          return;
        }
        if (row.length !== header.length) throw new DatasetError(file, line, `expected ${header.length} fields, found ${row.length}`);
        rows.push(row);
      },
    });
  } catch (err) {
    if (err instanceof DatasetError) throw err;
    if (err instanceof CsvReadError) throw new DatasetError(file, null, `read failed: ${err.message}`);
    throw new DatasetError(file, null, `cannot parse CSV: ${(err as Error).message}`);
  }
  if (header === null) throw new DatasetError(file, null, 'file has no header row');
  return { header, rows };
}
