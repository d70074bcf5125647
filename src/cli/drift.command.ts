import { Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { DriftService } from '../monitoring/drift.service';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { ServedState } from './served-state';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
import { FeatureDrift } from '../monitoring/drift/feature-drift';
import { SCHEMA_OPTION, failCommand, formatMetric, formatTable, parseIntegerOption } from './cli-output';

interface DriftOptions {
  window?: number;
}

function testColumns(f: FeatureDrift): [string, string] {
  return f.kind === 'numeric'
    ? [`KS ${formatMetric(f.ks_statistic, 3)}`, f.ks_p_value.toExponential(2)]
    : [`chi2 ${formatMetric(f.chi2_statistic, 1)}`, f.chi2_p_value.toExponential(2)];
}

@Command(COMMANDS.drift)
export class DriftCommand extends CommandRunner {
  constructor(
    private readonly served: ServedState,
    private readonly drift: DriftService,
  ) {
    super();
  }

  async run(_args: string[], options: DriftOptions = {}): Promise<void> {
    try {
      await this.served.load();
      const report = this.drift.report({ window: options.window });
      const lines = [
        `drift of the last ${report.window_size} predictions against the training data of ${report.reference_version}` +
          (report.window_start ? ` (${report.window_start} .. ${report.window_end})` : ''),
      ];
      if (report.verdict === 'insufficient_data') {
        lines.push(`verdict: insufficient_data (${report.window_size} predictions, at least ${report.min_window} needed)`);
      } else {
        lines.push(
          '',
          formatTable(
            ['feature', 'kind', 'psi', 'threshold', 'drifted', 'test', 'p-value'],
            report.features.map((f) => [
              f.feature,
              f.kind,
              formatMetric(f.psi),
              formatMetric(f.psi_threshold),
              f.drifted ? 'DRIFT' : '',
              ...testColumns(f),
            ]),
          ),
          '',
          `predictions: PSI ${formatMetric(report.prediction!.psi)} (threshold ${formatMetric(report.prediction!.psi_threshold)})` +
            `, positive rate ${formatMetric(report.prediction!.positive_rate)} vs ${formatMetric(report.prediction!.reference_positive_rate)}` +
            (report.prediction!.drifted ? ' DRIFT' : ''),
          `verdict: ${report.verdict}: ${report.n_drifted_features} of ${report.n_features} features drifted` +
            ` (dataset drift at ${report.drift_share * 100}%)${report.dataset_drift ? ', DATASET DRIFT' : ''}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    } catch (err) {
      failCommand(err);
    }
  }

  @Option(SCHEMA_OPTION)
  parseSchema(value: string): string {
    return value;
  }

  @Option({ flags: '--window <n>', description: 'How many of the latest predictions (default DRIFT_WINDOW)' })
  parseWindow(value: string): number {
    return parseIntegerOption('--window', value, 1, Number.MAX_SAFE_INTEGER);
  }

  /** Applied before the command's modules are built (cli.ts): here only so commander accepts it. */
  @Option(STORAGE_OPTION)
  parseStorage(value: string): string {
    return value;
  }
}

@Module({ imports: [ConfigModule, ModelRegistryModule, PredictionsModule, MonitoringModule], providers: [ServedState, DriftCommand] })
export class DriftCommandModule {}
