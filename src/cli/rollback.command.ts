import { Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../storage/postgres/database.module';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
import { failCommand } from './cli-output';

@Command(COMMANDS.rollback)
export class RollbackCommand extends CommandRunner {
  constructor(private readonly lifecycle: ModelLifecycle) {
    super();
  }

  async run(): Promise<void> {
    try {
      const state = await this.lifecycle.rollback({ actor: 'cli', reason: 'rollback requested on the command line' });
      process.stdout.write(`rolled back: ${state.active} is active again\n`);
    } catch (err) {
      failCommand(err);
    }
  }

  /** Applied before the command's modules are built (cli.ts): here only so commander accepts it. */
  @Option(STORAGE_OPTION)
  parseStorage(value: string): string {
    return value;
  }
}

@Module({ imports: [ConfigModule, DatabaseModule, ModelRegistryModule], providers: [RollbackCommand] })
export class RollbackCommandModule {}
