import { INestApplication } from '@nestjs/common';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { FeatureRecord } from '../src/data/dataset-schema';
import { ActiveModel } from '../src/model-registry/active-model';
import { runCli } from './support/cli';
import { EXAMPLE_CLIENT, createTestApp, makeTempDir, testConfig } from './support/test-app';

const readJson = (storage: string, ...parts: string[]) => JSON.parse(readFileSync(path.join(storage, ...parts), 'utf8'));

describe('node dist/cli train --model', () => {
  describe('one_hot', () => {
    const storage = makeTempDir();
    let app: INestApplication;

    beforeAll(async () => {
      const res = runCli(['train', '--storage', storage, '--model', 'one_hot']);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(res.stdout).toContain('model: {"encoding":"one_hot","class_weight":"none","C":1,"calibration":"none"}, threshold 0.5000');
      app = await createTestApp(testConfig({ STORAGE_DIR: storage, AUTO_TRAIN: 'false' }));
    });

    afterAll(async () => {
      await app?.close();
    });

    it('records the spec in the metadata and saves a one-hot preprocessor and model', () => {
      const metadata = readJson(storage, 'models', 'v1', 'metadata.json');
      expect(metadata.params).toMatchObject({
        spec: { encoding: 'one_hot', class_weight: 'none', C: 1, calibration: 'none' },
        class_weight: 'none',
        C: 1,
        calibration: 'none',
        threshold: 0.5,
      });
      expect(readJson(storage, 'models', 'v1', 'preprocessor.json').encoding).toBe('one_hot');
      const model = readJson(storage, 'models', 'v1', 'model.json');
      expect(model.columns).toHaveLength(62);
      expect(model.coefficients).toHaveLength(62);
    });

    it('is served: /predict and /predict/batch answer with its probabilities, unknown categories are still refused', async () => {
      const active = app.get(ActiveModel).current()!;
      expect(active.preprocessor.width).toBe(62);
      const expected = active.model.probability(active.preprocessor.transform(EXAMPLE_CLIENT as FeatureRecord));
      const one = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
      expect(one.body.prediction_proba.yes).toBeCloseTo(expected, 4);
      const rows = [EXAMPLE_CLIENT, { ...EXAMPLE_CLIENT, month: 'dec', age: 61 }];
      const batch = await request(app.getHttpServer()).post('/predict/batch').send({ instances: rows }).expect(200);
      expect(batch.body.predictions).toHaveLength(2);
      const bad = await request(app.getHttpServer())
        .post('/predict')
        .send({ ...EXAMPLE_CLIENT, job: 'astronaut' })
        .expect(400);
      expect(JSON.stringify(bad.body.message)).toContain('job must be one of');
    });
  });

  it('a JSON spec with a feature subset and isotonic calibration: its map is in model.json, its rows in metadata', () => {
    const storage = makeTempDir();
    const spec = { encoding: 'one_hot', class_weight: 'none', C: 0.5, calibration: 'isotonic', features: ['month', 'age', 'euribor3m'] };
    const res = runCli(['train', '--storage', storage, '--model', JSON.stringify(spec)]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const metadata = readJson(storage, 'models', 'v1', 'metadata.json');
    expect(metadata.params.spec).toEqual({ ...spec, features: ['age', 'month', 'euribor3m'] });
    expect(metadata.params.calibration_rows).toEqual({ source: 'validation', rows: 618 });
    expect(readJson(storage, 'models', 'v1', 'model.json').calibration).toMatchObject({ method: 'isotonic' });
    expect(readJson(storage, 'models', 'v1', 'preprocessor.json').model_features).toEqual(['age', 'month', 'euribor3m']);
  });

  it.each<[string, string, RegExp]>([
    ['an unknown preset', 'onehot', /^error: unknown model spec 'onehot': give a preset \(original, prior, one_hot\) or a JSON object$/],
    ['JSON cut short', '{"encoding":', /^error: model spec is not valid JSON: /],
    [
      'C of 0',
      '{"encoding":"one_hot","class_weight":"none","C":0,"calibration":"none"}',
      /^error: model spec: C must be a number greater than 0 \(got 0\)$/,
    ],
    [
      'an unknown field',
      '{"encoding":"one_hot","class_weight":"none","C":1,"calibration":"none","l1":1}',
      /^error: model spec: unknown field 'l1'/,
    ],
    [
      'prior without balancing',
      '{"encoding":"one_hot","class_weight":"none","C":1,"calibration":"prior"}',
      /needs class_weight 'balanced'$/,
    ],
  ])('%s: one line, exit 1, nothing saved', (_label, spec, expected) => {
    const storage = makeTempDir();
    const res = runCli(['train', '--storage', storage, '--model', spec]);
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr.trim()).toMatch(expected);
    expect(existsSync(path.join(storage, 'models'))).toBe(false);
  });
});
