import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { DecisionMetrics } from './decision-metrics';
import { DriftService } from './drift.service';
import { MetricsService } from './metrics.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringStatusService } from './monitoring-status.service';
import { PerformanceService } from './performance.service';

/** Read-only judgement of what is served: drift, live performance, one status, Prometheus metrics. */
@Module({
  imports: [ModelRegistryModule, PredictionsModule],
  controllers: [MonitoringController],
  providers: [DriftService, PerformanceService, MonitoringStatusService, MetricsService, DecisionMetrics],
  exports: [DriftService, PerformanceService, MonitoringStatusService, MetricsService, DecisionMetrics],
})
export class MonitoringModule {}
