import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FeedbackLogEntry } from './feedback-log-entry';
import { AppendOnlyLog, RotationPolicy, rotatedFiles } from '../common/logs/append-only-log';
import { readLastLinesAcross } from '../common/logs/read-last-lines';
import { FeatureRecord } from '../data/dataset-schema';
import { LabelOutcome, PredictionHistory } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';
import { BatchLineEncoder } from './prediction-log/batch-line-encoder';
import { OrderedLogWriter } from './prediction-log/ordered-log-writer';
import { predictionLogLine } from './prediction-log/prediction-log-line';

/**
 * Every prediction served and every outcome reported: appended to storage/logs/inference.log and
 * feedback.log (the durable record), and kept in a bounded in-memory history (what reports read).
 * At start the history is rebuilt from the logs' tails, so a restart loses no monitoring state.
 */
@Injectable()
export class PredictionHistoryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PredictionHistoryService.name);
  /** inference.log, in serving order though a batch's lines may come from the encoder thread. */
  private readonly predictionLog: OrderedLogWriter;
  private readonly batchEncoder: BatchLineEncoder;
  private readonly feedbackLog: AppendOnlyLog;
  readonly history: PredictionHistory;
  private readonly rotation: RotationPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const logs = path.join(config.storageDir, 'logs');
    this.rotation = { maxBytes: config.logs.maxBytes, keep: config.logs.keep };
    this.predictionLog = new OrderedLogWriter(new AppendOnlyLog(path.join(logs, 'inference.log'), this.rotation), (m) => this.logger.warn(m));
    this.batchEncoder = new BatchLineEncoder({}, (message) => this.logger.warn(message));
    this.feedbackLog = new AppendOnlyLog(path.join(logs, 'feedback.log'), this.rotation);
    this.history = new PredictionHistory(config.monitoring.historySize);
  }

  get predictionLogFile(): string {
    return this.predictionLog.file;
  }

  get feedbackLogFile(): string {
    return this.feedbackLog.file;
  }

  async onModuleInit(): Promise<void> {
    const predictions = await this.readLog<PredictionLogEntry>(this.predictionLog.file, isPredictionEntry);
    for (const entry of predictions) this.history.add(entry);
    const outcomes = await this.readLog<FeedbackLogEntry>(this.feedbackLog.file, isFeedbackEntry);
    for (const outcome of outcomes) this.history.label(outcome.request_id, outcome.actual === 'yes' ? 1 : 0);
    if (predictions.length > 0) {
      this.logger.log(`history rebuilt from the logs: ${predictions.length} predictions, ${outcomes.length} outcomes`);
    }
  }

  private async readLog<T>(file: string, isValid: (value: unknown) => value is T): Promise<T[]> {
    const lines = await readLastLinesAcross(rotatedFiles(file, this.rotation.keep), this.history.capacity);
    const parsed: T[] = [];
    let skipped = 0;
    for (const line of lines) {
      try {
        const value: unknown = JSON.parse(line);
        if (isValid(value)) parsed.push(value);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) this.logger.warn(`${file}: skipped ${skipped} unreadable line(s)`);
    return parsed;
  }

  record(entry: PredictionLogEntry): void {
    this.predictionLog.write(Buffer.from(`${predictionLogLine(entry)}\n`));
    this.history.add(entry);
  }

  /**
   * Records a batch, in order, with one write to the log (its lines written by the encoder
   * thread when it is large). Row i's request id must be `<batchId>-<i>`: the history indexes the
   * batch once by its id, and the encoder thread rebuilds the ids from it.
   */
  recordBatch(batchId: string, entries: readonly PredictionLogEntry[]): void {
    this.predictionLog.write(this.batchEncoder.encode(batchId, entries));
    this.history.addBatch(batchId, entries);
  }

  /** Records an outcome once per served prediction; only a 'recorded' outcome is logged. */
  recordOutcome(requestId: string, actual: 'yes' | 'no', timestamp = new Date().toISOString()): LabelOutcome {
    const outcome = this.history.label(requestId, actual === 'yes' ? 1 : 0);
    if (outcome === 'recorded') this.feedbackLog.append({ request_id: requestId, actual, timestamp });
    return outcome;
  }

  async flush(): Promise<void> {
    await Promise.all([this.predictionLog.flush(), this.feedbackLog.flush()]);
  }

  async onApplicationShutdown(): Promise<void> {
    // The prediction log waits for lines still with the encoder thread before it closes.
    await Promise.all([this.predictionLog.close(), this.feedbackLog.close()]);
    await this.batchEncoder.close();
  }
}

function isPredictionEntry(value: unknown): value is PredictionLogEntry {
  const v = value as PredictionLogEntry;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.request_id === 'string' &&
    typeof v.timestamp === 'string' &&
    typeof v.model_version === 'string' &&
    typeof v.input === 'object' &&
    v.input !== null &&
    (v.prediction === 0 || v.prediction === 1) &&
    typeof v.probability === 'number'
  );
}

function isFeedbackEntry(value: unknown): value is FeedbackLogEntry {
  const v = value as FeedbackLogEntry;
  return typeof v === 'object' && v !== null && typeof v.request_id === 'string' && (v.actual === 'yes' || v.actual === 'no');
}
