import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { FeedbackLogEntry } from './feedback-log-entry';
import { AppendOnlyLog, RotationPolicy, encodeLines, rotatedFiles } from '../common/logs/append-only-log';
import { readLastLinesAcross } from '../common/logs/read-last-lines';
import { HistoryItem, LabelOutcome, PredictionHistory } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';
import { InFlightIds } from './in-flight-ids';
import { OutcomeItem, OutcomeSource } from './prediction-writer';
import { PredictionStore, RecordedOutcome } from './prediction-store';
import { RecordNotWritten, RequestIdInUse } from './record-errors';
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
export class PredictionRecordService extends PredictionStore implements OnApplicationShutdown {
  private readonly logger = new Logger(PredictionRecordService.name);
  /** inference.log, in serving order though a batch's lines may come from the encoder thread. */
  private readonly predictionLog: OrderedLogWriter;
  private readonly batchEncoder: BatchLineEncoder;
  private readonly feedbackLog: AppendOnlyLog;
  private readonly history: PredictionHistory;
  private readonly rotation: RotationPolicy;
  private readonly predictionLogFile: AppendOnlyLog;
  private readonly inFlight = new InFlightIds();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
  ) {
    super();
    const logs = path.join(config.storageDir, 'logs');
    this.rotation = { maxBytes: config.logs.maxBytes, keep: config.logs.keep };
    this.predictionLogFile = new AppendOnlyLog(path.join(logs, 'inference.log'), this.rotation);
    this.predictionLog = new OrderedLogWriter(this.predictionLogFile, (m) => this.logger.warn(m));
    this.batchEncoder = new BatchLineEncoder({}, (message) => this.logger.warn(message));
    this.feedbackLog = new AppendOnlyLog(path.join(logs, 'feedback.log'), this.rotation);
    this.history = new PredictionHistory(config.monitoring.historySize);
  }

  load(): Promise<void> {
    return this.rebuildFromLogs();
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
    // A line written before outcomes carried their source is taken as anonymous, as it then was.
    for (const outcome of outcomes) {
      this.history.label(outcome.request_id, this.schema.outcomeOf(outcome.actual)!, outcome.trusted !== true);
    }
    if (predictions.length > 0) {
      this.logger.log(`history rebuilt from the logs: ${predictions.length} predictions, ${outcomes.length} outcomes`);
    }
    const shortfall = logsShortOfHistory(this.rotation, this.history.capacity, meanLineBytes(predictions));
    if (shortfall) this.logger.warn(shortfall);
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

  get unknownIdHint(): string {
    return `unknown, or older than the last ${this.history.capacity} predictions`;
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

  writeProblem(): string | null {
    const failure = this.predictionLogFile.lastFailure ?? this.feedbackLog.lastFailure;
    return failure ? failure.message : null;
  }

  /** Resolves once the prediction's line is written; its id is then held (see PredictionWriter). */
  async record(entry: PredictionLogEntry): Promise<void> {
    const id = entry.request_id;
    const clash = this.inFlight.clash({ single: id }) ?? (this.history.get(id) ? id : null);
    if (clash !== null) throw new RequestIdInUse(clash);
    this.inFlight.claimSingle(id);
    try {
      await this.predictionLog.write(Buffer.from(`${predictionLogLine(entry)}\n`));
    } catch (err) {
      throw new RecordNotWritten('the prediction', err as Error);
    } finally {
      this.inFlight.releaseSingle(id);
    }
    this.history.add(entry);
  }

  /**
   * Records a batch, in order, with one write to the log (its lines written by the encoder
   * thread when it is large). Row i's request id must be `<batchId>-<i>`: the history indexes the
   * batch once by its id, and the encoder thread rebuilds the ids from it.
   */
  async recordBatch(batchId: string, entries: readonly PredictionLogEntry[]): Promise<void> {
    const clash = this.inFlight.clash({ batchId, count: entries.length }) ?? this.history.heldBatchId(batchId, entries.length);
    if (clash !== null) throw new RequestIdInUse(clash);
    this.inFlight.claimBatch(batchId, entries.length);
    try {
      await this.predictionLog.write(this.batchEncoder.encode(batchId, entries));
    } catch (err) {
      throw new RecordNotWritten(`the batch of ${entries.length} predictions`, err as Error);
    } finally {
      this.inFlight.releaseBatch(batchId);
    }
    this.history.addBatch(batchId, entries);
  }

  /** Records an outcome (one of the target's labels) once per served prediction; only a 'recorded' outcome is written. */
  async recordOutcome(requestId: string, actual: string, timestamp: string, source: OutcomeSource): Promise<LabelOutcome> {
    const [outcome] = await this.recordOutcomes([{ request_id: requestId, actual }], timestamp, source);
    return outcome;
  }

  async recordOutcomeOf(requestId: string, actual: string, timestamp: string, source: OutcomeSource): Promise<RecordedOutcome> {
    const outcome = await this.recordOutcome(requestId, actual, timestamp, source);
    const entry = this.history.get(requestId)?.entry;
    return { outcome, served: entry ? { prediction: entry.prediction, model_version: entry.model_version } : null };
  }

  /**
   * Records outcomes with one write for all of them. Each is labelled at once (so a concurrent
   * second outcome for the same id is a duplicate), and taken back if the write fails.
   */
  async recordOutcomes(items: readonly OutcomeItem[], timestamp: string, source: OutcomeSource): Promise<LabelOutcome[]> {
    const anonymous = source === 'anonymous';
    const labels = items.map((item) => {
      const label = this.schema.outcomeOf(item.actual);
      if (label === null) throw new Error(`'${item.actual}' is not a label of ${this.schema.target.name}`);
      return label;
    });
    const outcomes = items.map((item, i) => this.history.label(item.request_id, labels[i], anonymous));
    const lines: string[] = [];
    items.forEach((item, i) => {
      if (outcomes[i] !== 'recorded') return;
      const line: FeedbackLogEntry = { request_id: item.request_id, actual: item.actual, timestamp, trusted: !anonymous };
      lines.push(JSON.stringify(line));
    });
    if (lines.length === 0) return outcomes;
    try {
      await this.feedbackLog.appendEncodedLines(encodeLines(lines));
    } catch (err) {
      items.forEach((item, i) => outcomes[i] === 'recorded' && this.history.unlabel(item.request_id));
      throw new RecordNotWritten(lines.length === 1 ? 'the outcome' : `the ${lines.length} outcomes`, err as Error);
    }
    return outcomes;
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

/** A typical inference.log line (bank marketing, 19 features), for an estimate before any was written. */
const TYPICAL_LINE_BYTES = 420;

function meanLineBytes(entries: readonly PredictionLogEntry[]): number {
  if (entries.length === 0) return TYPICAL_LINE_BYTES;
  const sample = entries.slice(-100);
  return sample.reduce((sum, entry) => sum + Buffer.byteLength(predictionLogLine(entry)) + 1, 0) / sample.length;
}

/**
 * A warning when the logs kept (LOG_MAX_BYTES x (LOG_KEEP + 1)) hold fewer predictions than the
 * history: after a restart the history is rebuilt from them, so the rest are forgotten.
 */
export function logsShortOfHistory(rotation: RotationPolicy, historySize: number, lineBytes: number): string | null {
  const kept = Math.floor((rotation.maxBytes * (rotation.keep + 1)) / lineBytes);
  if (kept >= historySize) return null;
  return (
    `the logs kept (LOG_MAX_BYTES ${rotation.maxBytes} x (LOG_KEEP ${rotation.keep} + 1)) hold about ${kept} predictions of ~${Math.round(lineBytes)} bytes, ` +
    `fewer than HISTORY_SIZE (${historySize}): after a restart older predictions are forgotten and feedback for them is 404`
  );
}
