import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { MODEL_SPEC_PRESETS, ModelSpec, parseModelSpecOption } from '../training/model-spec';
import { failCommand, formatMetric, formatTable, parseIntegerOption } from './cli-output';

interface TrainOptions {
  data?: string;
  seed?: number;
  storage?: string;
  activate?: boolean;
  model?: ModelSpec;
}

const METRICS = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score'] as const;

@Command({ name: 'train', description: 'Train a new model version from a CSV file and make it active' })
export class TrainCommand extends CommandRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ModelRegistryService,
  ) {
    super();
  }

  async run(_args: string[], options: TrainOptions = {}): Promise<void> {
    try {
      const result = await this.registry.trainVersion({
        dataFile: options.data ?? this.config.dataFile,
        seed: options.seed ?? this.config.seed,
        storageDir: options.storage,
        activate: options.activate !== false,
        reason: 'cli train',
        spec: options.model,
      });
      const m = result.metadata;
      const lines = [
        `trained ${m.version} in ${result.storageDir}${result.activated ? ' (now active)' : ' (not activated)'}`,
        `data: ${m.data_file} (${m.rows.total} rows, sha256 ${m.data_sha256?.slice(0, 12)}...)`,
        `split (seed ${m.seed}): train ${m.rows.train}, validation ${m.rows.validation}, test ${m.rows.test}`,
        `model: ${JSON.stringify(m.params.spec)}, threshold ${formatMetric(m.params.threshold as number)}`,
        '',
        formatTable(
          ['metric', 'validation', 'test'],
          METRICS.map((k) => [k, formatMetric(m.metrics.validation[k]), formatMetric(m.metrics.test[k])]),
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    } catch (err) {
      failCommand(err);
    }
  }

  @Option({ flags: '--data <file>', description: 'CSV file to train on (default: DATA_FILE)' })
  parseData(value: string): string {
    return value;
  }

  @Option({ flags: '--seed <n>', description: 'Seed of the train/validation/test split (default: SEED)' })
  parseSeed(value: string): number {
    return parseIntegerOption('--seed', value, 0, 2 ** 32 - 1);
  }

  @Option({ flags: '--storage <dir>', description: 'Storage folder (default: STORAGE_DIR)' })
  parseStorage(value: string): string {
    return value;
  }

  @Option({
    flags: '--model <spec>',
    description: `What to fit: a preset (${Object.keys(MODEL_SPEC_PRESETS).join(', ')}) or a JSON spec with encoding, class_weight, C, calibration and optional features (default: original)`,
  })
  parseModel(value: string): ModelSpec {
    return parseModelSpecOption(value);
  }

  @Option({ flags: '--no-activate', description: 'Save the new version without making it active' })
  parseNoActivate(): boolean {
    return false;
  }
}
