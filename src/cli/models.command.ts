import { Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../storage/postgres/database.module';
import { ModelCatalog } from '../model-registry/model-catalog';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
import { failCommand, formatMetric, formatTable } from './cli-output';

interface ModelsOptions {
  events?: boolean;
}

@Command(COMMANDS.models)
export class ModelsCommand extends CommandRunner {
  constructor(private readonly catalog: ModelCatalog) {
    super();
  }

  async run(_args: string[], options: ModelsOptions = {}): Promise<void> {
    try {
      if (options.events) {
        const events = await this.catalog.latestEvents(1000);
        const rows = events.map((e) => [
          e.time,
          e.type,
          e.actor,
          e.version ?? (e.from_version || e.to_version ? `${e.from_version ?? '-'} -> ${e.to_version ?? '-'}` : '-'),
          e.reason,
        ]);
        process.stdout.write(
          `${events.length === 0 ? 'no events yet' : formatTable(['time', 'event', 'actor', 'version', 'why'], rows)}\n`,
        );
        return;
      }
      const versions = await this.catalog.listVersions();
      if (versions.length === 0) {
        process.stdout.write('no versions yet: run `node dist/cli train`\n');
        return;
      }
      const rows = versions.map((v) => [
        v.version,
        v.status,
        v.created_at,
        v.parent_version ?? '-',
        String(v.rows.train),
        formatMetric(v.validation_metrics.roc_auc),
        formatMetric(v.validation_metrics.f1_score),
        v.reason,
      ]);
      process.stdout.write(
        `${formatTable(['version', 'status', 'created_at', 'parent', 'train rows', 'val roc_auc', 'val f1', 'reason'], rows)}\n`,
      );
    } catch (err) {
      failCommand(err);
    }
  }

  @Option({ flags: '--events', description: 'Show the audit trail of model decisions instead' })
  parseEvents(): boolean {
    return true;
  }

  /** Applied before the command's modules are built (cli.ts): here only so commander accepts it. */
  @Option(STORAGE_OPTION)
  parseStorage(value: string): string {
    return value;
  }
}

@Module({ imports: [ConfigModule, DatabaseModule, ModelRegistryModule], providers: [ModelsCommand] })
export class ModelsCommandModule {}
