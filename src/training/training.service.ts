import { Dataset } from '../data/dataset';
import { DatasetSchema } from '../data/dataset-schema';
import { runInWorker } from '../common/one-shot-worker';
import { workerScript } from '../common/worker-script';
import { FileTraining, FileTrainingJob, FileTrainingResult } from './file-training';
import { ModelSpec } from './model-spec';
import { trainedModelFromJson } from './trained-model-json';
import { TrainedModel } from './training-pipeline';
import { trainWithStandardSplit } from './standard-training';

/**
 * The training worker's young generation: Node 20's default (16 MiB semi-spaces; V8 counts three).
 * A data file's rows all live until the fit ends, so Node 24's young generation, sized from the
 * machine's memory (64 MiB semi-spaces on 24 GiB), only copies them further and touches more fresh
 * pages: the bank file trained 0.3 s slower with it, in 100 MiB more. Smaller sizes measured the same.
 * The old generation is the process's own (a worker inherits --max-old-space-size).
 */
const TRAINING_YOUNG_GENERATION_MB = 48;

/** Loads a data file and trains on it with the standard split; saving the result is the lifecycle's job. */
export class TrainingService {
  constructor(readonly schema: DatasetSchema) {}

  /**
   * In a worker thread of its own, so the fit never stalls the event loop, its heap is sized for
   * it, and the rows it loads are freed with the worker.
   */
  async trainFromFile(file: string, seed: number, spec?: ModelSpec): Promise<FileTraining> {
    const { dataSha256, trained } = await runInWorker<FileTrainingJob, FileTrainingResult>({
      script: workerScript(__dirname, 'training.worker'),
      job: { schema: this.schema.toJSON(), file, seed, spec },
      resourceLimits: { maxYoungGenerationSizeMb: TRAINING_YOUNG_GENERATION_MB },
      what: 'the training worker',
    });
    return { dataSha256, trained: trainedModelFromJson(trained, this.schema) };
  }

  train(
    dataset: Pick<Dataset, 'records' | 'labels'>,
    seed: number,
    knownClasses: Readonly<Record<string, readonly string[]>> = {},
    spec?: ModelSpec,
  ): TrainedModel {
    return trainWithStandardSplit(this.schema, dataset, seed, knownClasses, spec);
  }
}
