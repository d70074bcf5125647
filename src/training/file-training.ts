import { loadCsvDataset } from '../data/csv-dataset-loader';
import { DatasetSchema, SchemaFileJson } from '../data/dataset-schema';
import { ModelSpec } from './model-spec';
import { TrainedModelJson } from './trained-model-json';
import { TrainedModel } from './training-pipeline';
import { trainWithStandardSplit } from './standard-training';

/** A model trained on a data file, and the sha256 of the file's bytes it learned from. */
export interface FileTraining {
  dataSha256: string;
  trained: TrainedModel;
}

/** What the main thread posts to the training worker. */
export interface FileTrainingJob {
  /** The serving schema, as its file's JSON (rebuilt in the worker). */
  schema: SchemaFileJson;
  file: string;
  seed: number;
  spec?: ModelSpec;
}

/** What the training worker answers: the trained model as JSON, rebuilt on the main thread. */
export interface FileTrainingResult {
  dataSha256: string;
  trained: TrainedModelJson;
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
