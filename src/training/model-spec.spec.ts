import { MODEL_SPEC_PRESETS, ModelSpecError, ORIGINAL_SPEC, parseModelSpecOption, readModelSpec } from './model-spec';

describe('model specs', () => {
  const VALID = { encoding: 'one_hot', class_weight: 'none', C: 0.5, calibration: 'platt' };

  describe('parseModelSpecOption', () => {
    it('takes a preset by name: original (the default), prior, one_hot', () => {
      expect(parseModelSpecOption('original')).toEqual(ORIGINAL_SPEC);
      expect(ORIGINAL_SPEC).toEqual({ encoding: 'ordinal', class_weight: 'balanced', C: 1, calibration: 'none' });
      expect(parseModelSpecOption('prior')).toEqual({ ...ORIGINAL_SPEC, calibration: 'prior' });
      expect(parseModelSpecOption(' one_hot ')).toEqual({ encoding: 'one_hot', class_weight: 'none', C: 1, calibration: 'none' });
    });

    it('gives a fresh copy of a preset, so a caller cannot change it', () => {
      const spec = parseModelSpecOption('one_hot');
      spec.C = 7;
      expect(MODEL_SPEC_PRESETS.one_hot.C).toBe(1);
    });

    it('takes a JSON object, features as given (put in schema order and checked against it when fitted)', () => {
      expect(parseModelSpecOption(JSON.stringify(VALID))).toEqual(VALID);
      expect(parseModelSpecOption(JSON.stringify({ ...VALID, features: ['euribor3m', 'age', 'job'] })).features).toEqual([
        'euribor3m',
        'age',
        'job',
      ]);
    });

    it.each<[string, string]>([
      ['onehot', "unknown model spec 'onehot': give a preset (original, prior, one_hot) or a JSON object"],
      ['toString', "unknown model spec 'toString': give a preset (original, prior, one_hot) or a JSON object"],
      ['', "unknown model spec '': give a preset (original, prior, one_hot) or a JSON object"],
      ['{"encoding": ', 'model spec is not valid JSON: '],
      ['[1]', 'model spec must be a JSON object'],
    ])('refuses %j with one line', (text, message) => {
      let error: unknown;
      try {
        parseModelSpecOption(text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ModelSpecError);
      expect((error as Error).message.startsWith(message)).toBe(true);
      expect((error as Error).message).not.toContain('\n');
    });
  });

  describe('readModelSpec names the bad field', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'an unknown field',
        { ...VALID, penalty: 'l1' },
        "model spec: unknown field 'penalty' (fields: encoding, class_weight, C, calibration, features)",
      ],
      ['a missing encoding', { ...VALID, encoding: undefined }, 'model spec: encoding is missing (one of: ordinal, one_hot)'],
      ['an unknown encoding', { ...VALID, encoding: 'hashed' }, 'model spec: encoding must be one of: ordinal, one_hot (got "hashed")'],
      [
        'an unknown class weight',
        { ...VALID, class_weight: 'auto' },
        'model spec: class_weight must be one of: balanced, none (got "auto")',
      ],
      ['a null class weight', { ...VALID, class_weight: null }, 'model spec: class_weight must be one of: balanced, none (got null)'],
      ['C of 0', { ...VALID, C: 0 }, 'model spec: C must be a number greater than 0 (got 0)'],
      ['a negative C', { ...VALID, C: -1 }, 'model spec: C must be a number greater than 0 (got -1)'],
      ['C as a string', { ...VALID, C: '1' }, 'model spec: C must be a number greater than 0 (got "1")'],
      ['a missing C', { ...VALID, C: undefined }, 'model spec: C must be a number greater than 0 (got nothing)'],
      [
        'an unknown calibration',
        { ...VALID, calibration: 'beta' },
        'model spec: calibration must be one of: none, prior, platt, isotonic (got "beta")',
      ],
      [
        'prior on an unweighted fit',
        { ...VALID, calibration: 'prior' },
        "model spec: calibration 'prior' corrects a balanced fit, so it needs class_weight 'balanced'",
      ],
      ['features not an array', { ...VALID, features: 'age' }, 'model spec: features must be an array of feature names'],
      ['no features', { ...VALID, features: [] }, 'model spec: features must list at least one feature'],
      ['a feature twice', { ...VALID, features: ['age', 'job', 'age'] }, "model spec: features lists 'age' twice"],
    ])('%s', (_label, json, message) => {
      const doc = JSON.parse(JSON.stringify(json));
      expect(() => readModelSpec(doc)).toThrow(new ModelSpecError(message));
    });

    it('a JSON "C": 1e999 (Infinity) is not a C', () => {
      expect(() => parseModelSpecOption('{"encoding":"ordinal","class_weight":"none","C":1e999,"calibration":"none"}')).toThrow(
        'model spec: C must be a number greater than 0 (got null)',
      );
    });
  });
});
