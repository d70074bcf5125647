import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { stratifiedSplit } from '../preprocessing/stratified-split';
import { fitModelSpec } from './fit-model-spec';
import { TrainingDataError } from './logistic-regression';
import { MODEL_SPEC_PRESETS, ModelSpec, ModelSpecError } from './model-spec';
import { trainModel } from './training-pipeline';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

describe('fitModelSpec (one candidate of a search)', () => {
  let dataset: Dataset;
  const split = () => stratifiedSplit(dataset.labels, 42);
  const fit = (spec: ModelSpec, more: { calibrationRows?: number[]; trainRows?: number[] } = {}) =>
    fitModelSpec({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, trainRows: split().train, spec, ...more });

  beforeAll(async () => {
    dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
  });

  it("is trainModel's model and preprocessor, without its metrics and statistics", () => {
    const spec: ModelSpec = { ...MODEL_SPEC_PRESETS.one_hot, calibration: 'platt' };
    const candidate = fit(spec, { calibrationRows: split().validation });
    const trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42, spec });
    expect(candidate.model.toJSON()).toEqual(trained.model.toJSON());
    expect(candidate.preprocessor.toJSON()).toEqual(trained.preprocessor.toJSON());
    expect(candidate.solver).toEqual(trained.solver);
  });

  it('needs calibration rows for platt and isotonic, none of them a training row', () => {
    const isotonic: ModelSpec = { ...MODEL_SPEC_PRESETS.one_hot, calibration: 'isotonic' };
    expect(() => fit(isotonic)).toThrow('isotonic calibration needs calibration rows');
    expect(() => fit(isotonic, { calibrationRows: [split().train[0]] })).toThrow(`calibration row ${split().train[0]} is a training row`);
    expect(() => fit(isotonic, { calibrationRows: [-1] })).toThrow('calibration row -1 is not a row index');
  });

  it('refuses a spec the parser would refuse', () => {
    expect(() => fit({ ...MODEL_SPEC_PRESETS.one_hot, C: Number.NaN })).toThrow(ModelSpecError);
  });

  it("refuses a feature that is not the schema's, naming the schema's features", () => {
    expect(() => fit({ ...MODEL_SPEC_PRESETS.one_hot, features: ['age', 'duration'] })).toThrow(
      `model spec: features: 'duration' is not a feature (features: ${BANK_SCHEMA.featureNames.join(', ')})`,
    );
  });

  it('throws TrainingDataError for training rows of one class', () => {
    const noes = split().train.filter((i) => dataset.labels[i] === 0);
    expect(() => fit(MODEL_SPEC_PRESETS.one_hot, { trainRows: noes })).toThrow(TrainingDataError);
  });
});
