import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { BatchResponseEncoder } from './batch-response/batch-response-encoder';
import { InferenceController } from './inference.controller';
import { PredictionService } from './prediction.service';
import { featureRowRulesProvider } from './feature-row-rules.provider';

/** Serving: scores requests with the active model and records each prediction. */
@Module({
  imports: [ModelRegistryModule, PredictionsModule, MonitoringModule],
  controllers: [InferenceController],
  providers: [featureRowRulesProvider, PredictionService, BatchResponseEncoder],
  exports: [PredictionService],
})
export class InferenceModule {}
