import { BadRequestException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FEATURE_NAMES, FeatureRecord } from '../data/dataset-schema';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { LoadedModel } from '../model-registry/model-version';
import { MetricsService } from '../monitoring/metrics.service';
import { PredictionHistoryService } from '../monitoring/prediction-history.service';
import { PredictBatchResponseDto } from './dto/predict-batch.dto';
import { PredictResponseDto } from './dto/responses.dto';
import { featureRecordProblems, toFeatureRecord } from './feature-rules';

const round4 = (p: number) => Math.round(p * 1e4) / 1e4;
/** A batch with thousands of bad rows reports the first ones; the rest are like them. */
const MAX_REPORTED_PROBLEMS = 50;

/** Scores validated requests with the model active right now and logs each prediction served. */
@Injectable()
export class PredictionService {
  /** Reused for every request: the model reads it synchronously, so sharing it is safe. */
  private readonly features = new Float64Array(FEATURE_NAMES.length);

  constructor(
    private readonly registry: ModelRegistryService,
    private readonly history: PredictionHistoryService,
    private readonly metrics: MetricsService,
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
    return this.score(active, record, requestId, started);
  }

  /**
   * Scores many rows with one model version, all or nothing: every row is validated (feature rules,
   * known categories) before any is scored or logged. Row i gets request id `<batchId>-<i>`.
   */
  predictBatch(rows: readonly unknown[], batchId: string = randomUUID()): PredictBatchResponseDto {
    const started = process.hrtime.bigint();
    const active = this.activeModel();
    const problems: string[] = [];
    const records = new Array<FeatureRecord>(rows.length);
    for (let i = 0; i < rows.length && problems.length < MAX_REPORTED_PROBLEMS; i++) {
      const rowProblems = featureRecordProblems(rows[i], `instances.${i}.`);
      if (rowProblems.length > 0) {
        problems.push(...rowProblems);
        continue;
      }
      records[i] = toFeatureRecord(rows[i] as Record<string, unknown>);
      const unknown = active.preprocessor.findUnknownCategory(records[i]);
      if (unknown) problems.push(`instances.${i}.${unknown.message}`);
    }
    if (problems.length > 0) throw new BadRequestException(problems.slice(0, MAX_REPORTED_PROBLEMS));
    const predictions = records.map((record, i) => this.score(active, record, `${batchId}-${i}`, started));
    return { predictions, model_version: active.version };
  }

  private score(active: LoadedModel, record: FeatureRecord, requestId: string, started: bigint): PredictResponseDto {
    const probability = active.model.probability(active.preprocessor.transformInto(record, this.features));
    const prediction = probability > active.model.threshold ? 1 : 0;
    const timestamp = new Date().toISOString();
    this.history.record({
      request_id: requestId,
      timestamp,
      model_version: active.version,
      input: record,
      prediction,
      probability,
      latency_ms: Number(process.hrtime.bigint() - started) / 1e6,
    });
    this.metrics.countPrediction(prediction === 1 ? 'yes' : 'no', active.version);
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
