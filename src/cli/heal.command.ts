import { Module } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ConfigModule } from '../config/config.module';
import { HealingModule } from '../healing/healing.module';
import { HealingService } from '../healing/healing.service';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { ServedState } from './served-state';
import { COMMANDS } from './command-catalogue';
import { STORAGE_OPTION } from './storage-option';
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
      if (outcome.search) lines.push(`search: ${outcome.search.chosen.name} (${outcome.search.reason})`);
      if (outcome.gate) {
        const { champion, challenger, n, positives } = outcome.gate;
        const scores = (s: typeof champion) =>
          `ROC-AUC ${formatMetric(s.roc_auc)} Brier ${formatMetric(s.brier)} log loss ${formatMetric(s.log_loss)}`;
        lines.push(
          `holdout (${n} rows, ${positives} yes): champion ${outcome.champion} ${scores(champion)}, challenger ${outcome.challenger} ${scores(challenger)}`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
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

@Module({ imports: [ConfigModule, ModelRegistryModule, PredictionsModule, HealingModule], providers: [ServedState, HealCommand] })
export class HealCommandModule {}
