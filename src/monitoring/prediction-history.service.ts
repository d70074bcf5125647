import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import * as path from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FeedbackLogEntry } from './feedback-log-entry';
import { AppendOnlyLog, RotationPolicy, rotatedFiles } from '../common/logs/append-only-log';
import { readLastLinesAcross } from '../common/logs/read-last-lines';
import { FeatureRecord } from '../data/dataset-schema';
import { LabelOutcome, PredictionHistory } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';

/**
 * Every prediction served and every outcome reported: appended to storage/logs/inference.log and
 * feedback.log (the durable record), and kept in a bounded in-memory history (what reports read).
 * At start the history is rebuilt from the logs' tails, so a restart loses no monitoring state.
 */
@Injectable()
export class PredictionHistoryService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PredictionHistoryService.name);
  private readonly predictionLog: AppendOnlyLog;
  private readonly feedbackLog: AppendOnlyLog;
  readonly history: PredictionHistory;
  private readonly rotation: RotationPolicy;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const logs = path.join(config.storageDir, 'logs');
    this.rotation = { maxBytes: config.logs.maxBytes, keep: config.logs.keep };
    this.predictionLog = new AppendOnlyLog(path.join(logs, 'inference.log'), this.rotation);
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
    this.predictionLog.appendLine(predictionLogLine(entry));
    this.history.add(entry);
  }

  /** Records many predictions, in order, with one write to the log. */
  recordMany(entries: readonly PredictionLogEntry[]): void {
    const lines = new Array<string>(entries.length);
    for (let i = 0; i < entries.length; i++) lines[i] = predictionLogLine(entries[i]);
    this.predictionLog.appendLines(lines);
    for (const entry of entries) this.history.add(entry);
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
    await Promise.all([this.predictionLog.close(), this.feedbackLog.close()]);
  }
}

/** JSON text of the category values seen (a few dozen: only known categories are served). */
const QUOTED = new Map<string, string>();
const MAX_QUOTED = 1024;

function quoted(value: string): string {
  let json = QUOTED.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    if (QUOTED.size < MAX_QUOTED) QUOTED.set(value, json);
  }
  return json;
}

/**
 * True when every feature has the type the line builder writes it as: a finite number or a string.
 * Spelled out rather than looped over the feature lists: a property read by name is cheaper.
 */
function hasLoggableInput(x: FeatureRecord): boolean {
  return (
    Number.isFinite(x.age) &&
    Number.isFinite(x.campaign) &&
    Number.isFinite(x.pdays) &&
    Number.isFinite(x.previous) &&
    Number.isFinite(x.emp_var_rate) &&
    Number.isFinite(x.cons_price_idx) &&
    Number.isFinite(x.cons_conf_idx) &&
    Number.isFinite(x.euribor3m) &&
    Number.isFinite(x.nr_employed) &&
    typeof x.job === 'string' &&
    typeof x.marital === 'string' &&
    typeof x.education === 'string' &&
    typeof x.default === 'string' &&
    typeof x.housing === 'string' &&
    typeof x.loan === 'string' &&
    typeof x.contact === 'string' &&
    typeof x.month === 'string' &&
    typeof x.day_of_week === 'string' &&
    typeof x.poutcome === 'string'
  );
}

/**
 * One inference.log line, equal to JSON.stringify(entry) for an entry of the interface's shape
 * whose input holds the 19 features in FEATURE_NAMES order (what PredictionService builds; the spec
 * checks the equality). The keys are written as literals, the category strings are quoted once and
 * remembered, the other strings go through JSON.stringify, so the escaping is exact: about a third
 * cheaper than JSON.stringify, line encoded and written included (most of the cost is formatting
 * the numbers and copying the text, which both pay). An entry with an unexpected value type falls
 * back to JSON.stringify(entry).
 */
export function predictionLogLine(entry: PredictionLogEntry): string {
  const { request_id, timestamp, model_version, prediction, probability, latency_ms } = entry;
  const x = entry.input;
  if (
    typeof request_id !== 'string' ||
    typeof timestamp !== 'string' ||
    typeof model_version !== 'string' ||
    !Number.isFinite(prediction) ||
    !Number.isFinite(probability) ||
    !Number.isFinite(latency_ms) ||
    typeof x !== 'object' ||
    x === null ||
    !hasLoggableInput(x)
  ) {
    return JSON.stringify(entry);
  }
  return (
    `{"request_id":${JSON.stringify(request_id)},"timestamp":${JSON.stringify(timestamp)},` +
    `"model_version":${quoted(model_version)},"input":{"age":${x.age},"job":${quoted(x.job)},` +
    `"marital":${quoted(x.marital)},"education":${quoted(x.education)},"default":${quoted(x.default)},` +
    `"housing":${quoted(x.housing)},"loan":${quoted(x.loan)},"contact":${quoted(x.contact)},` +
    `"month":${quoted(x.month)},"day_of_week":${quoted(x.day_of_week)},"campaign":${x.campaign},` +
    `"pdays":${x.pdays},"previous":${x.previous},"poutcome":${quoted(x.poutcome)},` +
    `"emp_var_rate":${x.emp_var_rate},"cons_price_idx":${x.cons_price_idx},"cons_conf_idx":${x.cons_conf_idx},` +
    `"euribor3m":${x.euribor3m},"nr_employed":${x.nr_employed}},"prediction":${prediction},` +
    `"probability":${probability},"latency_ms":${latency_ms}}`
  );
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
