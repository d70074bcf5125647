import { Command, CommandRunner } from 'nest-commander';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { HealingService } from '../monitoring/healing/healing.service';
import { failCommand, formatMetric } from './cli-output';

@Command({
  name: 'heal',
  description: 'Run the healing loop once over the logged predictions and outcomes (a running server follows within 2 s)',
})
export class HealCommand extends CommandRunner {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly healing: HealingService,
  ) {
    super();
  }

  async run(): Promise<void> {
    try {
      await this.registry.loadActiveAtStart(false);
      const outcome = await this.healing.run('cli');
      const lines = [`${outcome.action}: ${outcome.reason}`, `active: ${outcome.active ?? 'none'}`];
      if (outcome.gate) {
        const { champion, challenger } = outcome.gate;
        lines.push(
          `holdout (${champion.n} rows): champion ${outcome.champion} ROC-AUC ${formatMetric(champion.roc_auc)} Brier ${formatMetric(champion.brier_score)}` +
            `, challenger ${outcome.challenger} ROC-AUC ${formatMetric(challenger.roc_auc)} Brier ${formatMetric(challenger.brier_score)}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    } catch (err) {
      failCommand(err);
    }
  }
}
