import { INestApplicationContext, Module, DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { InferenceModule } from '../inference/inference.module';
import { PredictionService } from '../inference/prediction.service';
import { MAX_BATCH_ROWS } from '../inference/dto/predict-batch.dto';
import { HealingModule } from '../healing/healing.module';
import { HealingService } from '../healing/healing.service';
import { ModelCatalog } from '../model-registry/model-catalog';
import { ModelLifecycle } from '../model-registry/model-lifecycle';
import { ModelRegistryModule } from '../model-registry/model-registry.module';
import { DriftService } from '../monitoring/drift.service';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { MonitoringStatusService } from '../monitoring/monitoring-status.service';
import { FeedbackService } from '../predictions/feedback/feedback.service';
import { PredictionStore } from '../predictions/prediction-store';
import { PredictionsModule } from '../predictions/predictions.module';
import { ReplayTarget, ServedRows, StepResult, toStepResult } from './replay-target';

/** The service's own modules (no HTTP), on the replay's scratch storage and clock. */
@Module({})
class ReplayServiceModule {
  static with(config: AppConfig, clock: Clock, schema: DatasetSchema): DynamicModule {
    return {
      module: ReplayServiceModule,
      imports: [
        ConfigModule.forConfig(config, clock, schema),
        ModelRegistryModule,
        PredictionsModule,
        MonitoringModule,
        HealingModule,
        InferenceModule,
      ],
    };
  }
}

/**
 * Drives the real services in this process: predictions go through the PredictionService the
 * HTTP API uses (validated and logged), outcomes through the FeedbackService, and each step runs
 * the HealingService with the production policy.
 */
export class InProcessTarget implements ReplayTarget {
  readonly mode = 'in-process' as const;
  private batches = 0;

  private constructor(private readonly app: INestApplicationContext) {}

  static async create(config: AppConfig, clock: Clock, schema: DatasetSchema): Promise<InProcessTarget> {
    const app = await NestFactory.createApplicationContext(ReplayServiceModule.with(config, clock, schema), { logger: false });
    return new InProcessTarget(app);
  }

  async start(
    initial: { records: FeatureRecord[]; labels: Uint8Array },
    seed: number,
    knownClasses: Record<string, readonly string[]>,
  ): Promise<string> {
    const metadata = await this.app
      .get(ModelLifecycle)
      .trainFromRows(initial, seed, `replay: initial champion on the first ${initial.records.length} rows`, 'auto', knownClasses);
    return metadata.version;
  }

  async predict(records: readonly FeatureRecord[]): Promise<ServedRows> {
    const predictions = this.app.get(PredictionService);
    const served: ServedRows = {
      requestIds: [],
      probabilities: new Float64Array(records.length),
      decisions: new Uint8Array(records.length),
      versions: [],
    };
    for (let start = 0; start < records.length; start += MAX_BATCH_ROWS) {
      const batch = await predictions.predictBatch(records.slice(start, start + MAX_BATCH_ROWS), `replay-${this.batches++}`);
      batch.entries.forEach((entry, i) => {
        // The logged probability, unrounded: what monitoring and the report both read.
        served.probabilities[start + i] = entry.probability;
        served.decisions[start + i] = entry.prediction;
        served.requestIds.push(entry.request_id);
        served.versions.push(entry.model_version);
      });
    }
    return served;
  }

  async sendOutcomes(requestIds: readonly string[], labels: Uint8Array): Promise<void> {
    const schema = this.app.get<DatasetSchema>(DATASET_SCHEMA);
    const items = requestIds.map((request_id, i) => ({ request_id, actual: schema.labelOf(labels[i] === 1 ? 1 : 0) }));
    // In process, the replay's own outcomes: trusted, so the loop heals on its own as in production with a token.
    const result = await this.app.get(FeedbackService).recordBatch(items, 'trusted');
    if (result.recorded !== items.length) throw new Error(`only ${result.recorded} of ${items.length} outcomes were recorded`);
  }

  async step(window: number): Promise<StepResult> {
    const drift = this.app.get(DriftService).report({ window });
    const status = this.app.get(MonitoringStatusService).status();
    const heal = await this.app.get(HealingService).run('auto');
    const challenger = heal.challenger ? await this.app.get(ModelCatalog).describe(heal.challenger) : null;
    return toStepResult(drift, status.status, heal, challenger?.metadata.params ?? null);
  }

  async close(): Promise<void> {
    await this.app.get(PredictionStore).flush();
    await this.app.close();
  }
}
