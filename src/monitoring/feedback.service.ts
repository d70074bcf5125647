import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { FeedbackBatchResponseDto, FeedbackDto, FeedbackResponseDto } from './dto/feedback.dto';
import { PredictionHistoryService } from './prediction-history.service';

/** Outcomes of served predictions: each request id once, and only ids we served. */
@Injectable()
export class FeedbackService {
  constructor(private readonly predictions: PredictionHistoryService) {}

  record(feedback: FeedbackDto): FeedbackResponseDto {
    const recordedAt = new Date().toISOString();
    const outcome = this.predictions.recordOutcome(feedback.request_id, feedback.actual, recordedAt);
    if (outcome === 'unknown') {
      throw new NotFoundException(
        `no prediction with request_id '${feedback.request_id}' (unknown, or older than the last ${this.predictions.history.capacity} predictions)`,
      );
    }
    if (outcome === 'duplicate') {
      throw new ConflictException(`request_id '${feedback.request_id}' already has an outcome`);
    }
    const { entry } = this.predictions.history.get(feedback.request_id)!;
    return {
      request_id: feedback.request_id,
      actual: feedback.actual,
      prediction_label: entry.prediction === 1 ? 'yes' : 'no',
      model_version: entry.model_version,
      recorded_at: recordedAt,
    };
  }

  /** Records what it can; reports the ids it could not record rather than failing the batch. */
  recordBatch(items: readonly FeedbackDto[]): FeedbackBatchResponseDto {
    const result: FeedbackBatchResponseDto = { recorded: 0, unknown: [], duplicate: [] };
    const recordedAt = new Date().toISOString();
    for (const item of items) {
      const outcome = this.predictions.recordOutcome(item.request_id, item.actual, recordedAt);
      if (outcome === 'recorded') result.recorded++;
      else result[outcome].push(item.request_id);
    }
    return result;
  }
}
