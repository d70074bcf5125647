import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import { FleetLock, LocalFleetLock } from '../common/fleet-lock';
import * as path from 'node:path';
import { LockHeldError, acquireHeartbeatLock } from '../common/heartbeat-lock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HealingLoopService } from '../healing/healing-loop.service';
import { ActiveModel } from '../model-registry/active-model';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { SnapshotRecorder } from '../monitoring-history/snapshot-recorder';
import { PredictionStore } from '../predictions/prediction-store';
import { StorageHealthService } from '../monitoring/storage-health.service';

/**
 * The server's start, in one place and in order, before it listens: the lock on the storage
 * folder, the prediction history from the logs, a model to serve (training v1 on an empty storage
 * when AUTO_TRAIN is on), following changes made by other processes, the healing loop, and the
 * monitoring snapshots.
 */
@Injectable()
export class ServiceStartup implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ServiceStartup.name);
  private releaseStorage: (() => Promise<void>) | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly predictions: PredictionStore,
    private readonly activeModel: ActiveModel,
    private readonly lifecycle: ModelLifecycle,
    private readonly healingLoop: HealingLoopService,
    private readonly snapshots: SnapshotRecorder,
    private readonly storageHealth: StorageHealthService,
    @Optional() private readonly fleet: FleetLock = new LocalFleetLock(),
  ) {}

  async onModuleInit(): Promise<void> {
    await this.lockStorage();
    await this.predictions.load();
    const loaded = await this.activeModel.load();
    if (loaded === 'empty') await this.trainFirstModelOnce();
    this.activeModel.follow();
    await this.storageHealth.start();
    this.healingLoop.start();
    await this.snapshots.start();
    this.logger.log(
      this.config.feedbackToken
        ? 'feedback: FEEDBACK_TOKEN is set: outcomes need it, and the healing loop promotes on its own'
        : 'feedback: no FEEDBACK_TOKEN: anyone may send outcomes, and a challenger they lead to is held for an admin to promote',
    );
  }

  /**
   * One server per storage folder: a second one would split feedback, lose lines at rotation and
   * heal against the first. The lock's heartbeat says its holder lives (see acquireHeartbeatLock);
   * one left by a killed server is taken over once STORAGE_LOCK_STALE_S has passed.
   */
  private async lockStorage(): Promise<void> {
    const dir = this.config.storageDir;
    const staleMs = this.config.storageLockStaleSeconds * 1000;
    try {
      this.releaseStorage = await acquireHeartbeatLock(dir, path.join(dir, 'server.lock'), {
        staleMs,
        waitMs: staleMs + 2000,
        onLost: (err) => this.logger.error(`lost the lock on ${dir} (${err.message}): another server may now write to it`),
      });
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      throw new Error(
        `another server is using ${dir} (${err.message}): one server per storage folder; stop it, or give this one another STORAGE_DIR`,
        { cause: err },
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.releaseStorage?.().catch(() => undefined);
    this.releaseStorage = null;
  }

  /**
   * With a shared database, replicas starting together on an empty one take turns: the first
   * trains v1, the others find it when their turn comes and load it.
   */
  private async trainFirstModelOnce(): Promise<void> {
    await this.fleet.whileHeld('first-training', async () => {
      if ((await this.activeModel.load()) === 'empty') await this.trainFirstModel();
    });
  }

  private async trainFirstModel(): Promise<void> {
    if (!this.config.autoTrain) {
      this.logger.warn(this.activeModel.whyUnavailable());
      return;
    }
    this.logger.log(
      `no model in ${this.config.storageDir}: training v1 from ${this.config.dataFile} (first start; a few seconds, then the service listens)`,
    );
    const started = performance.now();
    const metadata = await this.lifecycle.trainFromFile({
      dataFile: this.config.dataFile,
      seed: this.config.seed,
      activate: true,
      reason: 'initial training on first start (AUTO_TRAIN)',
      actor: 'auto',
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    this.logger.log(
      `trained ${metadata.version} in ${seconds} s on ${metadata.rows.train} rows: validation ROC-AUC ${metadata.metrics.validation.roc_auc.toFixed(4)}`,
    );
  }
}
