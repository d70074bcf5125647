import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ArtifactError } from './artifact-error';
import { LoadedModel, compareVersions } from './model-version';
import { RegistryRepository, VersionRepository } from './repositories';

/** How often a server checks the registry for changes made by another process (the CLI). */
const FOLLOW_INTERVAL_MS = 1000;

/** What `load` found: a model to serve, nothing ever trained, or only versions that cannot load. */
export type LoadResult = 'loaded' | 'empty' | 'unavailable';

/**
 * The model that serves now. Readers call `current()` on every request, so a swap needs no
 * restart and no lock on the hot path. It changes in two ways only: the lifecycle hands it a
 * version it just activated (`serve`), or it follows a change another process made.
 */
export class ActiveModel implements OnApplicationShutdown {
  private readonly logger = new Logger(ActiveModel.name);
  private active: LoadedModel | null = null;
  private unavailableReason = 'no model loaded yet';
  private followTimer: NodeJS.Timeout | null = null;
  private lastStamp: number | null = null;

  constructor(
    private readonly versions: VersionRepository,
    private readonly registry: RegistryRepository,
  ) {}

  /** The model serving now, or null (see `whyUnavailable`). */
  current(): LoadedModel | null {
    return this.active;
  }

  whyUnavailable(): string {
    return this.unavailableReason;
  }

  /** Serves a version the lifecycle has just made active. */
  serve(loaded: LoadedModel): void {
    this.active = loaded;
    this.unavailableReason = '';
  }

  /**
   * Loads the recorded active version; if it is unusable, falls back to the newest good one rather
   * than serving a half-loaded model or nothing. Trains nothing: that is start-up's decision.
   */
  async load(): Promise<LoadResult> {
    const registry = await this.registry.read().catch((err: Error) => {
      this.logger.error(`cannot read the registry: ${err.message}`);
      return undefined;
    });
    const versions = await this.versions.listVersions();
    if (registry === null && versions.length === 0) {
      this.unavailableReason = 'no model has been trained yet: run `node dist/cli train`';
      return 'empty';
    }
    const candidates = [registry?.active, registry?.previous, ...[...versions].sort(compareVersions).reverse()]
      .filter((v): v is string => typeof v === 'string' && !registry?.rejected.includes(v))
      .filter((v, i, all) => all.indexOf(v) === i);
    const problems: string[] = [];
    for (const version of candidates) {
      try {
        this.serve(await this.versions.loadVersion(version));
        if (problems.length > 0) {
          this.logger.warn(`serving ${version} instead of ${candidates[0]}, which cannot be loaded: ${problems[0]}`);
        } else {
          this.logger.log(`serving model ${version}`);
        }
        return 'loaded';
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        problems.push(err.message);
        this.logger.error(`model ${version} cannot be loaded: ${err.message}`);
      }
    }
    this.unavailableReason = `no stored model can be loaded: ${problems.join('; ') || 'registry.json is unreadable'}`;
    return 'unavailable';
  }

  /**
   * Follows the registry: when another process (the CLI) activates a version, this server serves
   * it within about a second, without a restart.
   */
  follow(): void {
    if (this.followTimer) return;
    this.followTimer = setInterval(() => void this.checkForChange(), FOLLOW_INTERVAL_MS);
    this.followTimer.unref();
    void this.registry.changeStamp().then((stamp) => (this.lastStamp = stamp));
  }

  /**
   * Checks the registry now rather than at the next tick (a shared store's notification of a
   * promotion or rollback made by another replica).
   */
  recheck(): Promise<void> {
    return this.checkForChange();
  }

  private async checkForChange(): Promise<void> {
    try {
      const stamp = await this.registry.changeStamp();
      if (stamp === null || stamp === this.lastStamp) return;
      this.lastStamp = stamp;
      const state = await this.registry.read();
      if (!state || state.active === this.active?.version) return;
      const loaded = await this.versions.loadVersion(state.active);
      if (this.active?.version !== loaded.version) {
        this.logger.log(`the registry now names ${loaded.version} (changed by another process): serving it`);
        this.serve(loaded);
      }
    } catch (err) {
      this.logger.warn(`cannot follow the registry: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = null;
  }
}
