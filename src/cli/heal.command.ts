import { Module } from '@nestjs/common';
import { Command, CommandRunner } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { HealingModule } from '../healing/healing.module';
import { HealingService } from '../healing/healing.service';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { ServedState } from './served-state';
import { COMMANDS } from './command-catalogue';
import { failCommand, formatMetric } from './cli-output';

@Command(COMMANDS.heal)
export class HealCommand extends CommandRunner {
  constructor(
    private readonly served: ServedState,
    private readonly healing: HealingService,
  ) {
    super();
  }

  async run(): Promise<void> {
    try {
      await this.served.load();
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

@Module({ imports: [ConfigModule, ModelRegistryModule, PredictionsModule, HealingModule], providers: [ServedState, HealCommand] })
export class HealCommandModule {}
