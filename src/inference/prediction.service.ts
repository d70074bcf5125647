import { BadRequestException, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { randomUUID } from 'node:crypto';
import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { FeatureRowRules } from '../data/feature-row-rules';
import { DATASET_SCHEMA } from '../data/schema-file';
import { ActiveModel } from '../model-registry/active-model';
import { LoadedModel } from '../model-registry/model-version';
import { MetricsService } from '../monitoring/metrics.service';
import { PredictionStore } from '../predictions/prediction-store';
import { PredictionLogEntry } from '../predictions/prediction-log-entry';
import { UnknownCategoryError } from '../preprocessing/preprocessor';
import { PredictResponseDto } from './dto/responses.dto';
import { BatchPredictions, TargetLabels, toResponse } from './prediction-response';
import { FEATURE_ROW_RULES } from './feature-row-rules.provider';
/** A batch with thousands of bad rows reports the first ones; the rest are like them. */
const MAX_REPORTED_PROBLEMS = 50;

/** Scores validated requests with the model active right now and logs each prediction served. */
@Injectable()
export class PredictionService {
  /**
   * Reused for every request: the model reads it synchronously, so sharing it is safe. Grown when
   * a model with more inputs (one-hot columns) is served; a longer buffer is fine for a narrower one.
   */
  private features: Float64Array;
  private readonly labels: TargetLabels;
  /** The last timestamp formatted, and its time in ms. */
  private lastMs = Number.NaN;
  private lastIso = '';

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly serving: ActiveModel,
    private readonly record: PredictionStore,
    private readonly metrics: MetricsService,
    @Inject(DATASET_SCHEMA) schema: DatasetSchema,
    @Inject(FEATURE_ROW_RULES) private readonly rules: FeatureRowRules,
  ) {
    this.features = new Float64Array(schema.features.length);
    this.labels = { positive: schema.target.positive, negative: schema.target.negative };
  }

  /** The active model, or a 503 that says how to get one. */
  activeModel(): LoadedModel {
    const active = this.serving.current();
    if (!active) throw new ServiceUnavailableException(`no model is available: ${this.serving.whyUnavailable()}`);
    return active;
  }

  /** Resolves once the prediction is recorded (see PredictionWriter): only then may it be answered. */
  async predict(record: FeatureRecord, requestId: string = randomUUID()): Promise<PredictResponseDto> {
    const started = performance.now();
    const active = this.activeModel();
    const probability = this.probabilityOf(active, record);
    if (typeof probability === 'string') throw new BadRequestException([probability]);
    const entry = this.entry(active, record, probability, requestId, started);
    await this.record.record(entry);
    this.metrics.countPrediction(entry.prediction === 1 ? this.labels.positive : this.labels.negative, active.version);
    return toResponse(entry, this.labels);
  }

  /**
   * Scores many rows with one model version, all or nothing: every row is validated (feature rules,
   * known categories) before any is logged or answered. Row i gets request id `<batchId>-<i>`.
   * Resolves with the logged entries once they are recorded; BatchResponseEncoder writes the answer from them.
   */
  async predictBatch(rows: readonly unknown[], batchId: string = randomUUID()): Promise<BatchPredictions> {
    const { batch, recorded } = this.scoreBatch(rows, batchId);
    await recorded;
    return batch;
  }

  /**
   * predictBatch's scoring, with the record's write still under way (`recorded`), so the answer
   * can be encoded meanwhile; it may be sent only once `recorded` resolves.
   */
  scoreBatch(rows: readonly unknown[], batchId: string = randomUUID()): { batch: BatchPredictions; recorded: Promise<void> } {
    const started = performance.now();
    const active = this.activeModel();
    const problems: string[] = [];
    const records = new Array<FeatureRecord>(rows.length);
    const probabilities = new Float64Array(rows.length);
    for (let i = 0; i < rows.length && problems.length < MAX_REPORTED_PROBLEMS; i++) {
      const row = rows[i];
      // The common case, a plain row of exactly the schema's valid features, is used as it is.
      if (this.rules.isExact(row)) {
        records[i] = row;
      } else {
        const rowProblems = this.rules.problems(row, `instances.${i}.`);
        if (rowProblems.length > 0) {
          problems.push(...rowProblems);
          continue;
        }
        records[i] = this.rules.toRecord(row as Record<string, unknown>);
      }
      // Scoring is pure, so a row is scored as it is checked; nothing is kept unless all pass.
      const probability = this.probabilityOf(active, records[i]);
      if (typeof probability === 'string') problems.push(`instances.${i}.${probability}`);
      else probabilities[i] = probability;
    }
    if (problems.length > 0) throw new BadRequestException(problems.slice(0, MAX_REPORTED_PROBLEMS));
    const entries = new Array<PredictionLogEntry>(records.length);
    let yes = 0;
    for (let i = 0; i < records.length; i++) {
      const entry = this.entry(active, records[i], probabilities[i], `${batchId}-${i}`, started);
      yes += entry.prediction;
      entries[i] = entry;
    }
    // One log write and two counter updates for the whole batch.
    const recorded = this.record.recordBatch(batchId, entries).then(() => {
      if (yes > 0) this.metrics.countPrediction(this.labels.positive, active.version, yes);
      if (yes < records.length) this.metrics.countPrediction(this.labels.negative, active.version, records.length - yes);
    });
    return { batch: { batchId, entries, model_version: active.version, labels: this.labels }, recorded };
  }

  /**
   * P(yes) of a valid record, or what is wrong with it: a category the model never saw, worded as
   * the preprocessor's UnknownCategoryError (the first one, in feature order). Encoding finds it,
   * so a known record is looked up once, not checked and then encoded.
   */
  private probabilityOf(active: LoadedModel, record: FeatureRecord): number | string {
    let features: Float64Array;
    if (this.features.length < active.preprocessor.width) this.features = new Float64Array(active.preprocessor.width);
    try {
      features = active.preprocessor.transformInto(record, this.features);
    } catch (err) {
      if (err instanceof UnknownCategoryError) return err.message;
      throw err;
    }
    return active.model.probability(features);
  }

  private entry(active: LoadedModel, record: FeatureRecord, probability: number, requestId: string, started: number): PredictionLogEntry {
    return {
      request_id: requestId,
      timestamp: this.timestamp(),
      model_version: active.version,
      input: record,
      prediction: probability > active.model.threshold ? 1 : 0,
      probability,
      latency_ms: performance.now() - started,
    };
  }

  /** The clock's time as an ISO string, formatted once per millisecond (a batch reads it per row). */
  private timestamp(): string {
    const now = this.clock.now();
    const ms = now.getTime();
    if (ms !== this.lastMs) {
      this.lastIso = now.toISOString();
      this.lastMs = ms;
    }
    return this.lastIso;
  }
}
