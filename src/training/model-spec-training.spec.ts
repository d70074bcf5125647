import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { stratifiedSplit } from '../preprocessing/stratified-split';
import { TrainingDataError } from './logistic-regression';
import { MODEL_SPEC_PRESETS, ModelSpec } from './model-spec';
import { TrainedModel, trainModel } from './training-pipeline';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

interface Scores {
  roc_auc: number;
  brier_score: number;
}
interface SklearnReference {
  coefficients: number[];
  intercept: number;
  test: Scores;
  platt: { a: number; b: number; test: Scores };
  isotonic: { y: number[]; test: Scores };
}

/*
 * References from /usr/bin/python3 with scikit-learn 1.2.1 (Debian python3-sklearn) on
 * data/bank-additional.csv, read with the csv module, on this project's split for seed 42
 * (stratifiedSplit's indices written to JSON and read back). Columns in schema order: each numeric
 * feature StandardScaler().fit(X[train]), each categorical one
 * OneHotEncoder(categories=[sorted(values of the whole file)]) (not scaled). Then
 *   lr = LogisticRegression(C=C, class_weight=None, solver='newton-cholesky', tol=1e-12).fit(X[train], y[train])
 * (newton-cg with tol=1e-12 agrees to 7e-9), its coef_, intercept_, and on the test rows
 * roc_auc_score and brier_score_loss of predict_proba; then for method in (sigmoid, isotonic)
 *   CalibratedClassifierCV(lr, cv='prefit', method=method).fit(X[validation], y[validation])
 * its calibrator's a_, b_ (sigmoid) or y_thresholds_ (isotonic), and the test scores of its predict_proba.
 */

/** All 19 features one-hot (62 columns), no class weights, C = 1. */
const ONE_HOT: SklearnReference = {
  coefficients: [
    0.10089773618936974, 0.2103142313815018, -0.18207120433426266, -0.06113631520385643, 0.1264235477870487, -0.2573787226779544,
    -0.2786640801081437, -0.4650873054550643, 0.15264884058774641, 0.008029786687292638, 0.2629840236569522, 0.3446992119986274,
    0.13923798568011028, -0.09994031565527196, -0.005802224377850732, 0.08374420790036437, 0.021998332132761932, -0.19142623939600223,
    0.03385865078803713, 0.07000445886537812, -0.11584900892942661, -0.1555070646961872, 0.03147402564236937, 0.015021882616051132,
    0.3124232951097827, -0.06384308098930908, 0.10420280276755951, -0.04035972177825408, 0.19411622747236695, -0.17599549577113208,
    -0.018120731701254323, 0.07696139850696859, -0.17599549577113208, 0.09903409726416428, 0.46553205664826797, -0.4655320566482766,
    -0.11467393392773972, -0.11925661539070916, 0.5042415234466038, -0.03565660989036854, 0.2062132194041143, 1.5131939688167144,
    -0.5686003365899592, -0.6346598672533301, -0.195573713949646, -0.5552276346656851, -0.034954313122632356, -0.09958168568863457,
    -0.012820781240471505, 0.03697079123478851, 0.1103859888169499, -0.1972243168111036, -0.11280864769678589, 0.04979369073125545,
    -0.5935318491770175, -0.00044456813732808164, 0.5939764173143499, -0.8487779249993509, 0.4369776746534548, 0.13776154309748787,
    0.4166782445717905, -0.5722271542750049,
  ],
  intercept: -2.555088204452729,
  test: { roc_auc: 0.751899592944369, brier_score: 0.08469076551797405 },
  platt: { a: -0.8891108621653832, b: 0.1491015119310192, test: { roc_auc: 0.751899592944369, brier_score: 0.08388556507455452 } },
  isotonic: {
    y: [
      0.0, 0.0, 0.023809523809523808, 0.023809523809523808, 0.0273972602739726, 0.0273972602739726, 0.05405405405405406,
      0.05405405405405406, 0.05474452554744526, 0.05474452554744526, 0.12612612612612611, 0.12612612612612611, 0.25, 0.25,
      0.42857142857142855, 0.42857142857142855, 0.46153846153846156, 0.46153846153846156, 0.6666666666666666, 0.6666666666666666, 0.75,
      0.75, 0.8, 0.8, 1.0,
    ],
    test: { roc_auc: 0.737774762550882, brier_score: 0.08671619070367566 },
  },
};

/** Six features (age, job, contact, month, poutcome, euribor3m: 29 columns) one-hot, no class weights, C = 0.5. */
const SUBSET: SklearnReference = {
  coefficients: [
    0.10503575448564159, 0.17927436656045997, -0.21731499185246964, -0.0741254847142697, 0.04029979104993537, -0.2439723421926909,
    -0.25702866515738454, -0.3932731295764546, 0.043340951558770414, 0.2333163887342483, 0.25154365160111086, 0.2648943022953897,
    0.1730451616933513, 0.1998284885682739, -0.1998284885682773, -0.5658768089056981, -0.16917074265443965, 0.4378655949412547,
    0.06331762509230712, 0.31809707274887083, 1.0025008267620932, -1.0256084590754904, -0.3928628139364538, 0.35193910754030294,
    -0.02020140251275374, -0.7153334760012041, -0.3989217827589951, 1.1142552587602002, -0.8493158853912223,
  ],
  intercept: -1.8954588551759384,
  test: { roc_auc: 0.7580461329715061, brier_score: 0.08382144056193373 },
  platt: { a: -0.9756785297969457, b: 0.0002936741938427205, test: { roc_auc: 0.7580461329715061, brier_score: 0.08375994966671618 } },
  isotonic: {
    y: [
      0.0, 0.0, 0.03571428571428571, 0.03571428571428571, 0.037037037037037035, 0.037037037037037035, 0.04316546762589928,
      0.04316546762589928, 0.06310679611650485, 0.06310679611650485, 0.19148936170212766, 0.19148936170212766, 0.21052631578947367,
      0.21052631578947367, 0.3333333333333333, 0.3333333333333333, 0.5, 0.5, 0.5555555555555556, 0.5555555555555556, 0.7058823529411765,
      0.7058823529411765, 1.0, 1.0,
    ],
    test: { roc_auc: 0.7537584803256445, brier_score: 0.08658100987299029 },
  },
};

const ONE_HOT_SPEC: ModelSpec = { encoding: 'one_hot', class_weight: 'none', C: 1, calibration: 'none' };
const SUBSET_SPEC: ModelSpec = { ...ONE_HOT_SPEC, C: 0.5, features: ['age', 'job', 'contact', 'month', 'poutcome', 'euribor3m'] };

describe('trainModel with a model spec', () => {
  let dataset: Dataset;
  let original: TrainedModel;
  const train = (spec: ModelSpec, more: Partial<Parameters<typeof trainModel>[0]> = {}) =>
    trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42, spec, ...more });

  beforeAll(async () => {
    dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
    original = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
  });

  describe.each<[string, ModelSpec, SklearnReference, number]>([
    ['one-hot, no class weights, C = 1', ONE_HOT_SPEC, ONE_HOT, 62],
    ['a one-hot feature subset, C = 0.5', SUBSET_SPEC, SUBSET, 29],
  ])('%s', (_label, spec, sklearn, columns) => {
    let none: TrainedModel;
    let platt: TrainedModel;
    let isotonic: TrainedModel;

    beforeAll(() => {
      none = train(spec);
      platt = train({ ...spec, calibration: 'platt' });
      isotonic = train({ ...spec, calibration: 'isotonic' });
    });

    // Measured: 2e-14 for the 62 columns; newton-cg and newton-cholesky themselves differ by 7e-9.
    it(`fits ${columns} columns to sklearn's coefficients and intercept (to 1e-6)`, () => {
      expect(none.preprocessor.columns).toHaveLength(columns);
      expect(none.model.columns).toEqual(none.preprocessor.columns);
      Array.from(none.model.coefficients).forEach((c, j) => expect(Math.abs(c - sklearn.coefficients[j])).toBeLessThan(1e-6));
      expect(Math.abs(none.model.intercept - sklearn.intercept)).toBeLessThan(1e-6);
      expect(none.solver.gradient_norm).toBeLessThan(1e-8);
      expect(none.solver.class_weights).toEqual({ 0: 1, 1: 1 });
    });

    it("reaches sklearn's test ROC-AUC and Brier score (to 1e-9), deciding at 0.5", () => {
      expect(Math.abs(none.metrics.test.roc_auc - sklearn.test.roc_auc)).toBeLessThan(1e-9);
      expect(Math.abs(none.metrics.test.brier_score - sklearn.test.brier_score)).toBeLessThan(1e-9);
      expect(none.model.threshold).toBe(0.5);
    });

    it("fits Platt's a and b on the validation rows to sklearn's (to 1e-4), with its test scores", () => {
      const map = platt.model.calibration!;
      expect(map.method).toBe('platt');
      if (map.method !== 'platt') return;
      expect(Math.abs(map.a - sklearn.platt.a)).toBeLessThan(1e-4);
      expect(Math.abs(map.b - sklearn.platt.b)).toBeLessThan(1e-4);
      expect(Math.abs(platt.metrics.test.roc_auc - sklearn.platt.test.roc_auc)).toBeLessThan(1e-9);
      expect(Math.abs(platt.metrics.test.brier_score - sklearn.platt.test.brier_score)).toBeLessThan(1e-6);
      // the same fit underneath: calibration changes no coefficient
      expect(Array.from(platt.model.coefficients)).toEqual(Array.from(none.model.coefficients));
    });

    it("fits sklearn's isotonic steps on the validation rows, with its test scores", () => {
      const map = isotonic.model.calibration!;
      expect(map.method).toBe('isotonic');
      if (map.method !== 'isotonic') return;
      expect(map.y).toHaveLength(sklearn.isotonic.y.length);
      map.y.forEach((y, i) => expect(Math.abs(y - sklearn.isotonic.y[i])).toBeLessThan(1e-12));
      expect(Math.abs(isotonic.metrics.test.roc_auc - sklearn.isotonic.test.roc_auc)).toBeLessThan(1e-9);
      expect(Math.abs(isotonic.metrics.test.brier_score - sklearn.isotonic.test.brier_score)).toBeLessThan(1e-6);
    });

    it('records the spec, the calibration and the rows it was fitted on in the params', () => {
      expect(none.params).toMatchObject({ spec, C: spec.C, class_weight: 'none', calibration: 'none', threshold: 0.5 });
      expect(none.params.calibration_rows).toBeUndefined();
      expect(platt.params).toMatchObject({ spec: { ...spec, calibration: 'platt' }, calibration: 'platt' });
      expect(platt.params.calibration_rows).toEqual({ source: 'validation', rows: 618 });
    });
  });

  describe('the original spec', () => {
    it('given explicitly, is the default to the bit', () => {
      const explicit = train(MODEL_SPEC_PRESETS.original);
      expect(explicit.model.toJSON()).toEqual(original.model.toJSON());
      expect(explicit.preprocessor.toJSON()).toEqual(original.preprocessor.toJSON());
      expect(explicit.params).toEqual(original.params);
    });

    it("the prior preset is healing's calibration 'prior'", () => {
      const viaSpec = train(MODEL_SPEC_PRESETS.prior);
      const viaShorthand = trainModel({
        schema: BANK_SCHEMA,
        records: dataset.records,
        labels: dataset.labels,
        seed: 42,
        calibration: 'prior',
      });
      expect(viaSpec.model.toJSON()).toEqual(viaShorthand.model.toJSON());
      expect(viaSpec.params).toEqual(viaShorthand.params);
    });

    it('refuses a spec and a calibration together', () => {
      expect(() => train(ONE_HOT_SPEC, { calibration: 'prior' })).toThrow('give a model spec or a calibration, not both');
    });
  });

  describe('calibration rows', () => {
    const split = () => stratifiedSplit(dataset.labels, 42);
    const isotonicSpec: ModelSpec = { ...ONE_HOT_SPEC, calibration: 'isotonic' };

    it('can be given: the map is fitted on them and the params say so', () => {
      const rows = split().test;
      const onTest = train(isotonicSpec, { calibrationRows: rows });
      expect(onTest.params.calibration_rows).toEqual({ source: 'given', rows: rows.length });
      expect(onTest.model.calibration).not.toEqual(train(isotonicSpec).model.calibration);
    });

    it('must be given with a given split (its validation part is the holdout), and must not be training rows', () => {
      expect(() => train(isotonicSpec, { split: split() })).toThrow(
        'a given split needs calibrationRows for platt or isotonic calibration (its validation part is the holdout)',
      );
      const trainRow = split().train[3];
      expect(() => train(isotonicSpec, { calibrationRows: [split().test[0], trainRow] })).toThrow(
        `calibration row ${trainRow} is a training row`,
      );
      expect(() => train(isotonicSpec, { calibrationRows: [dataset.records.length] })).toThrow(
        `calibration row ${dataset.records.length} is not a row index`,
      );
    });

    it('of one class make a candidate that cannot be fitted: TrainingDataError', () => {
      const noes = split().test.filter((i) => dataset.labels[i] === 0);
      let error: unknown;
      try {
        train(isotonicSpec, { calibrationRows: noes });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(TrainingDataError);
      expect((error as Error).message).toBe(`isotonic calibration needs both classes in its rows (0 of ${noes.length} "yes")`);
    });

    it('are not needed (nor recorded) for none and prior', () => {
      expect(train(ONE_HOT_SPEC, { split: split() }).params.calibration_rows).toBeUndefined();
    });
  });

  it('a class with too few rows is a TrainingDataError too', () => {
    const yes = dataset.labels.findIndex((y) => y === 1);
    const records = [...dataset.records.slice(0, 50), dataset.records[yes]];
    const labels = Uint8Array.from([...dataset.labels.slice(0, 50), 1].map((y, i) => (i < 50 ? 0 : y)));
    expect(() => trainModel({ schema: BANK_SCHEMA, records, labels, seed: 1, spec: ONE_HOT_SPEC })).toThrow(TrainingDataError);
  });
});
