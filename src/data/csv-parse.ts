import { createReadStream } from 'node:fs';
import { Transform, TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';

/**
 * A CSV file parsed by papaparse, streamed. Chosen over fast-csv, which the project used before, for
 * speed: on the 41,188-row bank file papaparse parses in 70-100 ms where fast-csv took 560-850 ms
 * (the same process, one after the other), which was a third of `train`.
 */

/** The parser found the text malformed (an unclosed or stray quote); its message counts rows, not lines. */
export class CsvSyntaxError extends Error {
  readonly name = 'CsvSyntaxError';
}

/** The file could not be read. */
export class CsvReadError extends Error {
  readonly name = 'CsvReadError';
}

export interface CsvRowHandlers {
  /** Each chunk of the file's own bytes, before it is parsed (to hash it, to measure lines); throw to stop. */
  onBytes?: (chunk: Buffer) => void;
  /**
   * Every row that is not blank, in file order, with its number among all rows (blank ones
   * counted, from 1: the header's); throw to stop.
   */
  onRow: (row: string[], rowNumber: number) => void;
}

/**
 * A file's bytes as UTF-8 text with every line break a LF: the parser takes one kind of line break,
 * and files come with CRLF, LF or (rarely) CR. A character or a CRLF split between two reads stays
 * whole.
 */
class Utf8LfText extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private pendingCr = false;

  constructor() {
    super();
    this.setEncoding('utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    done(null, this.lf(this.decoder.write(chunk)));
  }

  override _flush(done: TransformCallback): void {
    const rest = this.lf(this.decoder.end());
    done(null, this.pendingCr ? `${rest}\n` : rest);
  }

  private lf(decoded: string): string {
    let text = this.pendingCr ? `\r${decoded}` : decoded;
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    return text.replace(/\r\n?/g, '\n');
  }
}

const BOM = '\uFEFF';

function isBlank(row: readonly string[]): boolean {
  return row.length === 0 || (row.length === 1 && row[0].trim() === '');
}

/**
 * Streams `file` through the handlers. Resolves when every row was handled; rejects with the first
 * problem: a handler's own error, CsvSyntaxError or CsvReadError. Nothing is handled after it.
 */
export function parseCsvRows(file: string, separator: string, handlers: CsvRowHandlers): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const input = createReadStream(file);
    let parser: Papa.Parser | null = null;
    let failed = false;
    let rowNumber = 0;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      parser?.abort();
      input.destroy();
      reject(err);
    };
    input.on('error', (err) => fail(new CsvReadError(err.message)));
    if (handlers.onBytes) {
      const onBytes = handlers.onBytes;
      input.on('data', (chunk: string | Buffer) => {
        try {
          onBytes(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        } catch (err) {
          fail(err);
        }
      });
    }
    Papa.parse<string[]>(input.pipe(new Utf8LfText()), {
      delimiter: separator,
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
      header: false,
      dynamicTyping: false,
      skipEmptyLines: false,
      // A byte order mark before a quoted first column would make its quote a literal character.
      beforeFirstChunk: (chunk) => (chunk.startsWith(BOM) ? chunk.slice(1) : chunk),
      // Rows a chunk at a time (thousands per call): a callback per row costs more than the parse.
      chunk: (results, chunkParser) => {
        parser = chunkParser;
        if (failed) return;
        if (results.errors.length > 0) return fail(new CsvSyntaxError(results.errors[0].message));
        try {
          for (const row of results.data) {
            rowNumber++;
            if (!isBlank(row)) handlers.onRow(row, rowNumber);
          }
        } catch (err) {
          fail(err);
        }
      },
      complete: () => {
        if (!failed) resolve();
      },
      error: (err: Error) => fail(new CsvReadError(err.message)),
    });
  });
}
