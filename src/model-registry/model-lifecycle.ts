import { ConflictException, HttpException, ServiceUnavailableException } from '@nestjs/common';
import { storageFaultCode } from '../common/storage-fault';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ModelSpec } from '../training/model-spec';
import { TrainedModel } from '../training/training-pipeline';
import { TrainingService } from '../training/training.service';
import { ActiveModel } from './active-model';
import { EventActor, ModelEvent } from './model-event';
import { ModelMetadata, compareVersions } from './model-version';
import { Provenance, TrainingRows } from './provenance';
import { RegistryState, WatchState, holdState, promoteState, rejectState, rollbackState, withWatch } from './registry-state';
import { EventRepository, RegistryRepository, VersionRepository } from './repositories';
import { loadExistingVersion, loadOrConflict, readStateOrConflict } from './version-access';

export interface TrainFromFileOptions {
  dataFile: string;
  seed: number;
  activate: boolean;
  reason: string;
  actor: EventActor;
  /** What to fit (CLI --model); by default the original spec. */
  spec?: ModelSpec;
}

export interface PromoteOptions {
  actor: EventActor;
  reason: string;
  /** Watch the new champion against the one it replaces (default: yes, when there is one). */
  watch?: boolean;
  gate?: Record<string, unknown>;
  trigger?: Record<string, unknown>;
}

export interface RollbackOptions {
  actor: EventActor;
  reason: string;
  /** Mark the version left as rejected (the watch's verdict), so it is never promoted again. */
  rejectCurrent?: boolean;
  gate?: Record<string, unknown>;
}

export interface RejectOptions {
  actor: EventActor;
  reason: string;
  gate?: Record<string, unknown>;
  trigger?: Record<string, unknown>;
}

/**
 * Every change to which models exist and which one serves: train-and-save, promote, rollback,
 * reject and the watch, each recorded as an event. The only writer of the registry; changes are
 * serialised in this process and made under the store's lock across processes.
 */
export class ModelLifecycle {
  private changes: Promise<unknown> = Promise.resolve();
  private readonly decisionListeners: Array<(event: ModelEvent) => void> = [];

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly versions: VersionRepository,
    private readonly registry: RegistryRepository,
    private readonly events: EventRepository,
    private readonly active: ActiveModel,
    private readonly training: TrainingService,
  ) {}

  /** Trains on a data file and saves a new version; activates it (without a watch) when asked. */
  async trainFromFile(options: TrainFromFileOptions): Promise<ModelMetadata> {
    await this.versions.assertWritable(); // before spending the training time
    const { dataSha256, trained } = await this.training.trainFromFile(options.dataFile, options.seed, options.spec);
    const parent = await this.registry.read().catch(() => null);
    const metadata = await this.saveTrained(
      trained,
      {
        dataFile: options.dataFile,
        dataSha256,
        seed: options.seed,
        parentVersion: parent?.active ?? null,
        reason: options.reason,
      },
      options.actor,
    );
    if (options.activate) await this.promote(metadata.version, { actor: options.actor, reason: options.reason, watch: false });
    return metadata;
  }

  /** Trains on rows held in memory (the replay's first rows), saves them with it and activates it. */
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

  /** Saves a trained model as a new version, not activated, and records it. */
  saveTrained(trained: TrainedModel, provenance: Provenance, actor: EventActor): Promise<ModelMetadata> {
    return asStorageFault(async () => {
      const metadata = await this.versions.saveVersion(trained, provenance, this.clock.now());
      await this.record('trained', actor, provenance.reason, { version: metadata.version });
      return metadata;
    });
  }

  /**
   * Makes a version active: it must exist, not be rejected and load whole. Recorded in the
   * registry, then served, then the event.
   */
  promote(version: string, options: PromoteOptions): Promise<RegistryState> {
    return this.serialise(async () => {
      const loaded = await loadExistingVersion(this.versions, version);
      const now = this.clock.now();
      let from: string | null = null;
      const state = await this.registry.update((current) => {
        if (current?.rejected.includes(version)) {
          throw new ConflictException(`${version} was rejected and cannot be promoted`);
        }
        if (current?.active === version) throw new ConflictException(`${version} is already active`);
        from = current?.active ?? null;
        const watch: WatchState | null =
          options.watch !== false && from !== null
            ? { champion: version, previous: from, started_at: now.toISOString(), labels_needed: this.config.healing.watchLabels }
            : null;
        return promoteState(current, version, now, watch);
      });
      this.active.serve(loaded);
      await this.record('promoted', options.actor, options.reason, {
        from_version: from,
        to_version: version,
        gate: options.gate,
        trigger: options.trigger,
      });
      return state;
    });
  }

  /** Returns to the previous active version. */
  rollback(options: RollbackOptions): Promise<RegistryState> {
    return this.serialise(async () => {
      const before = await readStateOrConflict(() => this.registry.read());
      if (!before || before.history.length === 0) throw new ConflictException('there is no previous version to roll back to');
      const loaded = await loadOrConflict(this.versions, before.history[before.history.length - 1]);
      const state = await this.registry.update((current) => {
        if (!current || current.history.length === 0) {
          throw new ConflictException('there is no previous version to roll back to');
        }
        return rollbackState(current, this.clock.now(), options.rejectCurrent ?? false);
      });
      this.active.serve(loaded);
      await this.record('rolled_back', options.actor, options.reason, {
        from_version: before.active,
        to_version: state.active,
        gate: options.gate,
      });
      if (options.rejectCurrent) await this.deleteOldRejected(options.actor);
      return state;
    });
  }

  /** Records a challenger that lost its gate, so it can never be promoted. */
  reject(version: string, options: RejectOptions): Promise<void> {
    return this.serialise(async () => {
      await this.registry.update((current) => {
        if (!current) throw new ConflictException('no version is active yet');
        return rejectState(current, version, this.clock.now());
      });
      await this.record('rejected', options.actor, options.reason, { version, gate: options.gate, trigger: options.trigger });
      await this.deleteOldRejected(options.actor);
    });
  }

  /**
   * Records a challenger that won its gate but waits for an admin to promote it (the healing
   * policy's holds). A challenger held before it is rejected: only the newest one waits.
   */
  hold(version: string, options: RejectOptions): Promise<void> {
    return this.serialise(async () => {
      let superseded: string[] = [];
      await this.registry.update((current) => {
        if (!current) throw new ConflictException('no version is active yet');
        const held = holdState(current, version, this.clock.now());
        superseded = held.superseded;
        return held.state;
      });
      await this.record('held', options.actor, options.reason, { version, gate: options.gate, trigger: options.trigger });
      for (const old of superseded) {
        await this.record('rejected', options.actor, `superseded by ${version}, held after it (only the newest held challenger waits)`, {
          version: old,
        });
      }
      await this.deleteOldRejected(options.actor);
    });
  }

  /** Ends the watch of the active champion without the rollback it called for: an admin decides. */
  holdRollback(options: { actor: EventActor; reason: string; gate?: Record<string, unknown> }): Promise<void> {
    return this.serialise(async () => {
      let watch: WatchState | null = null;
      await this.registry.update((current) => {
        if (!current) throw new ConflictException('no version is active yet');
        watch = current.watch;
        return withWatch(current, null, this.clock.now());
      });
      const ended = watch as WatchState | null;
      await this.record('held', options.actor, options.reason, {
        from_version: ended?.champion ?? null,
        to_version: ended?.previous ?? null,
        gate: options.gate,
      });
    });
  }

  /** Ends the watch of the active champion: it passed, and the event says why. */
  passWatch(version: string, options: { actor: EventActor; reason: string; gate?: Record<string, unknown> }): Promise<void> {
    return this.serialise(async () => {
      await this.registry.update((current) => {
        if (!current) throw new ConflictException('no version is active yet');
        return withWatch(current, null, this.clock.now());
      });
      await this.record('watch_passed', options.actor, options.reason, { version, gate: options.gate });
    });
  }

  /** A decision that changes no model (a skipped or failed heal), for the audit trail. */
  recordDecision(event: Omit<ModelEvent, 'time'>): Promise<void> {
    return this.append({ time: this.clock.now().toISOString(), ...event });
  }

  /** Tells `listener` of every decision this process records from now on, once it is written (metrics count them). */
  onDecision(listener: (event: ModelEvent) => void): void {
    this.decisionListeners.push(listener);
  }

  private record(type: ModelEvent['type'], actor: EventActor, reason: string, extra: Partial<ModelEvent>): Promise<void> {
    return this.append({ time: this.clock.now().toISOString(), type, actor, reason, ...extra });
  }

  private async append(event: ModelEvent): Promise<void> {
    await this.events.append(event);
    for (const listener of this.decisionListeners) {
      try {
        listener(event);
      } catch {
        // An observer's failure is not the decision's: it is written and stands.
      }
    }
  }

  /**
   * RETAIN_REJECTED: rejected challengers the loop trained keep their artifacts, the newest first,
   * up to that many; older ones lose them (metadata and events stay). Never the active version, one
   * a rollback may return to, one held or watched against, or one a person trained.
   */
  private async deleteOldRejected(actor: EventActor): Promise<void> {
    const state = await this.registry.read();
    if (!state) return;
    const kept = new Set([state.active, ...state.history, ...state.held, state.watch?.previous]);
    const candidates: string[] = [];
    for (const version of state.rejected) {
      if (kept.has(version) || (await this.versions.artifactsDeleted(version))) continue;
      const metadata = await this.versions.loadMetadata(version).catch(() => null);
      if (metadata?.challenger === true) candidates.push(version);
    }
    candidates.sort(compareVersions);
    const beyond = candidates.slice(0, Math.max(0, candidates.length - this.config.retainRejected));
    for (const version of beyond) {
      await this.versions.deleteArtifacts(version);
      await this.record(
        'artifacts_deleted',
        actor,
        `rejected challenger beyond RETAIN_REJECTED (${this.config.retainRejected}): artifacts deleted, metadata kept`,
        {
          version,
        },
      );
    }
  }

  private serialise<T>(work: () => Promise<T>): Promise<T> {
    const guarded = () => asStorageFault(work);
    const run = this.changes.then(guarded, guarded);
    this.changes = run.catch(() => undefined);
    return run;
  }
}

/** Runs a change; a storage that cannot be written is a 503 saying so, not a 500. */
async function asStorageFault<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof HttpException || storageFaultCode(err) === null) throw err;
    throw new ServiceUnavailableException(`the storage cannot be written: ${(err as Error).message}`, { cause: err });
  }
}
