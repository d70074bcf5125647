import { INestApplication } from '@nestjs/common';
import * as path from 'node:path';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { FeatureRecord } from '../src/data/dataset-schema';
import { ActiveModel } from '../src/model-registry/active-model';
import { PredictionRecordService } from '../src/predictions/prediction-record.service';
import { readJsonLines } from './support/log-files';
import { readRows, sampleRows } from './support/data-rows';
import { EXAMPLE_CLIENT, SMALL_DATA, createTestApp, testConfig } from './support/test-app';

describe('POST /predict/batch', () => {
  let app: INestApplication;
  let config: AppConfig;
  const rows = sampleRows(readRows(SMALL_DATA), 500, 21).map((r) => r.features);
  const logged = async () => {
    await app.get(PredictionRecordService).flush();
    return readJsonLines(path.join(config.storageDir, 'logs', 'inference.log'));
  };

  beforeAll(async () => {
    config = testConfig();
    app = await createTestApp(config);
  });

  afterAll(async () => {
    await app.close();
  });

  it("scores every row with the model's own probability and logs one line per row", async () => {
    const before = (await logged()).length;
    const res = await request(app.getHttpServer())
      .post('/predict/batch')
      .set('X-Request-Id', 'batch-7')
      .send({ instances: rows })
      .expect(200);
    expect(res.body.model_version).toBe('v1');
    expect(res.body.predictions).toHaveLength(500);
    const active = app.get(ActiveModel).current()!;
    res.body.predictions.forEach((p: { prediction_proba: { yes: number }; request_id: string }, i: number) => {
      const expected = active.model.probability(active.preprocessor.transform(rows[i] as FeatureRecord));
      expect(p.prediction_proba.yes).toBeCloseTo(expected, 4);
      expect(p.request_id).toBe(`batch-7-${i}`);
    });
    const lines = (await logged()).slice(before);
    expect(lines).toHaveLength(500);
    expect(lines.map((l) => l.request_id)).toEqual(rows.map((_, i) => `batch-7-${i}`));
    // Batch rows take feedback like single predictions.
    await request(app.getHttpServer()).post('/feedback').send({ request_id: 'batch-7-3', actual: 'no' }).expect(200);
  });

  it('accepts the largest batch, 10,000 rows', async () => {
    const instances = Array.from({ length: 10_000 }, (_, i) => rows[i % rows.length]);
    const res = await request(app.getHttpServer()).post('/predict/batch').send({ instances }).expect(200);
    expect(res.body.predictions).toHaveLength(10_000);
  });

  describe('rejects a batch with any bad row, scoring and logging none', () => {
    const bad = (i: number, patch: Record<string, unknown>) => {
      const instances: unknown[] = rows.slice(0, 5).map((r) => ({ ...r }));
      instances[i] = { ...(instances[i] as object), ...patch };
      return { instances };
    };
    const cases: Array<[string, unknown, RegExp]> = [
      ['a missing field', { instances: [{ ...EXAMPLE_CLIENT, age: undefined }] }, /instances\.0\.age is required/],
      ['an absurd age', bad(3, { age: 500 }), /instances\.3\.age must not be greater than 120/],
      ['a numeric string', bad(1, { pdays: '999' }), /instances\.1\.pdays must be an integer number/],
      ['an extra field', bad(2, { duration: 10 }), /instances\.2\.property duration should not exist/],
      ['an unknown category', bad(4, { job: 'astronaut' }), /instances\.4\.job must be one of the following values: admin\..*unknown$/],
      ['a row that is not an object', { instances: [EXAMPLE_CLIENT, 'x'] }, /instances\.1\.must be an object/],
      ['a null row', { instances: [null] }, /instances\.0\.must be an object/],
      ['no instances', {}, /instances is required/],
      ['instances not a list', { instances: { a: 1 } }, /instances must be an array/],
      ['an empty list', { instances: [] }, /instances must contain at least 1 elements/],
      ['too many rows', { instances: Array.from({ length: 10_001 }, () => EXAMPLE_CLIENT) }, /no more than 10000 elements/],
      ['an unknown top-level field', { instances: [EXAMPLE_CLIENT], extra: true }, /property extra should not exist/],
    ];

    it.each(cases)('%s -> 400', async (_name, body, expected) => {
      const before = (await logged()).length;
      const res = await request(app.getHttpServer())
        .post('/predict/batch')
        .send(body as object)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect([res.body.message].flat().join('\n')).toMatch(expected);
      expect(await logged()).toHaveLength(before);
    });

    it('reports at most 50 problems for a batch full of bad rows', async () => {
      const instances = Array.from({ length: 1000 }, () => ({ ...EXAMPLE_CLIENT, age: 1 }));
      const res = await request(app.getHttpServer()).post('/predict/batch').send({ instances }).expect(400);
      expect(res.body.message).toHaveLength(50);
    });

    it('a body over the 8 MB batch limit -> 413', async () => {
      const huge = JSON.stringify({ instances: [{ ...EXAMPLE_CLIENT, job: 'x'.repeat(9 * 1024 * 1024) }] });
      const res = await request(app.getHttpServer()).post('/predict/batch').set('Content-Type', 'application/json').send(huge).expect(413);
      expect(res.body).toEqual({ statusCode: 413, message: 'request body is larger than the 8mb limit', error: 'Payload Too Large' });
    });
  });
});
