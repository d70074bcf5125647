import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CsvReadError, CsvSyntaxError, parseCsvRows } from './csv-parse';

/** createReadStream's chunk size: the reads split the file here. */
const READ_CHUNK = 64 * 1024;

describe('parseCsvRows', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'csv-parse-spec-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const rowsOf = async (file: string, separator = ';') => {
    const rows: string[][] = [];
    await parseCsvRows(file, separator, { onRow: (row) => rows.push(row) });
    return rows;
  };

  it('reads quoted fields, doubled quotes, a BOM before a quoted header and CRLF, LF or CR line breaks alike', async () => {
    const file = write('mixed.csv', '\uFEFF"a";"b"\r\n"x ""y""";2\n3;"z"\r4;5\r\n');
    expect(await rowsOf(file)).toEqual([['a', 'b'], ['x "y"', '2'], ['3', 'z'], ['4', '5']]);
  });

  it('leaves out blank rows but counts them in the row numbers', async () => {
    const numbered: Array<[string, number]> = [];
    await parseCsvRows(write('blank.csv', 'a;b\n\n1;2\r\n  \n3;4\n'), ';', { onRow: (row, n) => numbered.push([row[0], n]) });
    expect(numbered).toEqual([
      ['a', 1],
      ['1', 3],
      ['3', 5],
    ]);
  });

  it('keeps a character and a CRLF whole when a read splits them', async () => {
    // "é" (2 bytes) straddles the first read's end; the CRLF of a later line straddles the second's.
    const head = 'k;v\n';
    const first = `${'a'.repeat(READ_CHUNK - 1 - head.length - 3)};1\n`;
    const split = 'é;2\r\n';
    const before = Buffer.byteLength(head + first + split);
    const second = `${'b'.repeat(2 * READ_CHUNK - 1 - 2 - before)};3\r\n`;
    const bytes = Buffer.from(head + first + split + second + 'c;4\r\n');
    expect(bytes.indexOf(Buffer.from('é'))).toBe(READ_CHUNK - 1);
    expect(bytes[2 * READ_CHUNK - 1]).toBe(13);
    const rows = await rowsOf(write('split.csv', bytes));
    expect(rows[2]).toEqual(['é', '2']);
    expect(rows.slice(-2)).toEqual([
      ['b'.repeat(second.length - 4), '3'],
      ['c', '4'],
    ]);
    expect(rows.every((row) => row.every((cell) => !cell.includes('\r')))).toBe(true);
  });

  it('hands every byte to onBytes before parsing, and stops at a handler error', async () => {
    const file = write('three.csv', 'a;b\n1;2\n3;4\n');
    let bytes = 0;
    const seen: string[][] = [];
    const stop = new Error('stop here');
    await expect(
      parseCsvRows(file, ';', {
        onBytes: (chunk) => (bytes += chunk.length),
        onRow: (row) => {
          seen.push(row);
          if (row[0] === '1') throw stop;
        },
      }),
    ).rejects.toBe(stop);
    expect(bytes).toBe(12);
    expect(seen).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects an unclosed quote with CsvSyntaxError, and a missing file with CsvReadError', async () => {
    await expect(rowsOf(write('open-quote.csv', 'a;b\n"1;2\n3;4\n'))).rejects.toBeInstanceOf(CsvSyntaxError);
    await expect(rowsOf(path.join(dir, 'absent.csv'))).rejects.toBeInstanceOf(CsvReadError);
  });
});
