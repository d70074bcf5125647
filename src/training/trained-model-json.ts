import { DatasetSchema } from '../data/dataset-schema';
import { Preprocessor, PreprocessorJson } from '../preprocessing/preprocessor';
import { LogisticModel, LogisticModelJson } from './logistic-model';
import { TrainedModel } from './training-pipeline';

/** A TrainedModel as plain data, to cross a worker-thread boundary. */
export type TrainedModelJson = Omit<TrainedModel, 'model' | 'preprocessor'> & {
  model: LogisticModelJson;
  preprocessor: PreprocessorJson;
};

export function trainedModelToJson(trained: TrainedModel): TrainedModelJson {
  return { ...trained, model: trained.model.toJSON(), preprocessor: trained.preprocessor.toJSON() };
}

export function trainedModelFromJson(json: TrainedModelJson, schema: DatasetSchema): TrainedModel {
  const model = LogisticModel.fromJSON(json.model);
  const preprocessor = Preprocessor.fromJSON(json.preprocessor, schema);
  const mismatch = model.inputMismatch(preprocessor.columns);
  if (mismatch) throw new Error(`model: ${mismatch}`);
  return { ...json, model, preprocessor };
}
