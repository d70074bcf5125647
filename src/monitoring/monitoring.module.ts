import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { DecisionMetrics } from './decision-metrics';
import { DriftService } from './drift.service';
import { MetricsService } from './metrics.service';
import { MonitoringController } from './monitoring.controller';
import { MonitoringStatusService } from './monitoring-status.service';
import { PerformanceService } from './performance.service';
import { StorageHealthService } from './storage-health.service';

/** Read-only judgement of what is served: drift, live performance, one status, storage health, Prometheus metrics. */
@Module({
  imports: [ModelRegistryModule, PredictionsModule],
  controllers: [MonitoringController],
  providers: [DriftService, PerformanceService, MonitoringStatusService, MetricsService, DecisionMetrics, StorageHealthService],
  exports: [DriftService, PerformanceService, MonitoringStatusService, MetricsService, DecisionMetrics, StorageHealthService],
})
export class MonitoringModule {}
