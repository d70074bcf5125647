import { Dataset } from '../data/dataset';
import { DatasetSchema } from '../data/dataset-schema';
import { stratifiedSplit } from '../preprocessing/stratified-split';
import { ModelSpec } from './model-spec';
import { TrainedModel, trainModel } from './training-pipeline';

/** Trains on rows with the seeded stratified split; platt / isotonic calibrate on its validation part. */
export function trainWithStandardSplit(
  schema: DatasetSchema,
  dataset: Pick<Dataset, 'records' | 'labels'>,
  seed: number,
  knownClasses: Readonly<Record<string, readonly string[]>> = {},
  spec?: ModelSpec,
): TrainedModel {
  const split = stratifiedSplit(dataset.labels, seed);
  return trainModel({
    schema,
    records: dataset.records,
    labels: dataset.labels,
    seed,
    split,
    knownClasses,
    spec,
    calibrationRows: split.validation,
  });
}
