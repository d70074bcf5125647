import { Module } from '@nestjs/common';
import { DataModule } from '../data/data.module';
import { PreprocessingModule } from '../preprocessing/preprocessing.module';
import { TrainingService } from './training.service';

@Module({ imports: [DataModule, PreprocessingModule], providers: [TrainingService], exports: [TrainingService] })
export class TrainingModule {}
