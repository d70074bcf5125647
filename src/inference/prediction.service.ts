import { BadRequestException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FEATURE_NAMES, FeatureRecord } from '../data/dataset-schema';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { LoadedModel } from '../model-registry/model-version';
import { PredictionLogService } from '../monitoring/prediction-log.service';
import { PredictResponseDto } from './dto/responses.dto';

const round4 = (p: number) => Math.round(p * 1e4) / 1e4;

/** Scores validated requests with the model active right now and logs each prediction served. */
@Injectable()
export class PredictionService {
  /** Reused for every request: the model reads it synchronously, so sharing it is safe. */
  private readonly features = new Float64Array(FEATURE_NAMES.length);

  constructor(
    private readonly registry: ModelRegistryService,
    private readonly predictionLog: PredictionLogService,
  ) {}

  /** The active model, or a 503 that says how to get one. */
  activeModel(): LoadedModel {
    const active = this.registry.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.registry.whyUnavailable()}`);
    return active;
  }

  predict(record: FeatureRecord, requestId: string = randomUUID()): PredictResponseDto {
    const started = process.hrtime.bigint();
    const active = this.activeModel();
    const unknown = active.preprocessor.findUnknownCategory(record);
    if (unknown) throw new BadRequestException([unknown.message]);
    const probability = active.model.probability(active.preprocessor.transformInto(record, this.features));
    const prediction = probability > active.model.threshold ? 1 : 0;
    const timestamp = new Date().toISOString();
    this.predictionLog.record({
      request_id: requestId,
      timestamp,
      model_version: active.version,
      input: record,
      prediction,
      probability,
      latency_ms: Number(process.hrtime.bigint() - started) / 1e6,
    });
    const yes = round4(probability);
    const no = round4(1 - probability);
    return {
      prediction,
      prediction_label: prediction === 1 ? 'yes' : 'no',
      prediction_proba: { no, yes },
      confidence: prediction === 1 ? yes : no,
      timestamp,
      model_version: active.version,
      request_id: requestId,
    };
  }
}
