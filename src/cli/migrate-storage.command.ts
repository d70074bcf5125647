import { Inject, Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { connectWithRetry, describeUrl } from '../storage/postgres/connect';
import { copyStorageToDatabase } from '../storage/postgres/migrate-storage';
import { COMMANDS } from './command-catalogue';
import { SCHEMA_OPTION, failCommand } from './cli-output';
import { STORAGE_OPTION } from './storage-option';

interface MigrateStorageOptions {
  to?: string;
  storage?: string;
}

/** Copies a file storage into an empty PostgreSQL database, for a move to several replicas. */
@Command(COMMANDS['migrate-storage'])
export class MigrateStorageCommand extends CommandRunner {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
  ) {
    super();
  }

  async run(_args: string[], options: MigrateStorageOptions = {}): Promise<void> {
    try {
      const url = options.to ?? this.config.database.url;
      if (!url) throw new Error('--to <postgres://...> is required (or set DATABASE_URL)');
      const storageDir = options.storage ?? this.config.storageDir;
      const pool = await connectWithRetry({ url, poolSize: 2, timeoutSeconds: this.config.database.connectTimeoutSeconds });
      try {
        const s = await copyStorageToDatabase(storageDir, this.schema, pool, (line) => process.stdout.write(`  ${line}\n`));
        process.stdout.write(
          `copied ${storageDir} into ${describeUrl(url)}: ${s.versions} versions, registry ${s.registry ? 'state' : 'empty'}, ${s.events} events, ` +
            `${s.predictions} predictions (${s.skippedPredictions} lines skipped), ${s.outcomes} outcomes (${s.skippedOutcomes} skipped)\n`,
        );
      } finally {
        await pool.end();
      }
    } catch (err) {
      failCommand(err);
    }
  }

  @Option({ flags: '--to <url>', description: 'The empty PostgreSQL database to copy into (default: DATABASE_URL)' })
  parseTo(value: string): string {
    let url: URL | null = null;
    try {
      url = new URL(value);
    } catch {
      // stays null
    }
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || url.hostname === '') {
      throw new Error('--to must be a postgres:// URL such as postgres://user:password@host:5432/database');
    }
    return value;
  }

  @Option(STORAGE_OPTION)
  parseStorage(value: string): string {
    return value;
  }

  @Option(SCHEMA_OPTION)
  parseSchema(value: string): string {
    return value;
  }
}

@Module({ imports: [ConfigModule], providers: [MigrateStorageCommand] })
export class MigrateStorageCommandModule {}
