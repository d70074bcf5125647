import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { storageProblem } from '../common/storage-probe';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PredictionReader } from '../predictions/prediction-reader';

/** How often the storage is probed while nothing else writes (a write that fails says so at once). */
const PROBE_INTERVAL_MS = 5000;

/** What cannot be written now, by what it holds: null where all is well. */
export interface StorageProblems {
  /** The prediction logs (inference.log, feedback.log). */
  logs: string | null;
  /** Versions, registry.json and the audit trail. */
  models: string | null;
}

/**
 * Whether the storage can take writes: the prediction record's last write, and a probe of the logs
 * folder and the storage folder every few seconds (a full or read-only disk shows even when no
 * request writes). /health and the `storage_healthy` gauge read it.
 */
@Injectable()
export class StorageHealthService implements OnApplicationShutdown {
  private probed: StorageProblems = { logs: null, models: null };
  private timer: NodeJS.Timeout | null = null;
  private readonly root: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly predictions: PredictionReader,
  ) {
    this.root = config.storageDir;
  }

  /** Probes now and every few seconds (the server calls it; the CLI does not). */
  async start(): Promise<void> {
    await this.probe();
    if (this.timer) return;
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  async probe(): Promise<StorageProblems> {
    const [logs, models] = await Promise.all([storageProblem(path.join(this.root, 'logs')), storageProblem(this.root)]);
    this.probed = { logs, models };
    return this.problems();
  }

  problems(): StorageProblems {
    const written = this.predictions.writeProblem();
    return { logs: written ?? this.probed.logs, models: this.probed.models };
  }

  /** The problems as /health words them. */
  reasons(): string[] {
    const { logs, models } = this.problems();
    const reasons: string[] = [];
    if (logs?.startsWith('the database'))
      reasons.push(`the prediction record cannot be written, so predictions and outcomes are refused (503): ${logs}`);
    else if (logs) reasons.push(`prediction logs cannot be written, so predictions and outcomes are refused (503): ${logs}`);
    if (models && models !== logs) reasons.push(`model storage cannot be written, so promote, rollback and heal answer 503: ${models}`);
    else if (models) reasons.push('model storage cannot be written either: promote, rollback and heal answer 503');
    return reasons;
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
