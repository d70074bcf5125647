import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import * as path from 'node:path';
import { AppendOnlyLog } from '../../common/logs/append-only-log';
import { databaseUnavailable } from '../../common/storage-fault';
import { AppConfig } from '../../config/app-config';
import { DatasetSchema } from '../../data/dataset-schema';
import { InFlightIds } from '../../predictions/in-flight-ids';
import { HistoryItem, LabelOutcome } from '../../predictions/prediction-history';
import { PredictionLogEntry } from '../../predictions/prediction-log-entry';
import { BatchLineEncoder } from '../../predictions/prediction-log/batch-line-encoder';
import { OrderedLogWriter } from '../../predictions/prediction-log/ordered-log-writer';
import { predictionLogLine } from '../../predictions/prediction-log/prediction-log-line';
import { PredictionStore, RecordedOutcome } from '../../predictions/prediction-store';
import { OutcomeItem, OutcomeSource } from '../../predictions/prediction-writer';
import { RecordNotWritten, RequestIdInUse } from '../../predictions/record-errors';
import { Database } from './database';
import { GroupCommit } from './group-commit';
import { insertOutcomes } from './outcome-sql';
import { PredictionMirror } from './prediction-mirror';
import { insertPredictionGroup } from './prediction-sql';

/** How often the mirror reads what other replicas committed (and the database is checked). */
const REFRESH_MS = 500;

/**
 * The prediction record on PostgreSQL, shared by the fleet. A prediction is confirmed (its 2xx
 * sent) only once its row is committed: requests are grouped into one transaction per group
 * (GroupCommit), at most DATABASE_MAX_PENDING_ROWS rows waiting. While the database is
 * unreachable, predictions and outcomes are refused at once with 503 (nothing is confirmed that
 * is not committed); the mirror's refresh notices its return, and recording resumes. Each replica
 * also appends what it confirmed to its own inference.log.
 */
export class PgPredictionRecord extends PredictionStore implements BeforeApplicationShutdown {
  private readonly logger = new Logger('PredictionRecord');
  private readonly commits: GroupCommit<PredictionLogEntry>;
  private readonly mirror: PredictionMirror;
  private readonly inFlight = new InFlightIds();
  private readonly predictionLogFile: AppendOnlyLog;
  private readonly predictionLog: OrderedLogWriter;
  private readonly batchEncoder: BatchLineEncoder;
  /** Why the database cannot be written now (set by a failed write or refresh, cleared by a success). */
  private databaseProblem: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private refreshAgain = false;

  constructor(
    config: AppConfig,
    private readonly schema: DatasetSchema,
    private readonly database: Database,
  ) {
    super();
    this.commits = new GroupCommit((requests) => insertPredictionGroup(database.pool, requests, database.replica), config.database.maxPendingRows);
    this.mirror = new PredictionMirror(database.pool, schema, config.monitoring.historySize, (m) => this.logger.warn(m), database.replica);
    const rotation = { maxBytes: config.logs.maxBytes, keep: config.logs.keep };
    this.predictionLogFile = new AppendOnlyLog(path.join(config.storageDir, 'logs', 'inference.log'), rotation);
    this.predictionLog = new OrderedLogWriter(this.predictionLogFile, (m) => this.logger.warn(m));
    this.batchEncoder = new BatchLineEncoder({}, (m) => this.logger.warn(m));
  }

  async load(): Promise<void> {
    const loaded = await this.mirror.load();
    if (loaded > 0) this.logger.log(`history loaded from the database: the fleet's last ${loaded} predictions`);
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
    this.timer.unref();
  }

  /** Reads what the fleet committed since the last refresh; one at a time, and once more if asked meanwhile. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        try {
          await this.mirror.refresh();
          this.databaseProblem = null;
        } catch (err) {
          this.noteFailure(err as Error);
        }
      } while (this.refreshAgain);
      this.refreshing = null;
    })();
    return this.refreshing;
  }

  get capacity(): number {
    return this.mirror.history.capacity;
  }

  /** The database holds every prediction of the fleet: an unknown id was never served. */
  get unknownIdHint(): string {
    return 'no replica served it';
  }

  latest(n: number): HistoryItem[] {
    return this.mirror.history.latest(n);
  }

  latestLabelled(n: number): HistoryItem[] {
    return this.mirror.history.latestLabelled(n);
  }

  between(from: string | null, to: string | null): HistoryItem[] {
    return this.mirror.history.between(from, to);
  }

  get(requestId: string): HistoryItem | undefined {
    return this.mirror.history.get(requestId);
  }

  writeProblem(): string | null {
    if (this.databaseProblem) return `the database cannot be reached: ${this.databaseProblem}`;
    const failure = this.predictionLogFile.lastFailure;
    return failure ? failure.message : null;
  }

  async record(entry: PredictionLogEntry): Promise<void> {
    const id = entry.request_id;
    if (this.inFlight.clash({ single: id }) !== null) throw new RequestIdInUse(id);
    this.refuseWhileDown('the prediction');
    this.inFlight.claimSingle(id);
    try {
      await this.commit([entry], 'the prediction');
    } finally {
      this.inFlight.releaseSingle(id);
    }
    this.mirror.addOwn(null, [entry]);
    await this.appendToLog(Buffer.from(`${predictionLogLine(entry)}\n`));
  }

  async recordBatch(batchId: string, entries: readonly PredictionLogEntry[]): Promise<void> {
    const clash = this.inFlight.clash({ batchId, count: entries.length });
    if (clash !== null) throw new RequestIdInUse(clash);
    this.refuseWhileDown(`the batch of ${entries.length} predictions`);
    this.inFlight.claimBatch(batchId, entries.length);
    try {
      await this.commit(entries, `the batch of ${entries.length} predictions`);
    } finally {
      this.inFlight.releaseBatch(batchId);
    }
    this.mirror.addOwn(batchId, entries);
    await this.appendToLog(this.batchEncoder.encode(batchId, entries));
  }

  async recordOutcomes(items: readonly OutcomeItem[], timestamp: string, source: OutcomeSource): Promise<LabelOutcome[]> {
    return (await this.writeOutcomes(items, timestamp, source)).map((r) => r.outcome);
  }

  async recordOutcomeOf(requestId: string, actual: string, timestamp: string, source: OutcomeSource): Promise<RecordedOutcome> {
    const [result] = await this.writeOutcomes([{ request_id: requestId, actual }], timestamp, source);
    return result;
  }

  private async writeOutcomes(items: readonly OutcomeItem[], timestamp: string, source: OutcomeSource): Promise<RecordedOutcome[]> {
    const what = items.length === 1 ? 'the outcome' : `the ${items.length} outcomes`;
    this.refuseWhileDown(what);
    const rows = items.map((item) => {
      const label = this.schema.outcomeOf(item.actual);
      if (label === null) throw new Error(`'${item.actual}' is not a label of ${this.schema.target.name}`);
      return { request_id: item.request_id, actual: item.actual, label };
    });
    let results: RecordedOutcome[];
    try {
      results = await insertOutcomes(this.database.pool, rows, timestamp, source === 'trusted', this.database.replica);
    } catch (err) {
      this.noteFailure(err as Error);
      throw new RecordNotWritten(what, err as Error);
    }
    // Seen here at once; the other replicas see them at their next refresh.
    results.forEach((r, i) => r.outcome === 'recorded' && this.mirror.history.label(rows[i].request_id, rows[i].label, source === 'anonymous'));
    return results;
  }

  private refuseWhileDown(what: string): void {
    if (this.databaseProblem) throw new RecordNotWritten(what, new Error(`the database cannot be reached (${this.databaseProblem})`));
  }

  private async commit(entries: readonly PredictionLogEntry[], what: string): Promise<void> {
    try {
      await this.commits.submit(entries);
    } catch (err) {
      if (err instanceof RequestIdInUse) throw err;
      this.noteFailure(err as Error);
      throw new RecordNotWritten(what, err as Error);
    }
  }

  /** The local copy: a failure shows on /health but does not take back what the database confirmed. */
  private async appendToLog(bytes: Buffer | Promise<Buffer>): Promise<void> {
    await this.predictionLog.write(bytes).catch((err: Error) => this.logger.warn(`inference.log: ${err.message}`));
  }

  /**
   * A failure that says the database is gone marks it down until a refresh succeeds (everything
   * is refused at once meanwhile); any other (a full queue, a statement that failed) only fails
   * its own requests.
   */
  private noteFailure(err: Error): void {
    if (databaseUnavailable(err) === null) {
      if (err.name !== 'QueueFull') this.logger.warn(`a write to the database failed: ${err.message}`);
      return;
    }
    if (this.databaseProblem === null) this.logger.error(`the database cannot be reached: ${err.message}`);
    this.databaseProblem = err.message.replace(/\s+/g, ' ');
  }

  async flush(): Promise<void> {
    await this.commits.flush();
    await this.predictionLog.flush();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.commits.flush();
    await this.refreshing;
    await this.predictionLog.close();
    await this.batchEncoder.close();
  }
}
