import { BANK_SCHEMA as BANK_SCHEMA_FOR_MODEL } from '../data/testing/bank-schema';
const BANK = { columns: BANK_SCHEMA_FOR_MODEL.featureNames };
import { BANK_SCHEMA } from '../data/testing/bank-schema';
import { editedCopy, shapeErrorOf as shapeErrorOfParse } from '../../test/support/shape-error';
import { ShapeError } from '../common/json-shape';

import { LogisticModel, LogisticModelJson } from './logistic-model';
import type { EditableJson } from '../../test/support/shape-error';

/** 19 coefficients with awkward binary fractions, so a lossy round trip would show. */
const COEFFICIENTS = Float64Array.from({ length: 19 }, (_, j) => (j % 2 === 0 ? 1 : -1) * (0.1 + j / 7) * Math.PI ** (j % 3));
const INTERCEPT = -1.2345678901234567;

describe('LogisticModel', () => {
  describe('constructor', () => {
    it('defaults the threshold to 0.5', () => {
      expect(new LogisticModel(COEFFICIENTS, INTERCEPT, 0.5, BANK).threshold).toBe(0.5);
    });

    it('needs exactly 19 coefficients', () => {
      expect(() => new LogisticModel(new Float64Array(18), 0, 0.5, BANK)).toThrow('a model needs 19 coefficients, got 18');
      expect(() => new LogisticModel(new Float64Array(20), 0, 0.5, BANK)).toThrow('a model needs 19 coefficients, got 20');
    });
  });

  describe('probability', () => {
    it('is sigmoid(intercept + w . x)', () => {
      const w = new Float64Array(19);
      w[0] = 2;
      w[18] = -1;
      const model = new LogisticModel(w, 0.5, 0.5, BANK);
      const x = new Float64Array(19);
      x[0] = 1;
      x[18] = 0.5;
      // z = 0.5 + 2 - 0.5 = 2
      expect(model.probability(x)).toBeCloseTo(1 / (1 + Math.exp(-2)), 15);
    });

    it('is sigmoid(intercept) for an all-zero row', () => {
      const model = new LogisticModel(COEFFICIENTS, 0, 0.5, BANK);
      expect(model.probability(new Float64Array(19))).toBe(0.5);
    });

    it('probabilities gives one value per row', () => {
      const model = new LogisticModel(COEFFICIENTS, INTERCEPT, 0.5, BANK);
      const rows = [new Float64Array(19).fill(1), new Float64Array(19).fill(-1), new Float64Array(19)];
      const p = model.probabilities(rows);
      expect(p).toBeInstanceOf(Float64Array);
      expect(Array.from(p)).toEqual(rows.map((r) => model.probability(r)));
    });
  });

  describe('JSON round trip', () => {
    it('writes model.json with type, feature order, coefficients, intercept and threshold', () => {
      const json = new LogisticModel(COEFFICIENTS, INTERCEPT, 0.4, BANK).toJSON();
      expect(json).toEqual({
        type: 'logistic_regression',
        feature_names: [...BANK_SCHEMA.featureNames],
        coefficients: Array.from(COEFFICIENTS),
        intercept: INTERCEPT,
        threshold: 0.4,
      });
      expect(Array.isArray(json.coefficients)).toBe(true);
    });

    it('restores the same coefficients, intercept, threshold and probabilities to the bit', () => {
      const model = new LogisticModel(COEFFICIENTS, INTERCEPT, 0.35, BANK);
      const restored = LogisticModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
      expect(restored.coefficients).toEqual(COEFFICIENTS);
      expect(restored.intercept).toBe(INTERCEPT);
      expect(restored.threshold).toBe(0.35);
      const rows = Array.from({ length: 5 }, (_, i) => Float64Array.from({ length: 19 }, (_, j) => Math.cos(i * 19 + j)));
      expect(restored.probabilities(rows)).toEqual(model.probabilities(rows));
    });
  });

  describe('fromJSON', () => {
    const valid = (): LogisticModelJson => new LogisticModel(COEFFICIENTS, INTERCEPT, 0.5, BANK).toJSON();

    const edited = (edit: (doc: EditableJson) => void): unknown => editedCopy(valid(), edit);
    const shapeErrorOf = (json: unknown): ShapeError =>
      shapeErrorOfParse((doc) => LogisticModel.fromJSON(doc, BANK_SCHEMA_FOR_MODEL.featureNames), json);

    it('rejects something that is not an object', () => {
      expect(shapeErrorOf(null).message).toBe('model must be an object');
      expect(shapeErrorOf([1, 2]).message).toBe('model must be an object');
    });

    it('rejects another model type', () => {
      expect(shapeErrorOf(edited((d) => (d.type = 'random_forest'))).message).toBe('type must be "logistic_regression"');
      expect(shapeErrorOf(edited((d) => delete d.type)).message).toBe('type must be "logistic_regression"');
    });

    describe('rejects a wrong feature list', () => {
      it.each<[string, (d: EditableJson) => void]>([
        ['missing', (d) => delete d.feature_names],
        ['in another order', (d) => ([d.feature_names[0], d.feature_names[1]] = [d.feature_names[1], d.feature_names[0]])],
        ['one short', (d) => d.feature_names.pop()],
        ['one extra', (d) => d.feature_names.push('duration')],
        ['with a renamed feature (emp.var.rate)', (d) => (d.feature_names[14] = 'emp.var.rate')],
      ])('%s', (_label, edit) => {
        expect(shapeErrorOf(edited(edit)).message).toMatch(/^feature_names must be/);
      });

      it('listing the expected features', () => {
        expect(shapeErrorOf(edited((d) => d.feature_names.pop())).message).toBe(
          `feature_names must be [${BANK_SCHEMA.featureNames.join(', ')}]`,
        );
      });
    });

    describe('rejects a wrong coefficient count or value', () => {
      it.each<[string, (d: EditableJson) => void, string]>([
        ['18 coefficients', (d) => d.coefficients.pop(), 'coefficients must hold 19 numbers'],
        ['20 coefficients', (d) => d.coefficients.push(0), 'coefficients must hold 19 numbers'],
        ['no coefficients', (d) => (d.coefficients = []), 'coefficients must hold 19 numbers'],
        ['coefficients not an array', (d) => (d.coefficients = { 0: 1 }), 'coefficients must be an array'],
        [
          'a null coefficient (NaN written by JSON.stringify)',
          (d) => (d.coefficients[3] = null),
          'coefficients[3] must be a finite number',
        ],
        ['a string coefficient', (d) => (d.coefficients[0] = '0.5'), 'coefficients[0] must be a finite number'],
        ['a missing intercept', (d) => delete d.intercept, 'intercept must be a finite number'],
      ])('%s', (_label, edit, message) => {
        expect(shapeErrorOf(edited(edit)).message).toBe(message);
      });
    });

    describe('rejects a bad threshold', () => {
      it.each<[string, unknown, string]>([
        ['0', 0, 'threshold must be between 0 and 1'],
        ['1', 1, 'threshold must be between 0 and 1'],
        ['negative', -0.5, 'threshold must be between 0 and 1'],
        ['above 1', 50, 'threshold must be between 0 and 1'],
        ['a string', '0.5', 'threshold must be a finite number'],
        ['missing', undefined, 'threshold must be a finite number'],
      ])('%s', (_label, threshold, message) => {
        expect(shapeErrorOf(edited((d) => (d.threshold = threshold))).message).toBe(message);
      });

      it('but accepts any threshold strictly between 0 and 1', () => {
        expect(LogisticModel.fromJSON(edited((d) => (d.threshold = 0.01))).threshold).toBe(0.01);
        expect(LogisticModel.fromJSON(edited((d) => (d.threshold = 0.99))).threshold).toBe(0.99);
      });
    });
  });
});

describe('LogisticModel with its own columns and a calibration map', () => {
  const columns = ['age', 'job=admin.', 'job=student'];
  const coefficients = Float64Array.from([0.5, -1.25, 2]);
  const platt = { method: 'platt' as const, a: -2, b: 0.5 };
  const isotonic = { method: 'isotonic' as const, x: [-1, 0, 1], y: [0.1, 0.2, 0.6] };
  const x = [0.4, 0, 1];
  const score = 0.2 + 0.5 * 0.4 + 2;

  it('scores the decision function, then the calibration map', () => {
    expect(new LogisticModel(coefficients, 0.2, 0.5, { columns }).decision(x)).toBeCloseTo(score, 15);
    expect(new LogisticModel(coefficients, 0.2, 0.5, { columns, calibration: platt }).probability(x)).toBeCloseTo(
      1 / (1 + Math.exp(-2 * score + 0.5)),
      15,
    );
    // clipped at the last threshold
    expect(new LogisticModel(coefficients, 0.2, 0.5, { columns, calibration: isotonic }).probability(x)).toBe(0.6);
  });

  it('needs one coefficient per column', () => {
    expect(() => new LogisticModel(Float64Array.from([1, 2]), 0, 0.5, { columns })).toThrow('a model needs 3 coefficients, got 2');
  });

  it('writes its columns and map to model.json and restores them', () => {
    const model = new LogisticModel(coefficients, 0.2, 0.5, {
      columns,
      featureNames: BANK_SCHEMA.featureNames,
      calibration: isotonic,
    });
    const json = model.toJSON();
    expect(json).toMatchObject({ feature_names: [...BANK_SCHEMA.featureNames], columns, calibration: isotonic });
    const restored = LogisticModel.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(restored.columns).toEqual(columns);
    expect(restored.probability(x)).toBe(model.probability(x));
  });

  it('leaves both out for the seed layout without a map, so that model.json is as before', () => {
    const json = new LogisticModel(COEFFICIENTS, INTERCEPT, 0.5, BANK).toJSON();
    expect(Object.keys(json)).toEqual(['type', 'feature_names', 'coefficients', 'intercept', 'threshold']);
  });

  it("says when its columns are not the preprocessor's", () => {
    const model = new LogisticModel(coefficients, 0.2, 0.5, { columns });
    expect(model.inputMismatch(columns)).toBeNull();
    expect(model.inputMismatch([...BANK_SCHEMA.featureNames])).toBe("columns must be the preprocessor's 19 inputs, in its order");
    expect(new LogisticModel(COEFFICIENTS, INTERCEPT, 0.5, BANK).inputMismatch([...BANK_SCHEMA.featureNames])).toBeNull();
  });

  describe('fromJSON rejects', () => {
    const valid = () =>
      new LogisticModel(coefficients, 0.2, 0.5, { columns, featureNames: BANK_SCHEMA.featureNames, calibration: platt }).toJSON();
    const shapeErrorOf = (json: unknown): ShapeError =>
      shapeErrorOfParse((doc) => LogisticModel.fromJSON(doc, BANK_SCHEMA_FOR_MODEL.featureNames), json);

    it.each<[string, (d: EditableJson) => void, string]>([
      ['columns not an array', (d) => (d.columns = 'age'), 'columns must be an array'],
      ['a repeated column', (d) => (d.columns[2] = 'age'), 'columns must hold distinct names'],
      ['no columns', (d) => (d.columns = []), 'columns must hold distinct names'],
      ['a coefficient short of the columns', (d) => d.coefficients.pop(), 'coefficients must hold 3 numbers'],
      ['a bad calibration map', (d) => (d.calibration.b = 'x'), 'calibration.b must be a finite number'],
    ])('%s', (_label, edit, message) => {
      expect(shapeErrorOf(editedCopy(valid(), edit)).message).toBe(message);
    });
  });
});
