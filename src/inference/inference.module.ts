import { Module, OnModuleInit } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { HealingLoopService } from '../monitoring/healing/healing-loop.service';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { BatchResponseEncoder } from './batch-response/batch-response-encoder';
import { InferenceController } from './inference.controller';
import { PredictionService } from './prediction.service';

@Module({
  imports: [ModelRegistryModule, MonitoringModule],
  controllers: [InferenceController],
  providers: [PredictionService, BatchResponseEncoder],
  exports: [PredictionService],
})
export class InferenceModule implements OnModuleInit {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly healingLoop: HealingLoopService,
  ) {}

  /**
   * Serving needs a model: load the active one (or train v1) before the server listens, then
   * follow promotions made by other processes and start the healing loop.
   */
  async onModuleInit(): Promise<void> {
    await this.registry.loadActiveAtStart();
    this.registry.followExternalChanges();
    this.healingLoop.start();
  }
}
