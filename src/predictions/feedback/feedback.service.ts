import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CLOCK, Clock } from '../../common/clock';
import { FeedbackBatchResponseDto, FeedbackDto, FeedbackResponseDto } from './feedback.dto';
import { PredictionStore } from '../prediction-store';
import { DatasetSchema } from '../../data/dataset-schema';
import { DATASET_SCHEMA } from '../../data/schema-file';
import { OutcomeSource } from '../prediction-writer';

/** Outcomes of served predictions: each request id once, and only ids we served. */
@Injectable()
export class FeedbackService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly predictions: PredictionStore,
    @Inject(DATASET_SCHEMA) private readonly schema: DatasetSchema,
  ) {}

  /** Resolves once the outcome is written (see PredictionWriter). */
  async record(feedback: FeedbackDto, source: OutcomeSource): Promise<FeedbackResponseDto> {
    const recordedAt = this.clock.now().toISOString();
    const { outcome, served } = await this.predictions.recordOutcomeOf(feedback.request_id, feedback.actual, recordedAt, source);
    if (outcome === 'unknown') {
      throw new NotFoundException(`no prediction with request_id '${feedback.request_id}' (${this.predictions.unknownIdHint})`);
    }
    if (outcome === 'duplicate') {
      throw new ConflictException(`request_id '${feedback.request_id}' already has an outcome`);
    }
    return {
      request_id: feedback.request_id,
      actual: feedback.actual,
      prediction_label: this.schema.labelOf(served!.prediction),
      model_version: served!.model_version,
      recorded_at: recordedAt,
    };
  }

  /** Records what it can; reports the ids it could not record rather than failing the batch. */
  async recordBatch(items: readonly FeedbackDto[], source: OutcomeSource): Promise<FeedbackBatchResponseDto> {
    const result: FeedbackBatchResponseDto = { recorded: 0, unknown: [], duplicate: [] };
    const outcomes = await this.predictions.recordOutcomes(items, this.clock.now().toISOString(), source);
    items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome === 'recorded') result.recorded++;
      else result[outcome].push(item.request_id);
    });
    return result;
  }
}
