import { Inject, Injectable } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../common/atomic-file';
import { CLOCK, Clock, SimulatedClock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA, DEFAULT_SCHEMA_FILE } from '../data/schema-file';
import { formatTimestamp } from '../model-registry/model-version';
import { HttpTarget } from './http-target';
import { InProcessTarget } from './in-process-target';
import { ReplayReport, evaluateTargets, renderMarkdown, renderReplayChart } from './replay-report';
import { runReplay } from './replay-runner';
import { rowPeriods } from './replay-calendar';
import { ReplayTarget } from './replay-target';

export interface ReplayRequest {
  data?: string;
  initial?: number;
  chunk?: number;
  out?: string;
  storage?: string;
  seed?: number;
  limit?: number;
  url?: string;
}

export interface ReplayResult {
  report: ReplayReport;
  /** The folder holding report.json, report.md and chart.svg. */
  out: string;
}

/** The replay's simulated clock starts here (the data begins in May 2008). */
const REPLAY_EPOCH = new Date('2008-05-05T00:00:00.000Z');

/**
 * Replays a date-ordered data file through predict -> feedback -> heal, in this process (on a
 * scratch storage and a simulated clock) or against a running server, and writes the report.
 */
/** The dated full bank-marketing file: the default history to replay, and the one the absolute targets are for. */
const BANK_REPLAY_FILE = 'data/bank-additional-full.csv';

@Injectable()
export class ReplayService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATASET_SCHEMA) private readonly configuredSchema: DatasetSchema,
  ) {}

  async run(request: ReplayRequest, onProgress: (done: number, total: number) => void): Promise<ReplayResult> {
    const schema = this.configuredSchema;
    const schemaFile = this.config.dataSchemaFile;
    // The bank schema's default is its dated full file; another schema's, DATA_FILE.
    const dataFile = request.data ?? (schemaFile === DEFAULT_SCHEMA_FILE ? BANK_REPLAY_FILE : this.config.dataFile);
    const initial = request.initial ?? 10_000;
    const chunk = request.chunk ?? 2000;
    const seed = request.seed ?? this.config.seed;
    const out = request.out ?? path.join(this.config.storageDir, 'reports', `replay-${formatTimestamp(this.clock.now())}`);
    if (request.url && request.storage)
      throw new Error('--storage is for a replay in this process; with --url the server uses its own storage');
    if (request.url && !this.config.adminToken) throw new Error("replay --url needs ADMIN_TOKEN (the server's) to run heal steps");
    if (existsSync(path.join(out, 'report.json'))) throw new Error(`${out} already holds a replay (report.json): choose another --out`);
    // The replay trains and promotes its own initial champion, and rebuilds monitoring from the
    // storage's logs: in a storage already in use it would replace the active model, and a
    // second run into the same one would start with the first run's history (its figures
    // would mean nothing).
    const serviceStorage = request.url ? null : path.resolve(request.storage ?? path.join(out, 'service-storage'));
    const inUse = serviceStorage ? ['models', 'registry', 'logs'].find((part) => existsSync(path.join(serviceStorage, part))) : undefined;
    if (inUse) throw new Error(`${serviceStorage} already holds a service (${inUse}/): replay into a fresh --storage or --out`);

    const dataset = await loadCsvDataset(dataFile, schema);
    const limit = Math.min(request.limit ?? dataset.records.length, dataset.records.length);
    const { periods, method } = rowPeriods(schema, dataset);
    const data = {
      schema,
      records: dataset.records.slice(0, limit),
      labels: dataset.labels.slice(0, limit),
      periods: periods.slice(0, limit),
      calendarMethod: method,
    };
    if (data.records.length <= initial) {
      throw new Error(`${dataFile} has ${data.records.length} rows: --initial ${initial} leaves nothing to replay`);
    }
    mkdirSync(out, { recursive: true });

    let target: ReplayTarget | null = null;
    try {
      target = request.url
        ? new HttpTarget(request.url, this.config.adminToken, schema.target, this.config.feedbackToken)
        : await InProcessTarget.create(
            {
              ...this.config,
              storageDir: serviceStorage!,
              dataSchemaFile: schemaFile,
              autoTrain: false,
              healing: { ...this.config.healing, autoHeal: false },
            },
            new SimulatedClock(REPLAY_EPOCH),
            schema,
          );
      const started = performance.now();
      // always_retrain_best's candidates are the search's: the same spec presets as the policy's.
      const specs = this.config.healing.specs;
      const options = {
        initial,
        chunk,
        seed,
        calibration: this.config.healing.calibration,
        specs,
        search_windows: this.config.healing.searchWindows,
      };
      const figures = await runReplay(data, options, target, onProgress);
      const report: ReplayReport = {
        generated_at: this.clock.now().toISOString(),
        mode: target.mode,
        data_file: dataFile,
        data_sha256: dataset.sha256,
        policy: { ...this.config.healing, autoHeal: undefined, intervalSeconds: undefined },
        service_storage: serviceStorage,
        duration_ms: performance.now() - started,
        ...figures,
        // The absolute targets are the bank replay's; other histories meet the relative ones.
        targets: evaluateTargets(figures, { absolute: path.resolve(dataFile) === path.resolve(BANK_REPLAY_FILE) }),
      };
      await writeFileAtomic(path.join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeFileAtomic(path.join(out, 'report.md'), renderMarkdown(report));
      await writeFileAtomic(path.join(out, 'chart.svg'), renderReplayChart(report));
      return { report, out };
    } finally {
      await target?.close().catch(() => undefined);
    }
  }
}
