import { BANK_SCHEMA } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { FeatureRecord } from '../data/dataset-schema';
import { Preprocessor } from '../preprocessing/preprocessor';
import { stratifiedSplit } from '../preprocessing/stratified-split';
import { MODEL_PARAMS, TrainedModel, trainModel } from './training-pipeline';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

/**
 * An independent Python run on data/bank-additional.csv: the csv module, mulberry32 and this split
 * re-implemented in Python (same indices), sklearn 1.2.1 LabelEncoder on all rows, StandardScaler
 * fitted on the train part, LogisticRegression(class_weight='balanced', C=1.0, solver='newton-cg',
 * tol=1e-10). Values printed with repr().
 */
const SKLEARN_COEFFICIENTS = [
  0.10641605199740965, 0.003167539385890239, 0.20133544967265626, 0.03078366532936258, 0.18787586797949896, -0.1164585186841901,
  0.011240345241284849, -0.9330627325861361, -0.11328464560151523, 0.026102759930582833, -0.19596947570197173, -0.13614610361898563,
  0.05660277532090322, 0.5941583721481483, -1.3685573702549234, 0.5804368454063903, 0.07027508141359798, 0.9916028734840776,
  -0.7135441134067095,
];
const SKLEARN_INTERCEPT = -0.5062252127540503;
/** sklearn metrics of that model on the test part (P > 0.5 predicts yes). */
const SKLEARN_TEST_METRICS = {
  accuracy: 0.8217179902755267,
  precision: 0.31932773109243695,
  recall: 0.5671641791044776,
  f1_score: 0.4086021505376344,
  roc_auc: 0.7521166892808684,
};

describe('trainModel', () => {
  let dataset: Dataset;
  let trained: TrainedModel;

  beforeAll(async () => {
    dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
    trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
  });

  describe('on data/bank-additional.csv with seed 42', () => {
    it('reaches the validation ROC-AUC cross-checked against sklearn (0.7692513368983958, to 1e-9)', () => {
      expect(Math.abs(trained.metrics.validation.roc_auc - 0.7692513368983958)).toBeLessThan(1e-9);
    });

    it("matches sklearn's coefficients and intercept (to 1e-6)", () => {
      const coefficients = Array.from(trained.model.coefficients);
      expect(coefficients).toHaveLength(19);
      coefficients.forEach((c, j) => expect(Math.abs(c - SKLEARN_COEFFICIENTS[j])).toBeLessThan(1e-6));
      expect(Math.abs(trained.model.intercept - SKLEARN_INTERCEPT)).toBeLessThan(1e-6);
    });

    it("matches sklearn's metrics on the test part (to 1e-9)", () => {
      for (const [name, value] of Object.entries(SKLEARN_TEST_METRICS)) {
        expect(Math.abs(trained.metrics.test[name as keyof typeof SKLEARN_TEST_METRICS] - value)).toBeLessThan(1e-9);
      }
    });

    it('splits 4119 rows 70 / 15 / 15 and records the counts', () => {
      expect(trained.rows).toEqual({
        total: 4119,
        train: trained.split.train.length,
        validation: trained.split.validation.length,
        test: trained.split.test.length,
      });
      // no: 3668 -> 2568 / 550 / 550, yes: 451 -> 316 / 68 / 67
      expect(trained.rows).toEqual({ total: 4119, train: 2884, validation: 618, test: 617 });
      expect(trained.split).toEqual(stratifiedSplit(dataset.labels, 42));
    });

    it('fits the preprocessor scalers on the training part only', () => {
      expect(trained.preprocessor.toJSON()).toEqual(Preprocessor.fit(BANK_SCHEMA, dataset.records, trained.split.train).toJSON());
      const all = Preprocessor.fit(
        BANK_SCHEMA,
        dataset.records,
        dataset.records.map((_, i) => i),
      );
      expect(trained.preprocessor.scalers.age.mean).not.toBe(all.scalers.age.mean);
    });

    it('solves the model to a gradient norm below 1e-8 with balanced class weights', () => {
      expect(trained.solver.gradient_norm).toBeLessThan(1e-8);
      // balanced: n / (2 * n_class) over the 2884 training rows (2568 no, 316 yes)
      expect(trained.solver.class_weights[0]).toBeCloseTo(2884 / (2 * 2568), 15);
      expect(trained.solver.class_weights[1]).toBeCloseTo(2884 / (2 * 316), 15);
    });

    it('evaluates validation and test with every metric, each in [0, 1]', () => {
      for (const part of [trained.metrics.validation, trained.metrics.test]) {
        for (const key of ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score', 'positive_rate'] as const) {
          expect(part[key]).toBeGreaterThanOrEqual(0);
          expect(part[key]).toBeLessThanOrEqual(1);
        }
      }
      expect(trained.metrics.validation.n).toBe(618);
      expect(trained.metrics.test.n).toBe(617);
      // balanced weights push recall well above the 11% base rate
      expect(trained.metrics.validation.recall).toBeGreaterThan(0.5);
    });

    it('decides at 0.5 and records its params: the estimator, the threshold, the calibration and the default split', () => {
      expect(trained.model.threshold).toBe(0.5);
      expect(trained.params).toEqual({
        ...MODEL_PARAMS,
        threshold: 0.5,
        calibration: 'balanced',
        split: { train: 0.7, validation: 0.15, test: 0.15, stratified: true },
      });
      expect(MODEL_PARAMS).toMatchObject({ C: 1, class_weight: 'balanced' });
    });

    it('computes reference statistics from the 2884 training rows and the 618 validation scores', () => {
      expect(trained.stats.n_reference).toBe(2884);
      expect(trained.stats.prediction.n).toBe(618);
      expect(Object.keys(trained.stats.numeric)).toHaveLength(9);
      expect(Object.keys(trained.stats.categorical)).toHaveLength(10);
    });
  });

  describe("calibration 'prior' (healing's challengers)", () => {
    let prior: TrainedModel;
    // 2884 training rows, 325 of them "yes" (the stratified split keeps the file's 451 / 4119 share).
    const trainYes = () => trained.split.train.filter((i) => dataset.labels[i] === 1).length;

    beforeAll(() => {
      prior = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42, calibration: 'prior' });
    });

    it('is balanced by default, as the seed (and sklearn) fit it', () => {
      expect(trained.params.calibration).toBe('balanced');
      expect(prior.params.calibration).toBe('prior');
      expect(prior.params.threshold).toBe(prior.model.threshold);
    });

    it("keeps the balanced fit's coefficients and moves the intercept by the log-odds of the training base rate", () => {
      const baseRate = trainYes() / trained.split.train.length;
      expect(Array.from(prior.model.coefficients)).toEqual(Array.from(trained.model.coefficients));
      expect(prior.model.intercept).toBeCloseTo(trained.model.intercept + Math.log(baseRate / (1 - baseRate)), 12);
      expect(prior.model.threshold).toBeCloseTo(baseRate, 15);
    });

    it('decides every row as the balanced model does, with the same ROC-AUC, F1, precision and recall', () => {
      const x = new Float64Array(19);
      for (const r of dataset.records) {
        const balanced = trained.model.probability(trained.preprocessor.transformInto(r, x)) > trained.model.threshold;
        const calibrated = prior.model.probability(prior.preprocessor.transformInto(r, x)) > prior.model.threshold;
        expect(calibrated).toBe(balanced);
      }
      for (const part of ['validation', 'test'] as const) {
        const { brier_score: _b, ...rest } = prior.metrics[part];
        const { brier_score: _c, ...expected } = trained.metrics[part];
        for (const [key, value] of Object.entries(expected)) expect(rest[key as keyof typeof rest]).toBeCloseTo(value, 12);
      }
    });

    it('gives probabilities near the base rate on average, so a much lower Brier score', () => {
      expect(prior.metrics.validation.brier_score).toBeLessThan(0.1);
      expect(trained.metrics.validation.brier_score).toBeGreaterThan(0.15);
      expect(prior.stats.prediction.n).toBe(trained.stats.prediction.n);
    });
  });

  describe('determinism', () => {
    it('gives bit-identical coefficients, intercept and metrics for the same seed', () => {
      const again = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
      const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
      expect(bits(again.model.coefficients)).toBe(bits(trained.model.coefficients));
      expect(Object.is(again.model.intercept, trained.model.intercept)).toBe(true);
      expect(again.metrics).toEqual(trained.metrics);
      expect(again.split).toEqual(trained.split);
      expect(again.stats).toEqual(trained.stats);
      expect(again.model.toJSON()).toEqual(trained.model.toJSON());
    });

    it('gives a different split and model for a different seed', () => {
      const other = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 7 });
      expect(other.split.train).not.toEqual(trained.split.train);
      expect(Array.from(other.model.coefficients)).not.toEqual(Array.from(trained.model.coefficients));
    });
  });

  describe('a precomputed split', () => {
    it('gives the same model as the default split when it is the seeded stratified split', () => {
      const given = trainModel({
        schema: BANK_SCHEMA,
        records: dataset.records,
        labels: dataset.labels,
        seed: 42,
        split: stratifiedSplit(dataset.labels, 42),
      });
      expect(given.model.toJSON()).toEqual(trained.model.toJSON());
      expect(given.metrics).toEqual(trained.metrics);
    });

    it('is recorded in the params as given, with its sizes', () => {
      const given = stratifiedSplit(dataset.labels, 7);
      const trainedOnGiven = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 7, split: given });
      expect(trainedOnGiven.params.split).toEqual({
        given: true,
        train: given.train.length,
        validation: given.validation.length,
        test: given.test.length,
      });
    });

    it('is used as given (train, validation and test rows)', () => {
      const split = stratifiedSplit(dataset.labels, 7);
      const given = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42, split });
      expect(given.split).toEqual(split);
      expect(given.rows.validation).toBe(split.validation.length);
      expect(given.preprocessor.toJSON()).toEqual(Preprocessor.fit(BANK_SCHEMA, dataset.records, split.train).toJSON());
    });
  });

  describe('bad input', () => {
    /** The first `yes` positive and `no` negative rows of the data file. */
    function subset(yes: number, no: number): { records: FeatureRecord[]; labels: Uint8Array } {
      const records: FeatureRecord[] = [];
      const labels: number[] = [];
      let y = 0;
      let n = 0;
      dataset.records.forEach((r, i) => {
        const label = dataset.labels[i];
        if (label === 1 ? y++ < yes : n++ < no) {
          records.push(r);
          labels.push(label);
        }
      });
      return { records, labels: Uint8Array.from(labels) };
    }

    it('throws a clear error when a class has fewer than 7 rows', () => {
      expect(() => trainModel({ schema: BANK_SCHEMA, ...subset(6, 200), seed: 42 })).toThrow(
        'needs at least 7 rows of each class, got 6 "yes" and 200 "no"',
      );
      expect(() => trainModel({ schema: BANK_SCHEMA, ...subset(50, 3), seed: 42 })).toThrow(
        'needs at least 7 rows of each class, got 50 "yes" and 3 "no"',
      );
    });

    it('throws the same clear error for data with one class only', () => {
      expect(() => trainModel({ schema: BANK_SCHEMA, ...subset(0, 100), seed: 42 })).toThrow(
        'needs at least 7 rows of each class, got 0 "yes" and 100 "no"',
      );
    });

    it('trains with exactly 7 rows of the smaller class', () => {
      const small = trainModel({ schema: BANK_SCHEMA, ...subset(7, 200), seed: 42 });
      expect(small.rows.total).toBe(207);
      expect(small.metrics.validation.n).toBeGreaterThan(0);
    });

    it('throws when records and labels differ in length', () => {
      expect(() => trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels.subarray(1), seed: 42 })).toThrow(
        'records and labels differ in length',
      );
    });
  });
});
