import { Module } from '@nestjs/common';
import { HealingModule } from '../healing/healing.module';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { MonitoringHistoryModule } from '../monitoring-history/monitoring-history.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { PredictionsModule } from '../predictions/predictions.module';
import { ServiceStartup } from './service-startup';

/** The server's start-up sequence; imported by AppModule only (never by the CLI or the replay). */
@Module({
  imports: [PredictionsModule, ModelRegistryModule, MonitoringModule, HealingModule, MonitoringHistoryModule],
  providers: [ServiceStartup],
})
export class StartupModule {}
