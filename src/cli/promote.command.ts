import { Command, CommandRunner } from 'nest-commander';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { failCommand } from './cli-output';

@Command({
  name: 'promote',
  arguments: '<version>',
  description: 'Make a version active (a running server follows within 2 s)',
})
export class PromoteCommand extends CommandRunner {
  constructor(private readonly registry: ModelRegistryService) {
    super();
  }

  async run([version]: string[]): Promise<void> {
    try {
      const state = await this.registry.promote(version, { actor: 'cli', reason: 'promotion requested on the command line' });
      process.stdout.write(`${state.active} is now active (previous: ${state.previous ?? 'none'})\n`);
    } catch (err) {
      failCommand(err);
    }
  }
}
