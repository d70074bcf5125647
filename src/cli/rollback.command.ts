import { Command, CommandRunner } from 'nest-commander';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { failCommand } from './cli-output';

@Command({ name: 'rollback', description: 'Serve the previous active version again (a running server follows within 2 s)' })
export class RollbackCommand extends CommandRunner {
  constructor(private readonly registry: ModelRegistryService) {
    super();
  }

  async run(): Promise<void> {
    try {
      const state = await this.registry.rollback({ actor: 'cli', reason: 'rollback requested on the command line' });
      process.stdout.write(`rolled back: ${state.active} is active again\n`);
    } catch (err) {
      failCommand(err);
    }
  }
}
