import { Module } from '@nestjs/common';
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
  providers: [PredictionRecordService, { provide: PredictionReader, useExisting: PredictionRecordService }, FeedbackService],
  exports: [PredictionRecordService, PredictionReader],
})
export class PredictionsModule {}
