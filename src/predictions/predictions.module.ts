import { Module } from '@nestjs/common';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { bindFeedbackDtos } from './feedback/feedback.dto';
import { FeedbackController } from './feedback/feedback.controller';
import { FeedbackService } from './feedback/feedback.service';
import { PredictionReader } from './prediction-reader';
import { PredictionRecordService } from './prediction-record.service';

/**
 * The record of what was served and what happened. Inference writes predictions and the feedback
 * endpoints write outcomes through PredictionRecordService; everyone else reads PredictionReader.
 */
@Module({
  controllers: [FeedbackController],
  providers: [
    PredictionRecordService,
    { provide: PredictionReader, useExisting: PredictionRecordService },
    FeedbackService,
    // The outcome DTO's rules come from the schema's target labels, before any request or the OpenAPI document.
    { provide: 'FEEDBACK_DTOS_BOUND', inject: [DATASET_SCHEMA], useFactory: (schema: DatasetSchema) => bindFeedbackDtos(schema) },
  ],
  exports: [PredictionRecordService, PredictionReader],
})
export class PredictionsModule {}
