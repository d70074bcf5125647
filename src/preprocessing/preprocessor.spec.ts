import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../data/testing/bank-schema';
import * as path from 'node:path';
import { editedCopy, shapeErrorOf as shapeErrorOfParse } from '../../test/support/shape-error';
import { ShapeError } from '../common/json-shape';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { FeatureRecord } from '../data/dataset-schema';
import { Preprocessor, PreprocessorJson, UnknownCategoryError } from './preprocessor';
import { stratifiedSplit } from './stratified-split';

import type { EditableJson } from '../../test/support/shape-error';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');

/** The first row of data/bank-additional.csv (duration dropped), with overrides. */
function record(overrides: Record<string, number | string> = {}): FeatureRecord {
  return {
    ...EXAMPLE_CLIENT,
    ...overrides,
  };
}

const position = (name: string) => BANK_SCHEMA.featureNames.indexOf(name as (typeof BANK_SCHEMA.featureNames)[number]);

/** Four rows; only rows 0 and 1 are "training" rows. Rows 2 and 3 hold extreme values and new categories. */
const RECORDS: FeatureRecord[] = [
  record({ age: 30, campaign: 1, job: 'services', marital: 'single' }),
  record({ age: 40, campaign: 3, job: 'admin.', marital: 'married' }),
  record({ age: 90, campaign: 50, job: 'student', marital: 'divorced' }),
  record({ age: 18, campaign: 40, job: 'admin.', marital: 'unknown', month: 'dec' }),
];
const TRAIN = [0, 1];

describe('Preprocessor', () => {
  describe('fit', () => {
    const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);

    it('fits the scalers on the training rows only (population std)', () => {
      expect(pre.scalers.age).toEqual({ mean: 35, scale: 5 });
      expect(pre.scalers.campaign).toEqual({ mean: 2, scale: 1 });
    });

    it('gives a numeric column that is constant on the training rows scale 1', () => {
      expect(pre.scalers.pdays).toEqual({ mean: 999, scale: 1 });
      expect(pre.scalers.nr_employed).toEqual({ mean: 5099.1, scale: 1 });
    });

    it('learns the encoder classes from every row, not just the training rows', () => {
      expect(pre.encoders.job.classes).toEqual(['admin.', 'services', 'student']);
      expect(pre.encoders.marital.classes).toEqual(['divorced', 'married', 'single', 'unknown']);
      expect(pre.encoders.month.classes).toEqual(['dec', 'may']);
      expect(pre.encoders.contact.classes).toEqual(['cellular']);
    });

    it('has an encoder for each categorical feature and a scaler for each numeric one', () => {
      expect(Object.keys(pre.encoders).sort()).toEqual([...BANK_SCHEMA.categoricalFeatures].sort());
      expect(Object.keys(pre.scalers).sort()).toEqual([...BANK_SCHEMA.numericFeatures].sort());
    });

    it('throws when there are no training rows', () => {
      expect(() => Preprocessor.fit(BANK_SCHEMA, RECORDS, [])).toThrow('cannot fit a preprocessor on no training rows');
    });
  });

  describe('transform', () => {
    const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);

    it('writes the 19 inputs in BANK_SCHEMA.featureNames order: codes unscaled, numbers standardised', () => {
      const x = pre.transform(RECORDS[2]);
      expect(x).toBeInstanceOf(Float64Array);
      expect(x).toHaveLength(19);
      expect(x[position('age')]).toBe((90 - 35) / 5);
      expect(x[position('campaign')]).toBe(50 - 2);
      expect(x[position('pdays')]).toBe(0);
      expect(x[position('job')]).toBe(2); // student
      expect(x[position('marital')]).toBe(0); // divorced
      expect(x[position('month')]).toBe(1); // may
      expect(x[position('contact')]).toBe(0);
      expect(x[position('emp_var_rate')]).toBe(0);
    });

    it('transforms the first training row to the expected vector', () => {
      const expected = BANK_SCHEMA.featureNames.map(() => 0);
      expected[position('age')] = -1;
      expected[position('campaign')] = -1;
      expected[position('job')] = 1; // services
      expected[position('marital')] = 2; // single
      expected[position('month')] = 1; // may
      expected[position('housing')] = 0; // only 'yes' seen
      expect(Array.from(pre.transform(RECORDS[0]))).toEqual(expected);
    });

    it('transformInto writes into and returns the buffer it is given', () => {
      const out = new Float64Array(19).fill(NaN);
      expect(pre.transformInto(RECORDS[1], out)).toBe(out);
      expect(out).toEqual(pre.transform(RECORDS[1]));
    });

    it('transformRows gives one row per record, or per index when indices are given', () => {
      expect(pre.transformRows(RECORDS)).toEqual(RECORDS.map((r) => pre.transform(r)));
      expect(pre.transformRows(RECORDS, [3, 0])).toEqual([pre.transform(RECORDS[3]), pre.transform(RECORDS[0])]);
    });

    it('throws an UnknownCategoryError that lists the allowed values', () => {
      const bad = record({ job: 'astronaut' });
      let error: unknown;
      try {
        pre.transform(bad);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(UnknownCategoryError);
      const unknown = error as UnknownCategoryError;
      expect(unknown.feature).toBe('job');
      expect(unknown.value).toBe('astronaut');
      expect(unknown.allowed).toEqual(['admin.', 'services', 'student']);
      expect(unknown.message).toBe("job must be one of: admin., services, student (got 'astronaut')");
    });
  });

  describe('findUnknownCategory', () => {
    const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);

    it('returns null when every category is known', () => {
      for (const r of RECORDS) expect(pre.findUnknownCategory(r)).toBeNull();
    });

    it('returns the first unknown category, in categorical feature order', () => {
      const error = pre.findUnknownCategory(record({ job: 'admin.', month: 'jan', marital: 'widowed' }));
      expect(error).toBeInstanceOf(UnknownCategoryError);
      expect(error!.feature).toBe('marital');
      expect(error!.message).toBe("marital must be one of: divorced, married, single, unknown (got 'widowed')");
    });

    it('reports a missing categorical field as unknown', () => {
      const { job: _job, ...withoutJob } = record({ job: 'admin.' });
      expect(pre.findUnknownCategory(withoutJob)?.feature).toBe('job');
    });
  });

  describe('JSON round trip', () => {
    it('writes preprocessor.json with the column roles, classes and scaler parameters', () => {
      const json = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN).toJSON();
      expect(json.feature_names).toEqual([...BANK_SCHEMA.featureNames]);
      expect(json.numeric_features).toEqual([...BANK_SCHEMA.numericFeatures]);
      expect(json.categorical_features).toEqual([...BANK_SCHEMA.categoricalFeatures]);
      expect(json.label_encoders.job).toEqual(['admin.', 'services', 'student']);
      expect(json.scaler.mean.age).toBe(35);
      expect(json.scaler.scale.age).toBe(5);
      expect(Object.keys(json.label_encoders)).toEqual([...BANK_SCHEMA.categoricalFeatures]);
      expect(Object.keys(json.scaler.mean)).toEqual([...BANK_SCHEMA.numericFeatures]);
    });

    it('gives bit-identical transforms after toJSON -> JSON text -> fromJSON (fixture)', () => {
      const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);
      const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())), BANK_SCHEMA);
      expect(restored.toJSON()).toEqual(pre.toJSON());
      for (const r of RECORDS) expect(restored.transform(r)).toEqual(pre.transform(r));
    });

    it('gives bit-identical transforms for every row of data/bank-additional.csv', async () => {
      const dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
      const split = stratifiedSplit(dataset.labels, 42);
      const pre = Preprocessor.fit(BANK_SCHEMA, dataset.records, split.train);
      const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())), BANK_SCHEMA);
      const before = pre.transformRows(dataset.records);
      const after = restored.transformRows(dataset.records);
      let differences = 0;
      for (let i = 0; i < before.length; i++) {
        for (let j = 0; j < 19; j++) if (!Object.is(before[i][j], after[i][j])) differences++;
      }
      expect(differences).toBe(0);
      // Encoder classes come from the whole file: job has its 12 values (incl. 'unknown').
      expect(pre.encoders.job.classes).toEqual([
        'admin.',
        'blue-collar',
        'entrepreneur',
        'housemaid',
        'management',
        'retired',
        'self-employed',
        'services',
        'student',
        'technician',
        'unemployed',
        'unknown',
      ]);
    });
  });

  describe('fromJSON', () => {
    const valid = (): PreprocessorJson => Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN).toJSON();

    const edited = (edit: (doc: EditableJson) => void): unknown => editedCopy(valid(), edit);
    const shapeErrorOf = (json: unknown): ShapeError => shapeErrorOfParse((doc) => Preprocessor.fromJSON(doc, BANK_SCHEMA), json);

    it('accepts a valid document', () => {
      expect(() => Preprocessor.fromJSON(valid(), BANK_SCHEMA)).not.toThrow();
    });

    it.each<[string, unknown, RegExp]>([
      ['null', null, /^preprocessor must be an object$/],
      ['an array', [], /^preprocessor must be an object$/],
      ['a string', 'preprocessor', /^preprocessor must be an object$/],
    ])('rejects %s as the document', (_label, json, message) => {
      expect(shapeErrorOf(json).message).toMatch(message);
    });

    it.each<[string, (doc: EditableJson) => void, RegExp]>([
      ['missing feature_names', (d) => delete d.feature_names, /^feature_names must be an array$/],
      ['feature_names in another order', (d) => d.feature_names.reverse(), /^feature_names must be \[age, job, /],
      ['feature_names one short', (d) => d.feature_names.pop(), /^feature_names must be \[/],
      ['a non-string feature name', (d) => (d.feature_names[3] = 7), /^feature_names\[3\] must be a non-empty string$/],
      ['numeric_features with a categorical name', (d) => (d.numeric_features[0] = 'job'), /^numeric_features must be \[age, campaign/],
      ['missing categorical_features', (d) => delete d.categorical_features, /^categorical_features must be an array$/],
      ['categorical_features missing one', (d) => d.categorical_features.pop(), /^categorical_features must be \[job, /],
      ['label_encoders not an object', (d) => (d.label_encoders = ['job']), /^label_encoders must be an object$/],
      ['no classes for job', (d) => delete d.label_encoders.job, /^label_encoders\.job must be an array$/],
      ['an empty class list', (d) => (d.label_encoders.poutcome = []), /^label_encoders\.poutcome must not be empty$/],
      ['duplicated classes', (d) => (d.label_encoders.job = ['a', 'b', 'a']), /^label_encoders\.job must hold distinct classes$/],
      ['an empty class name', (d) => (d.label_encoders.month = ['may', '']), /^label_encoders\.month\[1\] must be a non-empty string$/],
      ['missing scaler', (d) => delete d.scaler, /^scaler must be an object$/],
      ['missing scaler.mean', (d) => delete d.scaler.mean, /^scaler\.mean must be an object$/],
      ['a missing mean', (d) => delete d.scaler.mean.euribor3m, /^scaler\.mean\.euribor3m must be a finite number$/],
      ['a string mean', (d) => (d.scaler.mean.age = '35'), /^scaler\.mean\.age must be a finite number$/],
      ['a null scale', (d) => (d.scaler.scale.age = null), /^scaler\.scale\.age must be a finite number$/],
      ['a zero scale', (d) => (d.scaler.scale.pdays = 0), /^scaler\.scale\.pdays must be positive$/],
      ['a negative scale', (d) => (d.scaler.scale.age = -5), /^scaler\.scale\.age must be positive$/],
    ])('rejects %s with a message naming the field', (_label, edit, message) => {
      expect(shapeErrorOf(edited(edit)).message).toMatch(message);
    });

    it('keeps the classes exactly as stored (their order defines the codes)', () => {
      const pre = Preprocessor.fromJSON(
        edited((d) => (d.label_encoders.job = ['student', 'admin.', 'services'])),
        BANK_SCHEMA,
      );
      expect(pre.transform(RECORDS[2])[position('job')]).toBe(0);
      expect(pre.transform(RECORDS[1])[position('job')]).toBe(1);
    });
  });
});
