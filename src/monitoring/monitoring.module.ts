import { Module } from '@nestjs/common';
import { PredictionLogService } from './prediction-log.service';

@Module({ providers: [PredictionLogService], exports: [PredictionLogService] })
export class MonitoringModule {}
