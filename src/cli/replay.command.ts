import { Module } from '@nestjs/common';
import * as path from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { POLICIES } from '../replay/replay-runner';
import { ReplayRequest, ReplayService } from '../replay/replay.service';
import { SCHEMA_OPTION, failCommand, formatMetric, formatTable, parseIntegerOption } from './cli-output';
import { COMMANDS } from './command-catalogue';
import { progressBar } from './progress-bar';

@Command(COMMANDS.replay)
export class ReplayCommand extends CommandRunner {
  constructor(private readonly replay: ReplayService) {
    super();
  }

  async run(_args: string[], options: ReplayRequest = {}): Promise<void> {
    try {
      const { report, out } = await this.replay.run(options, progressBar('replay'));
      const table = (rows: typeof report.after_first_chunk, meanChunkAuc?: typeof report.mean_chunk_roc_auc) =>
        formatTable(
          ['policy', 'roc_auc', 'brier', 'log_loss', 'f1', 'precision', 'recall', ...(meanChunkAuc ? ['mean_chunk_auc'] : [])],
          POLICIES.map((p) => {
            const m = rows[p];
            const values = [
              m?.roc_auc,
              m?.brier_score,
              m?.log_loss,
              m?.f1_score,
              m?.precision,
              m?.recall,
              ...(meanChunkAuc ? [meanChunkAuc[p]] : []),
            ];
            return [p, ...values.map((v) => formatMetric(v))];
          }),
        );
      process.stdout.write(
        [
          `replayed ${report.options.rows_replayed} rows in ${report.chunks.length} chunks (${(report.duration_ms / 1000).toFixed(1)} s, ${report.mode})`,
          '',
          'all replayed rows:',
          table(report.overall, report.mean_chunk_roc_auc),
          '',
          'after the first chunk (which every policy serves with the initial model):',
          table(report.after_first_chunk),
          '',
          `always_retrain_best = ${report.always_retrain_best.candidate} (${report.always_retrain_best.chosen_by})`,
          'targets:',
          ...report.targets.map((t) => `  ${t.met ? 'met ' : 'NOT '} ${t.target} (${formatMetric(t.value)})`),
          `decisions: ${report.decisions.map((d) => `chunk ${d.chunk + 1} ${d.action}${d.version ? ` ${d.version}` : ''}`).join(', ') || 'none'}`,
          `report: ${path.join(out, 'report.md')} (also report.json, chart.svg)`,
          '',
        ].join('\n'),
      );
    } catch (err) {
      failCommand(err);
    }
  }

  @Option(SCHEMA_OPTION)
  parseSchema(value: string): string {
    return value;
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

@Module({ imports: [ConfigModule], providers: [ReplayService, ReplayCommand] })
export class ReplayCommandModule {}
