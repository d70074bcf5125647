import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { DriftService } from './drift.service';
import { FeedbackController } from './feedback.controller';
import { FeedbackService } from './feedback.service';
import { HealingLoopService } from './healing/healing-loop.service';
import { HealingController } from './healing/healing.controller';
import { HealingService } from './healing/healing.service';
import { MetricsService } from './metrics.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringStatusService } from './monitoring-status.service';
import { PerformanceService } from './performance.service';
import { PredictionHistoryService } from './prediction-history.service';

@Module({
  imports: [ModelRegistryModule],
  controllers: [FeedbackController, MonitoringController, HealingController],
  providers: [
    PredictionHistoryService,
    DriftService,
    PerformanceService,
    MonitoringStatusService,
    FeedbackService,
    MetricsService,
    HealingService,
    HealingLoopService,
  ],
  exports: [
    PredictionHistoryService,
    DriftService,
    PerformanceService,
    MonitoringStatusService,
    MetricsService,
    HealingService,
    HealingLoopService,
  ],
})
export class MonitoringModule {}
