import { Inject, Module, Optional } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { fileModelRegistry } from '../model-registry/file-model-registry';
import { Database } from '../storage/postgres/database';
import { DatabaseModule } from '../storage/postgres/database.module';
import { describeUrl } from '../storage/postgres/connect';
import { pgModelRegistry } from '../storage/postgres/pg-model-registry';
import { MODEL_SPEC_PRESETS, ModelSpec, parseModelSpecOption } from '../training/model-spec';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
import { SCHEMA_OPTION, failCommand, formatMetric, formatTable, parseIntegerOption } from './cli-output';

interface TrainOptions {
  data?: string;
  seed?: number;
  storage?: string;
  activate?: boolean;
  model?: ModelSpec;
}

const METRICS = ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score'] as const;

@Command(COMMANDS.train)
export class TrainCommand extends CommandRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
    @Optional() @Inject(Database) private readonly database: Database | null,
  ) {
    super();
  }

  async run(_args: string[], options: TrainOptions = {}): Promise<void> {
    try {
      const storageDir = options.storage ?? this.config.storageDir;
      const activate = options.activate !== false;
      // With DATABASE_URL the fleet's registry is the database (every replica serves what is activated
      // there within a second); `--storage DIR` clears it (src/cli.ts) and names a file storage.
      const { lifecycle } = this.database
        ? pgModelRegistry(this.config, this.clock, this.schema, this.database)
        : fileModelRegistry({ ...this.config, storageDir }, this.clock, this.schema);
      const where = this.database ? `the database ${describeUrl(this.database.url)}` : storageDir;
      const m = await lifecycle.trainFromFile({
        dataFile: options.data ?? this.config.dataFile,
        seed: options.seed ?? this.config.seed,
        activate,
        reason: 'cli train',
        actor: 'cli',
        spec: options.model,
      });
      const lines = [
        `trained ${m.version} in ${where}${activate ? ' (now active)' : ' (not activated)'}`,
        `data: ${m.data_file} (${m.rows.total} rows, sha256 ${m.data_sha256?.slice(0, 12)}...), schema ${this.schema.label}`,
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

  @Option(SCHEMA_OPTION)
  parseSchema(value: string): string {
    return value;
  }

  @Option({ flags: '--seed <n>', description: 'Seed of the train/validation/test split (default: SEED)' })
  parseSeed(value: string): number {
    return parseIntegerOption('--seed', value, 0, 2 ** 32 - 1);
  }

  @Option(STORAGE_OPTION)
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

@Module({ imports: [ConfigModule, DatabaseModule], providers: [TrainCommand] })
export class TrainCommandModule {}
