import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * What is wrong with one line separated by `delimiter`, or null when it is well formed: every field is
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
 * Finds the first malformed line of a file. The parser reports syntax errors by row, not by
 * line, so on a parse failure the loader reads the file again, line by line, to say where.
 * (The Bank Marketing format has no quoted newlines, so a record is a line.)
 */
export async function locateCsvSyntaxError(file: string, delimiter = ';'): Promise<{ line: number; problem: string } | null> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      const problem = csvLineProblem(number === 1 ? raw.replace(/^\uFEFF/, '') : raw, delimiter);
      if (problem) return { line: number, problem };
    }
  } finally {
    lines.close();
  }
  return null;
}

/** Separators a CSV file commonly uses, to name the one a header was written with. */
const COMMON_SEPARATORS = [';', ',', '\t', '|'];

export function separatorName(separator: string): string {
  return separator === '\t' ? 'tab' : `'${separator}'`;
}

/**
 * The separator a header line was written with when it is not `expected`, or null: the common
 * separator under which the header holds the most of `names` (more than under `expected`), or, when
 * it holds none of them either way, the one that splits a header `expected` cannot split at all.
 */
export function guessHeaderSeparator(headerLine: string, expected: string, names: readonly string[]): string | null {
  const wanted = new Set(names);
  const cells = (separator: string) =>
    headerLine
      .replace(/^\uFEFF/, '')
      .split(separator)
      .map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
  const others = COMMON_SEPARATORS.filter((separator) => separator !== expected);
  const matches = (separator: string) => cells(separator).filter((cell) => wanted.has(cell)).length;
  const byNames = mostOf(others, matches, matches(expected));
  if (byNames !== null || cells(expected).length > 1) return byNames;
  return mostOf(others, (separator) => cells(separator).length, 1);
}

/** The candidate with the highest score above `floor`, or null. */
function mostOf(candidates: readonly string[], score: (candidate: string) => number, floor: number): string | null {
  let best: string | null = null;
  for (const candidate of candidates) {
    const value = score(candidate);
    if (value > floor) [best, floor] = [candidate, value];
  }
  return best;
}

/** The first line of a file (up to 1 MiB), without its line break. */
export async function readFirstLine(file: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8', end: (1 << 20) - 1 }), crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
  }
  return '';
}
