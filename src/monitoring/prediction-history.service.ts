import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppendOnlyLog } from './logs/append-only-log';
import { PredictionLogEntry } from './prediction-log-entry';

/** Appends every served prediction to storage/logs/inference.log, one JSON line each. */
@Injectable()
export class PredictionLogService implements OnApplicationShutdown {
  private readonly log: AppendOnlyLog;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.log = new AppendOnlyLog(path.join(config.storageDir, 'logs', 'inference.log'));
  }

  get file(): string {
    return this.log.file;
  }

  record(entry: PredictionLogEntry): void {
    this.log.append(entry);
  }

  flush(): Promise<void> {
    return this.log.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
  }
}
