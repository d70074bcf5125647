import { loadCsvDataset } from '../data/csv-dataset-loader';
import { DatasetSchema } from '../data/dataset-schema';
import { ModelSpec } from './model-spec';
import { TrainedModel } from './training-pipeline';
import { trainWithStandardSplit } from './standard-training';

/** A model trained on a data file, and the sha256 of the file's bytes it learned from. */
export interface FileTraining {
  dataSha256: string;
  trained: TrainedModel;
}

/** Loads a data file and trains on it with the standard split (what the training worker does). */
export async function trainOnFile(schema: DatasetSchema, file: string, seed: number, spec?: ModelSpec): Promise<FileTraining> {
  const dataset = await loadCsvDataset(file, schema);
  try {
    return { dataSha256: dataset.sha256, trained: trainWithStandardSplit(schema, dataset, seed, {}, spec) };
  } catch (err) {
    throw new Error(`${file}: cannot train: ${(err as Error).message}`, { cause: err });
  }
}
