import { Module } from '@nestjs/common';
import { TrainCommand } from './cli/train.command';
import { ConfigModule } from './config/config.module';
import { ModelRegistryModule } from './model-registry/model-registry.module';

@Module({
  imports: [ConfigModule, ModelRegistryModule],
  providers: [TrainCommand],
})
export class CliModule {}
