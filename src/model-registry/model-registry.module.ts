import { Module } from '@nestjs/common';
import { TrainingModule } from '../training/training.module';
import { ModelRegistryService } from './model-registry.service';
import { ModelsController } from './models.controller';

@Module({
  imports: [TrainingModule],
  controllers: [ModelsController],
  providers: [ModelRegistryService],
  exports: [ModelRegistryService],
})
export class ModelRegistryModule {}
