import { existsSync, readFileSync } from 'node:fs';

/** Parsed JSON lines of a log file; [] when the file does not exist yet. */
export function readJsonLines<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);
}
