import { Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../storage/postgres/database.module';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
import { failCommand } from './cli-output';

@Command(COMMANDS.promote)
export class PromoteCommand extends CommandRunner {
  constructor(private readonly lifecycle: ModelLifecycle) {
    super();
  }

  async run([version]: string[]): Promise<void> {
    try {
      const state = await this.lifecycle.promote(version, { actor: 'cli', reason: 'promotion requested on the command line' });
      process.stdout.write(`${state.active} is now active (previous: ${state.previous ?? 'none'})\n`);
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

@Module({ imports: [ConfigModule, DatabaseModule, ModelRegistryModule], providers: [PromoteCommand] })
export class PromoteCommandModule {}
