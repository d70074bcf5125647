import { Module } from '@nestjs/common';
import { TrainingModule } from '../training/training.module';
import { ModelRegistryService } from './model-registry.service';

@Module({ imports: [TrainingModule], providers: [ModelRegistryService], exports: [ModelRegistryService] })
export class ModelRegistryModule {}
