import { Module } from '@nestjs/common';
import { DataModule } from '../data/data.module';
import { PreprocessingService } from './preprocessing.service';

@Module({ imports: [DataModule], providers: [PreprocessingService], exports: [PreprocessingService] })
export class PreprocessingModule {}
