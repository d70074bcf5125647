import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../common/atomic-file';
import { Clock } from '../common/clock';
import { ArtifactError } from './artifact-error';
import { readArtifactIfPresent } from './artifact-file';
import { withFileLock } from './registry-lock';
import { RegistryState, readRegistryState } from './registry-state';
import { RegistryRepository } from './repositories';

/** registry.json, changed only under registry.lock so the server and the CLI never lose a change. */
export class RegistryFile implements RegistryRepository {
  readonly file: string;
  private readonly lockFile: string;

  constructor(
    private readonly root: string,
    private readonly clock: Clock,
  ) {
    this.file = path.join(root, 'registry.json');
    this.lockFile = path.join(root, 'registry.lock');
  }

  /** registry.json, or null before the first version is activated. */
  read(): Promise<RegistryState | null> {
    return readArtifactIfPresent(this.file, readRegistryState);
  }

  /** Reads, changes and atomically rewrites registry.json under the registry lock. */
  async update(change: (state: RegistryState | null) => RegistryState): Promise<RegistryState> {
    await fsp.mkdir(this.root, { recursive: true });
    return withFileLock(this.lockFile, async () => {
      await this.removeLeftoverTemporaries();
      const next = change(await this.readOrSetAside());
      await writeJsonAtomic(this.file, next);
      return next;
    });
  }

  /** The file's modification time: it changes with every write, by this process or another. */
  async changeStamp(): Promise<number | null> {
    try {
      return (await fsp.stat(this.file)).mtimeMs;
    } catch {
      return null;
    }
  }

  /**
   * A process killed while writing registry.json leaves its temporary file behind (the rename
   * never came). Only the lock holder writes registry.json, so under the lock every such file
   * is a leftover: removed, so killed processes leave no debris past the next change.
   */
  private async removeLeftoverTemporaries(): Promise<void> {
    const prefix = `.${path.basename(this.file)}.`;
    const names = await fsp.readdir(this.root).catch(() => [] as string[]);
    for (const name of names) {
      if (name.startsWith(prefix) && name.endsWith('.tmp')) await fsp.rm(path.join(this.root, name), { force: true });
    }
  }

  /**
   * registry.json for a change: a corrupt one is kept beside as registry.json.corrupt-<time> (so
   * nothing is silently lost) and the change starts from scratch, as after a first training.
   */
  private async readOrSetAside(): Promise<RegistryState | null> {
    try {
      return await this.read();
    } catch (err) {
      if (!(err instanceof ArtifactError)) throw err;
      const aside = `${this.file}.corrupt-${this.clock.now().toISOString().replace(/[:.]/g, '-')}`;
      await fsp.rename(this.file, aside);
      return null;
    }
  }
}
