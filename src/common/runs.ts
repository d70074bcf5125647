/** Values that repeat over consecutive rows (a batch's timestamp, its version) as [value, count] runs. */
export class RunsBuilder {
  readonly runs: Array<[string, number]> = [];

  add(value: string): void {
    const last = this.runs[this.runs.length - 1];
    if (last !== undefined && last[0] === value) last[1]++;
    else this.runs.push([value, 1]);
  }
}

/** The values of runs, row by row; throws when they do not cover exactly `length` rows. */
export function expandRuns(runs: ReadonlyArray<[string, number]>, length: number, what: string): string[] {
  const out: string[] = [];
  for (const [value, count] of runs) for (let k = 0; k < count; k++) out.push(value);
  if (out.length !== length) throw new Error(`packed batch: ${what} cover ${out.length} rows, not ${length}`);
  return out;
}
