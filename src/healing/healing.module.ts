import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { ChallengerTrainer, WorkerChallengerTrainer } from './challenger-training';
import { HealingLoopService } from './healing-loop.service';
import { HealingRunMetrics } from './healing-run-metrics';
import { HealingController } from './healing.controller';
import { HealingService } from './healing.service';

/**
 * The self-healing policy and the loop that runs it: the only module that promotes, rejects or
 * rolls back on its own initiative (through the registry's lifecycle).
 */
@Module({
  imports: [ModelRegistryModule, PredictionsModule, MonitoringModule],
  controllers: [HealingController],
  providers: [HealingService, HealingLoopService, HealingRunMetrics, { provide: ChallengerTrainer, useClass: WorkerChallengerTrainer }],
  exports: [HealingService, HealingLoopService],
})
export class HealingModule {}
