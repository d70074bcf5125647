import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { FeedbackLogEntry } from './feedback-log-entry';
import { AppendOnlyLog, RotationPolicy, rotatedFiles } from '../common/logs/append-only-log';
import { readLastLinesAcross } from '../common/logs/read-last-lines';
import { HistoryItem, LabelOutcome, PredictionHistory } from './prediction-history';
import { PredictionReader } from './prediction-reader';
import { PredictionLogEntry } from './prediction-log-entry';
import { BatchLineEncoder } from './prediction-log/batch-line-encoder';
import { OrderedLogWriter } from './prediction-log/ordered-log-writer';
import { isLoggableEntry, predictionLogLine } from './prediction-log/prediction-log-line';

/**
 * The record of what was served and what happened: every prediction and outcome appended to
 * storage/logs/inference.log and feedback.log (the durable record), and kept in a bounded
 * in-memory history (what reports read). `rebuildFromLogs` refills the history from the logs'
 * tails at start. The only writer of both; others read through PredictionReader.
 */
@Injectable()
export class PredictionRecordService extends PredictionReader implements OnApplicationShutdown {
  private readonly logger = new Logger(PredictionRecordService.name);
  /** inference.log, in serving order though a batch's lines may come from the encoder thread. */
  private readonly predictionLog: OrderedLogWriter;
  private readonly batchEncoder: BatchLineEncoder;
  private readonly feedbackLog: AppendOnlyLog;
  private readonly history: PredictionHistory;
  private readonly rotation: RotationPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
  ) {
    super();
    const logs = path.join(config.storageDir, 'logs');
    this.rotation = { maxBytes: config.logs.maxBytes, keep: config.logs.keep };
    this.predictionLog = new OrderedLogWriter(new AppendOnlyLog(path.join(logs, 'inference.log'), this.rotation), (m) =>
      this.logger.warn(m),
    );
    this.batchEncoder = new BatchLineEncoder({}, (message) => this.logger.warn(message));
    this.feedbackLog = new AppendOnlyLog(path.join(logs, 'feedback.log'), this.rotation);
    this.history = new PredictionHistory(config.monitoring.historySize);
  }

  /** Refills the history from the logs' tails (once, at start), so a restart loses no monitoring state. */
  async rebuildFromLogs(): Promise<void> {
    const features = this.schema.features;
    const isPrediction = (value: unknown): value is PredictionLogEntry => isPredictionEntry(value, features);
    const predictions = await this.readLog<PredictionLogEntry>(this.predictionLog.file, isPrediction);
    for (const entry of predictions) this.history.add(entry);
    const isFeedback = (value: unknown): value is FeedbackLogEntry =>
      isFeedbackEntry(value) && this.schema.outcomeOf((value as FeedbackLogEntry).actual) !== null;
    const outcomes = await this.readLog<FeedbackLogEntry>(this.feedbackLog.file, isFeedback);
    for (const outcome of outcomes) this.history.label(outcome.request_id, this.schema.outcomeOf(outcome.actual)!);
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

  get capacity(): number {
    return this.history.capacity;
  }

  latest(n: number): HistoryItem[] {
    return this.history.latest(n);
  }

  latestLabelled(n: number): HistoryItem[] {
    return this.history.latestLabelled(n);
  }

  between(from: string | null, to: string | null): HistoryItem[] {
    return this.history.between(from, to);
  }

  get(requestId: string): HistoryItem | undefined {
    return this.history.get(requestId);
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

  /** Records an outcome (one of the target's labels) once per served prediction; only a 'recorded' outcome is logged. */
  recordOutcome(requestId: string, actual: string, timestamp: string): LabelOutcome {
    const label = this.schema.outcomeOf(actual);
    if (label === null) throw new Error(`'${actual}' is not a label of ${this.schema.target.name}`);
    const outcome = this.history.label(requestId, label);
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

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * A line the service itself would have written: every schema feature present with its type, so a
 * damaged line (or one of another schema) cannot put NaN into the drift maths after a restart (it
 * is skipped and counted).
 */
function isPredictionEntry(value: unknown, features: DatasetSchema['features']): value is PredictionLogEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as PredictionLogEntry;
  if (!isLoggableEntry(entry) || !ISO_INSTANT.test(entry.timestamp)) return false;
  return features.every((f) => typeof entry.input[f.name] === (f.type === 'categorical' ? 'string' : 'number'));
}

function isFeedbackEntry(value: unknown): value is FeedbackLogEntry {
  const v = value as FeedbackLogEntry;
  return typeof v === 'object' && v !== null && typeof v.request_id === 'string' && typeof v.actual === 'string';
}
