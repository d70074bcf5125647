import { Module } from '@nestjs/common';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { MonitoringHistoryModule } from '../monitoring-history/monitoring-history.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { DashboardController } from './dashboard.controller';
import { DashboardData } from './dashboard-data';

/** The read-only web pages at /dashboard: they read monitoring, the registry, the predictions and the snapshot series, and change nothing. */
@Module({
  imports: [ModelRegistryModule, PredictionsModule, MonitoringModule, MonitoringHistoryModule],
  controllers: [DashboardController],
  providers: [DashboardData],
})
export class DashboardModule {}
