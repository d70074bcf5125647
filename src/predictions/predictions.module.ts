import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { Database } from '../storage/postgres/database';
import { PgPredictionRecord } from '../storage/postgres/pg-prediction-record';
import { bindFeedbackDtos } from './feedback/feedback.dto';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { PredictionReader } from './prediction-reader';
import { PredictionRecordService } from './prediction-record.service';
import { PredictionStore } from './prediction-store';
import { PredictionWriter } from './prediction-writer';

/**
 * The record of what was served and what happened: on files (PredictionRecordService), or on
 * PostgreSQL when DATABASE_URL is set. Inference and the feedback endpoints write through
 * PredictionStore; everyone else reads PredictionReader.
 */
@Module({
  controllers: [FeedbackController],
  providers: [
    {
      provide: PredictionStore,
      inject: [APP_CONFIG, DATASET_SCHEMA, { token: Database, optional: true }],
      useFactory: (config: AppConfig, schema: DatasetSchema, database: Database | null | undefined) =>
        database ? new PgPredictionRecord(config, schema, database) : new PredictionRecordService(config, schema),
    },
    // The file store's class, as tests and tools that know they run on files ask for it.
    { provide: PredictionRecordService, useExisting: PredictionStore },
    { provide: PredictionReader, useExisting: PredictionStore },
    { provide: PredictionWriter, useExisting: PredictionStore },
    FeedbackService,
    // The outcome DTO's rules come from the schema's target labels, before any request or the OpenAPI document.
    { provide: 'FEEDBACK_DTOS_BOUND', inject: [DATASET_SCHEMA], useFactory: (schema: DatasetSchema) => bindFeedbackDtos(schema) },
  ],
  exports: [PredictionStore, PredictionRecordService, PredictionReader, PredictionWriter],
})
export class PredictionsModule {}
