/** Terminal output helpers shared by the commands. */

/** A plain text table with aligned columns. */
export function formatTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function formatMetric(value: number | null | undefined, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Prints a command's failure as one line and marks the process as failed (exit code 1). */
/** `--schema FILE`: read before Nest starts (it sets DATA_SCHEMA, see cli.ts); declared for --help. */
export const SCHEMA_OPTION = {
  flags: '--schema <file>',
  description: 'Dataset schema JSON (default: DATA_SCHEMA, else data/bank-marketing.schema.json)',
};

export function failCommand(err: unknown): void {
  const message = describeError(err);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}

/** Parses a whole number option, or throws a clear message naming it. */
export function parseIntegerOption(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (got '${text}')`);
  }
  return value;
}

/** An error's message; for Nest's HTTP exceptions, the messages of their response body. */
export function describeError(err: unknown): string {
  const response = (err as { getResponse?: () => unknown }).getResponse?.();
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: unknown }).message;
    return Array.isArray(message) ? message.join('; ') : String(message);
  }
  return err instanceof Error ? err.message : String(err);
}
