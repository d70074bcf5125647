import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TrainingService } from '../training/training.service';
import { ArtifactError } from './artifact-error';
import { ModelStore } from './model-store';
import { LoadedModel, ModelMetadata, compareVersions } from './model-version';

export interface TrainVersionOptions {
  dataFile: string;
  seed: number;
  /** Another storage folder than the configured one (CLI --storage). */
  storageDir?: string;
  activate: boolean;
  reason: string;
}

export interface TrainVersionResult {
  metadata: ModelMetadata;
  activated: boolean;
  storageDir: string;
}

/**
 * Owns the model that serves: loads the active version when the server starts (training v1 first
 * when storage is empty and AUTO_TRAIN is on), and swaps it in memory when another version is activated.
 * Readers call `current()` on every request, so a swap needs no restart and no lock.
 */
@Injectable()
export class ModelRegistryService {
  private readonly logger = new Logger(ModelRegistryService.name);
  readonly store: ModelStore;
  private active: LoadedModel | null = null;
  private unavailableReason = 'no model loaded yet';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
      });
      this.logger.log(`trained ${metadata.version}: validation ROC-AUC ${metadata.metrics.validation.roc_auc.toFixed(4)}`);
      return;
    }
    // Prefer the recorded active version; if it is unusable, fall back to the newest good one
    // rather than serving a half-loaded model or nothing.
    const candidates = [registry?.active, registry?.previous, ...[...versions].sort(compareVersions).reverse()]
      .filter((v): v is string => typeof v === 'string')
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
    const { dataset, trained } = await this.training.trainFromFile(options.dataFile, options.seed);
    const parent = await store.readRegistry().catch(() => null);
    const metadata = await store.saveVersion(trained, {
      dataFile: options.dataFile,
      dataSha256: dataset.sha256,
      seed: options.seed,
      parentVersion: parent?.active ?? null,
      reason: options.reason,
    });
    if (options.activate) {
      await store.activate(metadata.version);
      if (store === this.store) this.active = await store.loadVersion(metadata.version);
    }
    return { metadata, activated: options.activate, storageDir };
  }
}
