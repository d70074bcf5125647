import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { DatasetSchema } from '../data/dataset-schema';
import { stratifiedSplit } from '../preprocessing/stratified-split';
import { ModelSpec } from './model-spec';
import { TrainedModel, trainModel } from './training-pipeline';

export interface TrainingRun {
  dataset: Dataset;
  trained: TrainedModel;
}

/** Loads a data file and trains on it with the standard split; saving the result is the lifecycle's job. */
export class TrainingService {
  constructor(readonly schema: DatasetSchema) {}

  async trainFromFile(file: string, seed: number, spec?: ModelSpec): Promise<TrainingRun> {
    const dataset = await loadCsvDataset(file, this.schema);
    try {
      return { dataset, trained: this.train(dataset, seed, {}, spec) };
    } catch (err) {
      throw new Error(`${file}: cannot train: ${(err as Error).message}`, { cause: err });
    }
  }

  train(
    dataset: Pick<Dataset, 'records' | 'labels'>,
    seed: number,
    knownClasses: Readonly<Record<string, readonly string[]>> = {},
    spec?: ModelSpec,
  ): TrainedModel {
    const split = stratifiedSplit(dataset.labels, seed);
    // The seeded split, given so that platt / isotonic calibrate on its validation part.
    return trainModel({
      schema: this.schema,
      records: dataset.records,
      labels: dataset.labels,
      seed,
      split,
      knownClasses,
      spec,
      calibrationRows: split.validation,
    });
  }
}
