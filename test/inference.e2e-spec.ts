import { INestApplication } from '@nestjs/common';
import * as path from 'node:path';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { FeatureRecord } from '../src/data/dataset-schema';
import { ActiveModel } from '../src/model-registry/active-model';
import { PredictionRecordService } from '../src/predictions/prediction-record.service';
import { readJsonLines } from './support/log-files';
import { EXAMPLE_CLIENT, createTestApp, testConfig } from './support/test-app';

describe('inference API (health, info, predict)', () => {
  let app: INestApplication;
  let config: AppConfig;
  let logFile: string;

  const loggedLines = async () => {
    await app.get(PredictionRecordService).flush();
    return readJsonLines(logFile);
  };

  beforeAll(async () => {
    config = testConfig();
    app = await createTestApp(config);
    logFile = path.join(config.storageDir, 'logs', 'inference.log');
  });

  afterAll(async () => {
    await app.close();
  });

  it('trains v1 on first start and reports healthy', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'healthy', model_version: 'v1', timestamp: expect.any(String) });
    expect(Number.isNaN(Date.parse(res.body.timestamp))).toBe(false);
  });

  it('describes the active model on /info', async () => {
    const res = await request(app.getHttpServer()).get('/info').expect(200);
    expect(Object.keys(res.body).sort()).toEqual(
      ['created_at', 'feature_names', 'model_version', 'n_features', 'schema', 'validation_metrics'].sort(),
    );
    expect(res.body.model_version).toBe('v1');
    expect(res.body.created_at).toMatch(/^\d{8}_\d{6}$/);
    expect(res.body.n_features).toBe(19);
    expect(res.body.feature_names).toHaveLength(19);
    expect(Object.keys(res.body.validation_metrics).sort()).toEqual(['accuracy', 'f1_score', 'precision', 'recall', 'roc_auc']);
    expect(res.body.validation_metrics.roc_auc).toBeGreaterThan(0.7);
    expect(res.body.validation_metrics.roc_auc).toBeLessThan(0.83);
  });

  it("answers the example request like the seed, with the model's own probability", async () => {
    const before = (await loggedLines()).length;
    const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'confidence',
      'model_version',
      'prediction',
      'prediction_label',
      'prediction_proba',
      'request_id',
      'timestamp',
    ]);
    const active = app.get(ActiveModel).current()!;
    const p = active.model.probability(active.preprocessor.transform(EXAMPLE_CLIENT as FeatureRecord));
    expect(res.body.prediction_proba.yes).toBeCloseTo(p, 4);
    expect(res.body.prediction_proba.no).toBeCloseTo(1 - p, 4);
    expect(res.body.prediction).toBe(p > 0.5 ? 1 : 0);
    expect(res.body.prediction_label).toBe(p > 0.5 ? 'yes' : 'no');
    expect(res.body.confidence).toBe(Math.max(res.body.prediction_proba.yes, res.body.prediction_proba.no));
    expect(res.body.model_version).toBe('v1');
    expect(res.headers['x-request-id']).toBe(res.body.request_id);

    const lines = await loggedLines();
    expect(lines).toHaveLength(before + 1);
    const line = lines[lines.length - 1];
    expect(line).toMatchObject({
      request_id: res.body.request_id,
      model_version: 'v1',
      input: EXAMPLE_CLIENT,
      prediction: res.body.prediction,
    });
    expect(line.probability).toBeCloseTo(p, 12);
    expect(typeof line.latency_ms).toBe('number');
  });

  it('keeps a sane X-Request-Id from the caller and replaces an unsafe one', async () => {
    const kept = await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'client-42.abc').send(EXAMPLE_CLIENT).expect(200);
    expect(kept.body.request_id).toBe('client-42.abc');
    const replaced = await request(app.getHttpServer())
      .post('/predict')
      .set('X-Request-Id', 'bad id with spaces')
      .send(EXAMPLE_CLIENT)
      .expect(200);
    expect(replaced.body.request_id).not.toBe('bad id with spaces');
    expect(replaced.headers['x-request-id']).toBe(replaced.body.request_id);
  });

  it('sends security headers (helmet) and no framework banner or ETag', async () => {
    const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    // Plain HTTP (no PUBLIC_URL): no HSTS; test/security-headers.e2e-spec.ts has both cases.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });

  it('returns an X-Request-Id on every response, errors included', async () => {
    const health = await request(app.getHttpServer()).get('/health').expect(200);
    expect(health.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'rid-1').send({}).expect(400);
    expect(bad.headers['x-request-id']).toBe('rid-1');
    const missing = await request(app.getHttpServer()).get('/nowhere').set('X-Request-Id', 'rid-2').expect(404);
    expect(missing.headers['x-request-id']).toBe('rid-2');
  });

  it('logs exactly one line per successful prediction', async () => {
    const before = (await loggedLines()).length;
    const server = app.getHttpServer();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await request(server)
        .post('/predict')
        .send({ ...EXAMPLE_CLIENT, age: 20 + i })
        .expect(200);
      ids.push(res.body.request_id);
    }
    await request(server)
      .post('/predict')
      .send({ ...EXAMPLE_CLIENT, age: 'x' })
      .expect(400);
    const lines = await loggedLines();
    expect(lines).toHaveLength(before + 25);
    expect(lines.slice(before).map((l) => l.request_id)).toEqual(ids);
  });

  describe('rejects bad input with 400 naming the field, and logs nothing', () => {
    const { age: _omitAge, ...withoutAge } = EXAMPLE_CLIENT;
    const cases: Array<[string, unknown, RegExp]> = [
      ['a missing field', withoutAge, /age is required/],
      ['an extra field', { ...EXAMPLE_CLIENT, duration: 100 }, /property duration should not exist/],
      ['a wrong type', { ...EXAMPLE_CLIENT, job: 7 }, /job must be a string/],
      ['a numeric string', { ...EXAMPLE_CLIENT, age: '30' }, /age must be an integer/],
      ['null', { ...EXAMPLE_CLIENT, euribor3m: null }, /euribor3m is required/],
      ['a negative age', { ...EXAMPLE_CLIENT, age: -3 }, /age must not be less than 16/],
      ['an absurd age', { ...EXAMPLE_CLIENT, age: 500 }, /age must not be greater than 120/],
      ['a fractional count', { ...EXAMPLE_CLIENT, campaign: 1.5 }, /campaign must be an integer/],
      ['an absurd rate', { ...EXAMPLE_CLIENT, euribor3m: 1e308 }, /euribor3m must not be greater than 25/],
      ['an empty category', { ...EXAMPLE_CLIENT, month: '' }, /month should not be empty/],
      ['a nested object', { ...EXAMPLE_CLIENT, job: { $gt: '' } }, /job must be a string/],
      [
        'an unknown category',
        { ...EXAMPLE_CLIENT, job: 'astronaut' },
        /job must be one of the following values: admin\., blue-collar, .*unknown$/,
      ],
      ['an empty body', {}, /age is required/],
    ];

    it.each(cases)('%s', async (_name, body, expected) => {
      const before = (await loggedLines()).length;
      const res = await request(app.getHttpServer())
        .post('/predict')
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect([res.body.message].flat().join('\n')).toMatch(expected);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      expect(await loggedLines()).toHaveLength(before);
    });

    it.each([
      ['NaN', '{"age": NaN}'],
      ['Infinity', '{"age": Infinity}'],
      ['a body that is not JSON', 'age=30&job=admin.'],
      ['truncated JSON', '{"age": 30,'],
    ])('%s as raw JSON text', async (_name, raw) => {
      const res = await request(app.getHttpServer()).post('/predict').set('Content-Type', 'application/json').send(raw).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(/not valid JSON/);
    });

    it('a body that is not JSON at all (text/plain) is missing every field', async () => {
      const res = await request(app.getHttpServer()).post('/predict').set('Content-Type', 'text/plain').send('hello').expect(400);
      expect(res.body.message).toContain('age is required');
    });

    it('a 5 MB body gets 413 in the same error shape', async () => {
      const huge = JSON.stringify({ ...EXAMPLE_CLIENT, job: 'x'.repeat(5 * 1024 * 1024) });
      const res = await request(app.getHttpServer()).post('/predict').set('Content-Type', 'application/json').send(huge).expect(413);
      expect(res.body).toEqual({ statusCode: 413, message: expect.stringMatching(/larger than/), error: 'Payload Too Large' });
    });
  });

  it("serves Swagger UI at /docs with the original project's example body preset, and the schema's rules", async () => {
    const html = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(html.text).toContain('swagger-ui');
    const doc = await request(app.getHttpServer()).get('/docs-json').expect(200);
    const schema = doc.body.components.schemas.PredictRequestDto;
    const documented = {
      age: 30,
      job: 'admin.',
      marital: 'married',
      education: 'university.degree',
      default: 'no',
      housing: 'yes',
      loan: 'no',
      contact: 'cellular',
      month: 'may',
      day_of_week: 'mon',
      campaign: 1,
      pdays: 999,
      previous: 0,
      poutcome: 'nonexistent',
      emp_var_rate: 1.1,
      cons_price_idx: 93.994,
      cons_conf_idx: -36.4,
      euribor3m: 4.857,
      nr_employed: 5191.0,
    };
    expect(schema.example).toEqual(documented);
    expect(JSON.stringify(schema.example)).toBe(JSON.stringify(documented)); // in the schema's column order
    for (const [field, value] of Object.entries(documented)) expect(schema.properties[field].example).toEqual(value);
    expect(schema.required).toHaveLength(19);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.age).toMatchObject({ type: 'integer', minimum: 16, maximum: 120 });
    expect(schema.properties.euribor3m).toMatchObject({ type: 'number', minimum: -5, maximum: 25 });
    expect(schema.properties.poutcome.enum).toEqual(['failure', 'nonexistent', 'success']);
    const batch = doc.body.components.schemas.PredictBatchRequestDto.properties.instances;
    expect(batch).toMatchObject({ minItems: 1, maxItems: 10000 });
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.body.components.securitySchemes.bearer.description).toMatch(/not a JWT/);
    const unavailable = doc.body.paths['/health'].get.responses['503'].content['application/json'].schema.$ref as string;
    expect(doc.body.components.schemas[unavailable.split('/').pop()!].properties.status.example).toBe('unhealthy');
  });
});
