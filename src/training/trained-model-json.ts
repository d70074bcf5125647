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

export function trainedModelFromJson(json: TrainedModelJson): TrainedModel {
  return { ...json, model: LogisticModel.fromJSON(json.model), preprocessor: Preprocessor.fromJSON(json.preprocessor) };
}
