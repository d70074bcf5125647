import { Module } from '@nestjs/common';
import { DriftCommand } from './cli/drift.command';
import { HealCommand } from './cli/heal.command';
import { ModelsCommand } from './cli/models.command';
import { PromoteCommand } from './cli/promote.command';
import { ReplayCommand } from './cli/replay.command';
import { RollbackCommand } from './cli/rollback.command';
import { TrainCommand } from './cli/train.command';
import { ConfigModule } from './config/config.module';
import { ModelRegistryModule } from './model-registry/model-registry.module';
import { MonitoringModule } from './monitoring/monitoring.module';

@Module({
  imports: [ConfigModule, ModelRegistryModule, MonitoringModule],
  providers: [TrainCommand, DriftCommand, ModelsCommand, PromoteCommand, RollbackCommand, HealCommand, ReplayCommand],
})
export class CliModule {}
