import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationShutdown,
} from '@nestjs/common';
import { promises as fsp } from 'node:fs';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { ModelSpec } from '../training/model-spec';
import { TrainedModel } from '../training/training-pipeline';
import { TrainingService } from '../training/training.service';
import { ArtifactError } from './artifact-error';
import { EventActor, ModelEvent } from './model-event';
import { ModelStore, Provenance, TrainingRows } from './model-store';
import { LoadedModel, ModelMetadata, compareVersions, isVersionName } from './model-version';
import {
  RegistryState,
  VersionStatus,
  WatchState,
  promoteState,
  rejectState,
  rollbackState,
  statusOf,
  withWatch,
} from './registry-state';

export interface TrainVersionOptions {
  dataFile: string;
  seed: number;
  /** Another storage folder than the configured one (CLI --storage). */
  storageDir?: string;
  activate: boolean;
  reason: string;
  actor?: EventActor;
  /** What to fit (CLI --model); by default the original spec. */
  spec?: ModelSpec;
}

export interface TrainVersionResult {
  metadata: ModelMetadata;
  activated: boolean;
  storageDir: string;
}

export interface VersionSummary {
  version: string;
  status: VersionStatus;
  created_at: string;
  parent_version: string | null;
  reason: string;
  data_file: string | null;
  rows: ModelMetadata['rows'];
  validation_metrics: ModelMetadata['metrics']['validation'];
}

export interface PromoteOptions {
  actor: EventActor;
  reason: string;
  /** Watch the new champion against the one it replaces (default: yes, when there is one). */
  watch?: boolean;
  gate?: Record<string, unknown>;
  trigger?: Record<string, unknown>;
}

/** How often a server checks registry.json for changes made by another process (the CLI). */
const FOLLOW_INTERVAL_MS = 1000;

/**
 * Owns the model that serves: loads the active version when the server starts (training v1 first
 * when storage is empty and AUTO_TRAIN is on), and swaps it in memory when another version is
 * activated, here or by another process. Readers call `current()` on every request, so a swap
 * needs no restart and no lock on the hot path.
 */
@Injectable()
export class ModelRegistryService implements OnApplicationShutdown {
  private readonly logger = new Logger(ModelRegistryService.name);
  readonly store: ModelStore;
  private active: LoadedModel | null = null;
  private unavailableReason = 'no model loaded yet';
  private followTimer: NodeJS.Timeout | null = null;
  private registryMtime = 0;
  /** Serialises changes made by this process (the file lock serialises processes). */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly training: TrainingService,
  ) {
    this.store = new ModelStore(config.storageDir);
  }

  /** The model serving now, or null (see `whyUnavailable`). */
  current(): LoadedModel | null {
    return this.active;
  }

  whyUnavailable(): string {
    return this.unavailableReason;
  }

  get watchLabels(): number {
    return this.config.healing.watchLabels;
  }

  /**
   * Called once by the server before it listens, and by CLI commands that read the active model
   * (those pass allowTraining=false: only the server trains on first start).
   */
  async loadActiveAtStart(allowTraining = this.config.autoTrain): Promise<void> {
    const registry = await this.store.readRegistry().catch((err: Error) => {
      this.logger.error(`cannot read the registry: ${err.message}`);
      return undefined;
    });
    const versions = await this.store.listVersions();
    if (registry === null && versions.length === 0) {
      if (!allowTraining) {
        this.unavailableReason = 'no model has been trained yet: run `node dist/cli train`';
        this.logger.warn(this.unavailableReason);
        return;
      }
      this.logger.log(`no model in ${this.config.storageDir}: training v1 from ${this.config.dataFile}`);
      const { metadata } = await this.trainVersion({
        dataFile: this.config.dataFile,
        seed: this.config.seed,
        activate: true,
        reason: 'initial training on first start (AUTO_TRAIN)',
        actor: 'auto',
      });
      this.logger.log(`trained ${metadata.version}: validation ROC-AUC ${metadata.metrics.validation.roc_auc.toFixed(4)}`);
      return;
    }
    // Prefer the recorded active version; if it is unusable, fall back to the newest good one
    // rather than serving a half-loaded model or nothing.
    const candidates = [registry?.active, registry?.previous, ...[...versions].sort(compareVersions).reverse()]
      .filter((v): v is string => typeof v === 'string' && !registry?.rejected.includes(v))
      .filter((v, i, all) => all.indexOf(v) === i);
    const problems: string[] = [];
    for (const version of candidates) {
      try {
        this.active = await this.store.loadVersion(version);
        if (problems.length > 0) {
          this.logger.warn(`serving ${version} instead of ${candidates[0]}, which cannot be loaded: ${problems[0]}`);
        } else {
          this.logger.log(`serving model ${version}`);
        }
        return;
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        problems.push(err.message);
        this.logger.error(`model ${version} cannot be loaded: ${err.message}`);
      }
    }
    this.unavailableReason = `no stored model can be loaded: ${problems.join('; ') || 'registry.json is unreadable'}`;
  }

  /** Trains on a data file and saves a new version; activates it unless told not to. */
  async trainVersion(options: TrainVersionOptions): Promise<TrainVersionResult> {
    const storageDir = options.storageDir ?? this.config.storageDir;
    const store = storageDir === this.config.storageDir ? this.store : new ModelStore(storageDir);
    await store.assertWritable(); // before spending the training time
    const { dataset, trained } = await this.training.trainFromFile(options.dataFile, options.seed, options.spec);
    const parent = await store.readRegistry().catch(() => null);
    const metadata = await store.saveVersion(trained, {
      dataFile: options.dataFile,
      dataSha256: dataset.sha256,
      seed: options.seed,
      parentVersion: parent?.active ?? null,
      reason: options.reason,
    });
    const actor = options.actor ?? 'cli';
    await store.events.append(this.event('trained', actor, options.reason, { version: metadata.version }));
    if (options.activate) {
      const before = await store.readRegistry().catch(() => null);
      await store.activate(metadata.version);
      await store.events.append(
        this.event('promoted', actor, options.reason, { from_version: before?.active ?? null, to_version: metadata.version }),
      );
      if (store === this.store) this.active = await store.loadVersion(metadata.version);
    }
    return { metadata, activated: options.activate, storageDir };
  }

  /**
   * Trains on rows held in memory (the replay's first rows) with the standard split, saves the
   * version with its training rows, and activates it.
   */
  async trainFromRows(
    rows: TrainingRows,
    seed: number,
    reason: string,
    actor: EventActor,
    knownClasses: Record<string, readonly string[]> = {},
  ): Promise<ModelMetadata> {
    const trained = this.training.train(rows, seed, knownClasses);
    const metadata = await this.saveTrained(
      trained,
      {
        dataFile: null,
        dataSha256: null,
        seed,
        parentVersion: null,
        reason,
        trainingRows: {
          records: trained.split.train.map((i) => rows.records[i]),
          labels: Uint8Array.from(trained.split.train, (i) => rows.labels[i]),
        },
      },
      actor,
    );
    await this.promote(metadata.version, { actor, reason, watch: false });
    return metadata;
  }

  /** Saves a model trained outside a data file (a challenger) as a new version, not activated. */
  async saveTrained(trained: TrainedModel, provenance: Provenance, actor: EventActor): Promise<ModelMetadata> {
    const metadata = await this.store.saveVersion(trained, provenance);
    await this.store.events.append(this.event('trained', actor, provenance.reason, { version: metadata.version }));
    return metadata;
  }

  async listVersions(): Promise<VersionSummary[]> {
    const state = await this.store.readRegistry().catch(() => null);
    const summaries: VersionSummary[] = [];
    for (const version of await this.store.listVersions()) {
      const metadata = await this.store.loadMetadata(version).catch(() => null);
      if (!metadata) continue; // a broken version is listed by GET /models/:version with its problem
      summaries.push(this.summarise(metadata, statusOf(state, version)));
    }
    return summaries;
  }

  async describe(version: string): Promise<VersionSummary & { metadata: ModelMetadata }> {
    await this.assertExists(version);
    const state = await this.store.readRegistry().catch(() => null);
    const loaded = await this.loadOrConflict(version);
    return { ...this.summarise(loaded.metadata, statusOf(state, version)), metadata: loaded.metadata };
  }

  /**
   * Makes a version active: checks it exists, is not rejected and loads whole, records it in
   * registry.json under the lock, swaps it in memory and records the event.
   */
  promote(version: string, options: PromoteOptions): Promise<RegistryState> {
    return this.serialise(async () => {
      await this.assertExists(version);
      const loaded = await this.loadOrConflict(version);
      const now = this.clock.now();
      let from: string | null = null;
      const state = await this.store.updateRegistry((current) => {
        if (current?.rejected.includes(version)) {
          throw new ConflictException(`${version} was rejected and cannot be promoted`);
        }
        if (current?.active === version) throw new ConflictException(`${version} is already active`);
        from = current?.active ?? null;
        const watch: WatchState | null =
          options.watch !== false && from !== null
            ? { champion: version, previous: from, started_at: now.toISOString(), labels_needed: this.watchLabels }
            : null;
        return promoteState(current, version, now, watch);
      });
      this.swapIn(loaded);
      await this.store.events.append(
        this.event('promoted', options.actor, options.reason, {
          from_version: from,
          to_version: version,
          gate: options.gate,
          trigger: options.trigger,
        }),
      );
      return state;
    });
  }

  /** Returns to the previous active version; `rejectCurrent` marks the one left as rejected. */
  rollback(options: { actor: EventActor; reason: string; rejectCurrent?: boolean; gate?: Record<string, unknown> }) {
    return this.serialise(async () => {
      const before = await this.readState();
      if (!before || before.history.length === 0) throw new ConflictException('there is no previous version to roll back to');
      const target = before.history[before.history.length - 1];
      const loaded = await this.loadOrConflict(target);
      const state = await this.store.updateRegistry((current) => {
        if (!current || current.history.length === 0) {
          throw new ConflictException('there is no previous version to roll back to');
        }
        return rollbackState(current, this.clock.now(), options.rejectCurrent ?? false);
      });
      this.swapIn(loaded);
      await this.store.events.append(
        this.event('rolled_back', options.actor, options.reason, {
          from_version: before.active,
          to_version: state.active,
          gate: options.gate,
        }),
      );
      return state;
    });
  }

  /** Records a challenger that lost its gate, so it can never be promoted. */
  reject(version: string, options: { actor: EventActor; reason: string; gate?: Record<string, unknown>; trigger?: Record<string, unknown> }) {
    return this.serialise(async () => {
      await this.store.updateRegistry((current) => {
        if (!current) throw new ConflictException('no version is active yet');
        return rejectState(current, version, this.clock.now());
      });
      await this.store.events.append(
        this.event('rejected', options.actor, options.reason, { version, gate: options.gate, trigger: options.trigger }),
      );
    });
  }

  /** Ends the watch of the active champion (it passed, or was rolled back elsewhere). */
  endWatch(): Promise<RegistryState> {
    return this.serialise(() => this.store.updateRegistry((current) => withWatch(current!, null, this.clock.now())));
  }

  recordEvent(event: Omit<ModelEvent, 'time'>): Promise<void> {
    return this.store.events.append({ time: this.clock.now().toISOString(), ...event });
  }

  events(limit = 1000): Promise<ModelEvent[]> {
    return this.store.events.latest(limit);
  }

  /** registry.json; a damaged one is a 409 that says so (promote sets it aside and writes a new one). */
  async readState(): Promise<RegistryState | null> {
    try {
      return await this.store.readRegistry();
    } catch (err) {
      if (err instanceof ArtifactError) {
        throw new ConflictException(`registry.json cannot be read (${err.message}): promote a version to write a new one`);
      }
      throw err;
    }
  }

  loadVersion(version: string): Promise<LoadedModel> {
    return this.store.loadVersion(version);
  }

  /**
   * The rows a version was trained on: saved with it when they came from served predictions, or
   * re-read from its data file (checked against the recorded sha256) through its saved split.
   */
  async trainingRowsOf(version: string): Promise<TrainingRows> {
    const saved = await this.store.loadSavedTrainingRows(version);
    if (saved) return saved;
    const metadata = (await this.store.loadVersion(version)).metadata;
    if (!metadata.data_file) throw new Error(`${version} has neither a data file nor saved training rows`);
    const dataset = await loadCsvDataset(metadata.data_file);
    if (metadata.data_sha256 && dataset.sha256 !== metadata.data_sha256) {
      throw new Error(`${metadata.data_file} changed since ${version} was trained on it (sha256 differs)`);
    }
    const split = await this.store.loadSplit(version);
    return {
      records: split.train.map((i) => dataset.records[i]),
      labels: Uint8Array.from(split.train, (i) => dataset.labels[i]),
    };
  }

  /**
   * Follows registry.json: when another process (the CLI) activates a version, this server
   * serves it within about a second, without a restart.
   */
  followExternalChanges(): void {
    if (this.followTimer) return;
    this.followTimer = setInterval(() => void this.checkRegistryFile(), FOLLOW_INTERVAL_MS);
    this.followTimer.unref();
    void fsp.stat(this.store.registryFile).then(
      (s) => (this.registryMtime = s.mtimeMs),
      () => undefined,
    );
  }

  private async checkRegistryFile(): Promise<void> {
    try {
      const { mtimeMs } = await fsp.stat(this.store.registryFile);
      if (mtimeMs === this.registryMtime) return;
      this.registryMtime = mtimeMs;
      const state = await this.store.readRegistry();
      if (!state || state.active === this.active?.version) return;
      const loaded = await this.store.loadVersion(state.active);
      if (this.active?.version !== loaded.version) {
        this.logger.log(`registry.json now names ${loaded.version} (changed by another process): serving it`);
        this.swapIn(loaded);
      }
    } catch (err) {
      this.logger.warn(`cannot follow registry.json: ${(err as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    if (this.followTimer) clearInterval(this.followTimer);
    this.followTimer = null;
  }

  private swapIn(loaded: LoadedModel): void {
    this.active = loaded;
    this.unavailableReason = '';
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const run = this.changes.then(work, work);
    this.changes = run.catch(() => undefined);
    return run;
  }

  private async assertExists(version: string): Promise<void> {
    if (!isVersionName(version)) throw new NotFoundException(`'${version}' is not a version name (such as v1)`);
    if (!(await this.store.hasVersion(version))) throw new NotFoundException(`there is no version ${version}`);
  }

  private async loadOrConflict(version: string): Promise<LoadedModel> {
    try {
      return await this.store.loadVersion(version);
    } catch (err) {
      if (err instanceof ArtifactError) throw new ConflictException(`${version} cannot be loaded: ${err.message}`);
      throw err;
    }
  }

  private summarise(metadata: ModelMetadata, status: VersionStatus): VersionSummary {
    return {
      version: metadata.version,
      status,
      created_at: metadata.created_at,
      parent_version: metadata.parent_version,
      reason: metadata.reason,
      data_file: metadata.data_file,
      rows: metadata.rows,
      validation_metrics: metadata.metrics.validation,
    };
  }

  private event(
    type: ModelEvent['type'],
    actor: EventActor,
    reason: string,
    extra: Partial<ModelEvent>,
  ): ModelEvent {
    return { time: this.clock.now().toISOString(), type, actor, reason, ...extra };
  }
}
