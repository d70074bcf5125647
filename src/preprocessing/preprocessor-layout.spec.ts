import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../data/testing/bank-schema';
import { editedCopy, shapeErrorOf as shapeErrorOfParse } from '../../test/support/shape-error';
import { ShapeError } from '../common/json-shape';
import { FeatureRecord } from '../data/dataset-schema';

import { InputLayout } from './input-layout';
import { Preprocessor, PreprocessorJson, UnknownCategoryError } from './preprocessor';
import type { EditableJson } from '../../test/support/shape-error';

/** Three clients; rows 0 and 1 are the training rows. */
const RECORDS: FeatureRecord[] = [
  { ...EXAMPLE_CLIENT, age: 30, job: 'services', marital: 'single' },
  { ...EXAMPLE_CLIENT, age: 40, job: 'admin.', marital: 'married' },
  { ...EXAMPLE_CLIENT, age: 90, job: 'student', marital: 'divorced', month: 'dec' },
];
const TRAIN = [0, 1];
const ONE_HOT: InputLayout = { encoding: 'one_hot', features: BANK_SCHEMA.featureNames };

describe('Preprocessor layouts', () => {
  describe('one-hot', () => {
    const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN, {}, ONE_HOT);
    const column = (name: string) => pre.columns.indexOf(name);

    it('has one column per known class of each categorical feature, in schema order, numbers as they were', () => {
      // 9 numeric + job 3 + marital 3 + month 2 + 7 features with one class each
      expect(pre.width).toBe(9 + 3 + 3 + 2 + 7);
      expect(pre.columns.slice(0, 5)).toEqual(['age', 'job=admin.', 'job=services', 'job=student', 'marital=divorced']);
      expect(pre.columns).toContain('month=dec');
      expect(pre.columns[pre.columns.length - 1]).toBe('nr_employed');
    });

    it('writes 1 in the column of the value and 0 in the others, unscaled; scales numbers as the ordinal layout', () => {
      const x = pre.transform(RECORDS[2]);
      expect(x).toHaveLength(pre.width);
      expect([x[column('job=admin.')], x[column('job=services')], x[column('job=student')]]).toEqual([0, 0, 1]);
      expect([x[column('month=dec')], x[column('month=may')]]).toEqual([1, 0]);
      expect(x[column('contact=cellular')]).toBe(1);
      expect(x[column('age')]).toBe((90 - 35) / 5);
      const ordinal = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);
      expect(x[column('campaign')]).toBe(ordinal.transform(RECORDS[2])[BANK_SCHEMA.featureNames.indexOf('campaign')]);
    });

    it('clears the one-hot columns of a reused buffer', () => {
      const out = new Float64Array(pre.width);
      pre.transformInto(RECORDS[2], out);
      pre.transformInto(RECORDS[0], out);
      expect(out).toEqual(pre.transform(RECORDS[0]));
    });

    it('still rejects an unknown category with UnknownCategoryError', () => {
      expect(() => pre.transform({ ...RECORDS[0], job: 'astronaut' })).toThrow(UnknownCategoryError);
    });

    it('refuses a buffer shorter than its inputs (a typed array would drop the writes silently)', () => {
      expect(() => pre.transformInto(RECORDS[0], new Float64Array(19))).toThrow(
        `the input buffer holds 19 numbers, the model needs ${pre.width}`,
      );
    });
  });

  describe('a feature subset', () => {
    const layout: InputLayout = { encoding: 'one_hot', features: ['age', 'marital', 'euribor3m'] };
    const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN, {}, layout);

    it('gives the model only those features, in schema order', () => {
      expect(pre.columns).toEqual(['age', 'marital=divorced', 'marital=married', 'marital=single', 'euribor3m']);
      expect(Array.from(pre.transform(RECORDS[1]))).toEqual([1, 0, 1, 0, 0]);
    });

    it('still validates the categories of the features it leaves out, first one in schema order', () => {
      const error = pre.findUnknownCategory({ ...RECORDS[0], job: 'astronaut' });
      expect(error?.feature).toBe('job');
      let thrown: unknown;
      try {
        pre.transform({ ...RECORDS[0], job: 'astronaut', marital: 'widowed' });
      } catch (err) {
        thrown = err;
      }
      expect((thrown as UnknownCategoryError).feature).toBe('job');
    });

    it('keeps an encoder and a scaler for every feature (challengers inherit the accepted classes)', () => {
      expect(Object.keys(pre.encoders)).toHaveLength(10);
      expect(Object.keys(pre.scalers)).toHaveLength(9);
    });
  });

  describe('preprocessor.json', () => {
    it('records the encoding and the features that enter the model (in schema order), and restores them', () => {
      const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN, {}, { encoding: 'one_hot', features: ['job', 'age'] });
      const json = pre.toJSON();
      expect(json.encoding).toBe('one_hot');
      expect(json.model_features).toEqual(['age', 'job']);
      const restored = Preprocessor.fromJSON(JSON.parse(JSON.stringify(json)), BANK_SCHEMA);
      expect(restored.columns).toEqual(pre.columns);
      for (const r of RECORDS) expect(restored.transform(r)).toEqual(pre.transform(r));
    });

    it('the seed layout writes ordinal and all 19 features', () => {
      const json = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN).toJSON();
      expect(json.encoding).toBe('ordinal');
      expect(json.model_features).toEqual([...BANK_SCHEMA.featureNames]);
    });

    it('reads a file written before layouts existed (no encoding, no model_features) as the seed layout', () => {
      const pre = Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN);
      const old = editedCopy(pre.toJSON(), (d) => {
        delete d.encoding;
        delete d.model_features;
      });
      const restored = Preprocessor.fromJSON(old, BANK_SCHEMA);
      expect(restored.encoding).toBe('ordinal');
      expect(restored.columns).toEqual([...BANK_SCHEMA.featureNames]);
      for (const r of RECORDS) expect(restored.transform(r)).toEqual(pre.transform(r));
    });

    const valid = (): PreprocessorJson => Preprocessor.fit(BANK_SCHEMA, RECORDS, TRAIN, {}, ONE_HOT).toJSON();
    const shapeErrorOf = (json: unknown): ShapeError => shapeErrorOfParse((doc) => Preprocessor.fromJSON(doc, BANK_SCHEMA), json);

    it.each<[string, (doc: EditableJson) => void, string]>([
      ['an unknown encoding', (d) => (d.encoding = 'hashed'), 'encoding must be one of: ordinal, one_hot'],
      ['model_features not an array', (d) => (d.model_features = 'age'), 'model_features must be an array'],
      ['no model features', (d) => (d.model_features = []), 'model_features must list at least one feature'],
      ['an unknown model feature', (d) => (d.model_features = ['age', 'duration']), "model_features: 'duration' is not a feature"],
      ['a model feature twice', (d) => (d.model_features = ['age', 'age']), "model_features lists 'age' twice"],
      ['model features out of schema order', (d) => (d.model_features = ['job', 'age']), 'model_features must be [age, job]'],
    ])('rejects %s', (_label, edit, message) => {
      expect(shapeErrorOf(editedCopy(valid(), edit)).message).toContain(message);
    });
  });
});
