import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../common/atomic-file';
import { ShapeError } from '../common/json-shape';
import { MonitoringSnapshot, SNAPSHOT_FILE_VERSION, readSnapshotFile } from './monitoring-snapshot';

export interface LoadedSeries {
  snapshots: MonitoringSnapshot[];
  /** What was wrong with the file, when something was (it is then kept aside and the series starts over). */
  problem: string | null;
}

/**
 * storage/monitoring/snapshots.json: the series, rewritten whole and atomically (temp file, fsync,
 * rename) after each snapshot, so a crash leaves the previous series or the new one.
 */
export class SnapshotFile {
  constructor(readonly file: string) {}

  static under(storageDir: string): SnapshotFile {
    return new SnapshotFile(path.join(storageDir, 'monitoring', 'snapshots.json'));
  }

  /**
   * The saved series: none when there is no file yet. A file that is not a series is renamed to
   * `snapshots.json.corrupt-<time>` (kept for a person to look at) and the series starts empty;
   * single snapshots that cannot be read are dropped.
   */
  async load(now: Date): Promise<LoadedSeries> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { snapshots: [], problem: null };
      throw err;
    }
    try {
      const { snapshots, dropped } = readSnapshotFile(JSON.parse(text));
      return { snapshots, problem: dropped > 0 ? `${dropped} snapshot(s) in ${this.file} could not be read and were dropped` : null };
    } catch (err) {
      if (!(err instanceof ShapeError || err instanceof SyntaxError)) throw err;
      const aside = `${this.file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
      await fsp.rename(this.file, aside);
      return { snapshots: [], problem: `${this.file} is not a snapshot series (${err.message}): kept as ${aside}, starting over` };
    }
  }

  /** One snapshot per line: small, and still readable by a person. */
  save(snapshots: readonly MonitoringSnapshot[]): Promise<void> {
    const lines = snapshots.map((s) => JSON.stringify(s)).join(',\n');
    return writeFileAtomic(this.file, `{"version":${SNAPSHOT_FILE_VERSION},"snapshots":[\n${lines}\n]}\n`);
  }
}
