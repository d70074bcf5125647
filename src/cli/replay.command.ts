import { Inject } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { writeFileAtomic } from '../common/atomic-file';
import { SimulatedClock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { formatTimestamp } from '../model-registry/model-version';
import { HttpTarget } from '../replay/http-target';
import { InProcessTarget } from '../replay/in-process-target';
import { ReplayReport, evaluateTargets, renderMarkdown, renderReplayChart } from '../replay/replay-report';
import { POLICIES, runReplay } from '../replay/replay-runner';
import { ReplayTarget } from '../replay/replay-target';
import { failCommand, formatMetric, formatTable, parseIntegerOption } from './cli-output';
import { progressBar } from './progress-bar';

interface ReplayOptions {
  data?: string;
  initial?: number;
  chunk?: number;
  out?: string;
  storage?: string;
  seed?: number;
  limit?: number;
  url?: string;
}

/** The replay's simulated clock starts here (the data begins in May 2008). */
const REPLAY_EPOCH = new Date('2008-05-05T00:00:00.000Z');

@Command({
  name: 'replay',
  description: 'Replay a date-ordered data file through predict -> feedback -> heal, against static and always-retrain baselines',
})
export class ReplayCommand extends CommandRunner {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  async run(_args: string[], options: ReplayOptions = {}): Promise<void> {
    let target: ReplayTarget | null = null;
    try {
      const dataFile = options.data ?? 'data/bank-additional-full.csv';
      const initial = options.initial ?? 10_000;
      const chunk = options.chunk ?? 2000;
      const seed = options.seed ?? this.config.seed;
      const out = options.out ?? path.join(this.config.storageDir, 'reports', `replay-${formatTimestamp(new Date())}`);
      if (options.url && options.storage) throw new Error('--storage is for a replay in this process; with --url the server uses its own storage');
      if (options.url && !this.config.adminToken) throw new Error("replay --url needs ADMIN_TOKEN (the server's) to run heal steps");
      if (existsSync(path.join(out, 'report.json'))) throw new Error(`${out} already holds a replay (report.json): choose another --out`);
      // The replay trains and promotes its own initial champion, and rebuilds monitoring from the
      // storage's logs: in a storage already in use it would replace the active model, and a
      // second run into the same one would start with the first run's history (its figures
      // would mean nothing).
      const serviceStorage = options.url ? null : path.resolve(options.storage ?? path.join(out, 'service-storage'));
      const inUse = serviceStorage ? ['models', 'registry', 'logs'].find((part) => existsSync(path.join(serviceStorage, part))) : undefined;
      if (inUse) throw new Error(`${serviceStorage} already holds a service (${inUse}/): replay into a fresh --storage or --out`);

      const dataset = await loadCsvDataset(dataFile);
      const limit = Math.min(options.limit ?? dataset.records.length, dataset.records.length);
      const data = { records: dataset.records.slice(0, limit), labels: dataset.labels.slice(0, limit) };
      if (data.records.length <= initial) {
        throw new Error(`${dataFile} has ${data.records.length} rows: --initial ${initial} leaves nothing to replay`);
      }
      mkdirSync(out, { recursive: true });

      target = options.url
        ? new HttpTarget(options.url, this.config.adminToken)
        : await InProcessTarget.create(
            {
              ...this.config,
              storageDir: serviceStorage!,
              autoTrain: false,
              healing: { ...this.config.healing, autoHeal: false },
            },
            new SimulatedClock(REPLAY_EPOCH),
          );
      const started = performance.now();
      const figures = await runReplay(data, { initial, chunk, seed, calibration: this.config.healing.calibration }, target, progressBar('replay'));
      const report: ReplayReport = {
        generated_at: new Date().toISOString(),
        mode: target.mode,
        data_file: dataFile,
        data_sha256: dataset.sha256,
        policy: { ...this.config.healing, autoHeal: undefined, intervalSeconds: undefined },
        service_storage: serviceStorage,
        duration_ms: performance.now() - started,
        ...figures,
        targets: evaluateTargets(figures.overall),
      };
      await writeFileAtomic(path.join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      await writeFileAtomic(path.join(out, 'report.md'), renderMarkdown(report));
      await writeFileAtomic(path.join(out, 'chart.svg'), renderReplayChart(report));

      const o = report.overall;
      process.stdout.write(
        [
          `replayed ${report.options.rows_replayed} rows in ${report.chunks.length} chunks (${(report.duration_ms / 1000).toFixed(1)} s, ${report.mode})`,
          '',
          formatTable(
            ['policy', 'roc_auc', 'brier', 'f1', 'precision', 'recall'],
            POLICIES.map((p) => [p, formatMetric(o[p].roc_auc), formatMetric(o[p].brier_score), formatMetric(o[p].f1_score), formatMetric(o[p].precision), formatMetric(o[p].recall)]),
          ),
          '',
          `decisions: ${report.decisions.map((d) => `chunk ${d.chunk + 1} ${d.action}${d.version ? ` ${d.version}` : ''}`).join(', ') || 'none'}`,
          `report: ${path.join(out, 'report.md')} (also report.json, chart.svg)`,
          '',
        ].join('\n'),
      );
    } catch (err) {
      failCommand(err);
    } finally {
      await target?.close().catch(() => undefined);
    }
  }

  @Option({ flags: '--data <file>', description: 'Date-ordered CSV to replay (default data/bank-additional-full.csv)' })
  parseData(value: string): string {
    return value;
  }

  @Option({ flags: '--initial <n>', description: 'Rows the initial champion trains on (default 10000)' })
  parseInitial(value: string): number {
    return parseIntegerOption('--initial', value, 100, 10_000_000);
  }

  @Option({ flags: '--chunk <n>', description: 'Rows per replay step (default 2000)' })
  parseChunk(value: string): number {
    return parseIntegerOption('--chunk', value, 10, 1_000_000);
  }

  @Option({ flags: '--limit <n>', description: 'Use only the first N rows of the data' })
  parseLimit(value: string): number {
    return parseIntegerOption('--limit', value, 1, 100_000_000);
  }

  @Option({ flags: '--seed <n>', description: 'Seed of the initial split and of every fit (default SEED)' })
  parseSeed(value: string): number {
    return parseIntegerOption('--seed', value, 0, 2 ** 32 - 1);
  }

  @Option({ flags: '--out <dir>', description: 'Report folder (default STORAGE_DIR/reports/replay-<timestamp>)' })
  parseOut(value: string): string {
    return value;
  }

  @Option({ flags: '--storage <dir>', description: "Storage for the replay's service (default: <out>/service-storage, a scratch one)" })
  parseStorage(value: string): string {
    return value;
  }

  @Option({ flags: '--url <url>', description: 'Replay against a running server (needs ADMIN_TOKEN) instead of in-process' })
  parseUrl(value: string): string {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      return value;
    } catch {
      throw new Error(`--url must be an http(s) URL such as http://127.0.0.1:5000 (got '${value}')`);
    }
  }
}
