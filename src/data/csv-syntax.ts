import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * What is wrong with one `;`-separated line, or null when it is well formed: every field is
 * either unquoted (no quote inside) or wholly quoted, with "" standing for a quote.
 */
export function csvLineProblem(line: string, delimiter = ';'): string | null {
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      i++;
      for (;;) {
        const close = line.indexOf('"', i);
        if (close === -1) return 'a quoted field is never closed';
        if (line[close + 1] === '"') {
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      if (i === line.length) return null;
      if (line[i] !== delimiter) return `expected '${delimiter}' after a quoted field, found '${line[i]}'`;
      i++;
    } else {
      const next = line.indexOf(delimiter, i);
      const field = next === -1 ? line.slice(i) : line.slice(i, next);
      if (field.includes('"')) return 'a quote inside an unquoted field';
      if (next === -1) return null;
      i = next + 1;
    }
  }
}

/**
 * Finds the first malformed line of a file. fast-csv reports syntax errors per chunk, without a
 * line number, so on a parse failure the loader reads the file again, line by line, to say where.
 * (The Bank Marketing format has no quoted newlines, so a record is a line.)
 */
export async function locateCsvSyntaxError(file: string): Promise<{ line: number; problem: string } | null> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      const problem = csvLineProblem(number === 1 ? raw.replace(/^\uFEFF/, '') : raw);
      if (problem) return { line: number, problem };
    }
  } finally {
    lines.close();
  }
  return null;
}
