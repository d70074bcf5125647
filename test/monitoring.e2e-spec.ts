import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { PredictionRecordService } from '../src/predictions/prediction-record.service';
import { readJsonLines } from './support/log-files';
import { LabelledRow, readRows, sampleRows } from './support/data-rows';
import { EXAMPLE_CLIENT, FULL_DATA, SMALL_DATA, createTestApp, testConfig } from './support/test-app';
import { AppConfig } from '../src/config/app-config';
import * as path from 'node:path';

const SHIFTED = ['euribor3m', 'emp_var_rate', 'nr_employed'];

async function serve(app: INestApplication, rows: LabelledRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const res = await request(app.getHttpServer()).post('/predict').send(row.features).expect(200);
    ids.push(res.body.request_id);
  }
  return ids;
}

describe('monitoring: drift, feedback, live performance, status, metrics', () => {
  let app: INestApplication;
  let config: AppConfig;
  const training = readRows(SMALL_DATA);
  const late = readRows(FULL_DATA).slice(-3000); // autumn 2010, after the rate cuts

  beforeAll(async () => {
    config = testConfig();
    app = await createTestApp(config);
  });

  afterAll(async () => {
    await app.close();
  });

  it('says insufficient_data before enough predictions were served', async () => {
    await serve(app, sampleRows(training, 20, 99));
    const drift = await request(app.getHttpServer()).get('/monitoring/drift').expect(200);
    expect(drift.body).toMatchObject({ verdict: 'insufficient_data', window_size: 20, min_window: 100, features: [] });
    const status = await request(app.getHttpServer()).get('/monitoring/status').expect(200);
    expect(status.body.status).toBe('insufficient_data');
    expect(status.body.model_version).toBe('v1');
  });

  it('1,000 rows from the training distribution: healthy, no drifted feature', async () => {
    await serve(app, sampleRows(training, 1000, 7));
    const res = await request(app.getHttpServer()).get('/monitoring/drift?window=1000').expect(200);
    expect(res.body.verdict).toBe('no_drift');
    expect(res.body.dataset_drift).toBe(false);
    expect(res.body.drifted_features).toEqual([]);
    expect(res.body.features).toHaveLength(19);
    expect(res.body.prediction.drifted).toBe(false);
    for (const feature of res.body.features) {
      expect(feature.psi_threshold).toBe(Math.max(config.monitoring.psiFloor, feature.psi_critical));
    }
    const status = await request(app.getHttpServer()).get('/monitoring/status').expect(200);
    expect(status.body.status).toBe('healthy');
  });

  let shiftedIds: string[] = [];
  let shiftedRows: LabelledRow[] = [];

  it('1,000 rows whose rates come from late 2010: those features and the dataset drift', async () => {
    const base = sampleRows(training, 1000, 11);
    const donors = sampleRows(late, 1000, 12);
    shiftedRows = base.map((row, i) => {
      const features = { ...row.features };
      for (const name of SHIFTED) features[name] = donors[i].features[name];
      return { features, actual: donors[i].actual };
    });
    shiftedIds = await serve(app, shiftedRows);
    const res = await request(app.getHttpServer()).get('/monitoring/drift?window=1000').expect(200);
    expect(res.body.verdict).toBe('drift');
    expect(res.body.dataset_drift).toBe(true);
    for (const name of SHIFTED) expect(res.body.drifted_features).toContain(name);
    const euribor = res.body.features.find((f: { feature: string }) => f.feature === 'euribor3m');
    expect(euribor.psi).toBeGreaterThan(euribor.psi_threshold);
    expect(euribor.ks_p_value).toBeLessThan(1e-6);
    expect(res.body.duration_ms).toEqual(expect.any(Number)); // its speed is measured by npm run bench
    const status = await request(app.getHttpServer()).get('/monitoring/status').expect(200);
    expect(status.body.status).toBe('drifting');
    expect(status.body.reasons.join(' ')).toMatch(/euribor3m/);
  });

  it('feedback for those rows drives /monitoring/performance', async () => {
    const before = await request(app.getHttpServer()).get('/monitoring/performance').expect(200);
    expect(before.body.verdict).toBe('insufficient_data');
    const single = await request(app.getHttpServer())
      .post('/feedback')
      .send({ request_id: shiftedIds[0], actual: shiftedRows[0].actual })
      .expect(200);
    expect(single.body).toMatchObject({ request_id: shiftedIds[0], actual: shiftedRows[0].actual, model_version: 'v1' });
    const items = shiftedIds.slice(1).map((id, i) => ({ request_id: id, actual: shiftedRows[i + 1].actual }));
    const batch = await request(app.getHttpServer()).post('/feedback/batch').send({ items }).expect(200);
    expect(batch.body).toEqual({ recorded: 999, unknown: [], duplicate: [] });

    const res = await request(app.getHttpServer()).get('/monitoring/performance').expect(200);
    expect(res.body.verdict).not.toBe('insufficient_data');
    expect(res.body.n_labelled).toBe(1000);
    expect(res.body.n_positive).toBe(shiftedRows.filter((r) => r.actual === 'yes').length);
    for (const key of ['accuracy', 'precision', 'recall', 'f1_score', 'roc_auc', 'brier_score', 'positive_rate']) {
      expect(typeof res.body.live[key]).toBe('number');
      expect(res.body.change[key]).toBeCloseTo(res.body.live[key] - res.body.baseline[key], 12);
    }
    await app.get(PredictionRecordService).flush();
    const feedbackLines = readJsonLines(path.join(config.storageDir, 'logs', 'feedback.log'));
    expect(feedbackLines).toHaveLength(1000);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/http_requests_total\{method="POST",route="\/predict",status="200"\} \d+/);
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{.*route="\/predict"/);
    expect(res.text).toMatch(/predictions_total\{label="(yes|no)",model_version="v1"\}/);
    expect(res.text).toContain('model_active_info{model_version="v1"} 1');
    expect(res.text).toMatch(/drift_feature_psi\{feature="euribor3m"\} [0-9.]+/);
    expect(res.text).toMatch(/drift_dataset \d/);
    expect(res.text).toMatch(/live_performance\{metric="roc_auc"\} [0-9.]+/);
  });

  it('a drift report over a time range covers only that range', async () => {
    const from = new Date().toISOString();
    await serve(app, sampleRows(training, 150, 5));
    const res = await request(app.getHttpServer()).get('/monitoring/drift').query({ from }).expect(200);
    expect(res.body.window_size).toBe(150);
    expect(res.body.window_start >= from).toBe(true);
  });

  describe('bad input gets a clear 4xx', () => {
    it('feedback for an unknown request id is 404', async () => {
      const res = await request(app.getHttpServer()).post('/feedback').send({ request_id: 'nope', actual: 'yes' }).expect(404);
      expect(res.body.message).toMatch(/no prediction with request_id 'nope'/);
    });

    it('a second outcome for the same id is 409, and the first one stands', async () => {
      const res = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
      const id = res.body.request_id;
      await request(app.getHttpServer()).post('/feedback').send({ request_id: id, actual: 'yes' }).expect(200);
      const again = await request(app.getHttpServer()).post('/feedback').send({ request_id: id, actual: 'no' }).expect(409);
      expect(again.body.message).toMatch(/already has an outcome/);
      expect(app.get(PredictionRecordService).get(id)!.actual).toBe(1);
      const batch = await request(app.getHttpServer())
        .post('/feedback/batch')
        .send({
          items: [
            { request_id: id, actual: 'no' },
            { request_id: 'ghost', actual: 'no' },
          ],
        })
        .expect(200);
      expect(batch.body).toEqual({ recorded: 0, unknown: ['ghost'], duplicate: [id] });
    });

    it.each([
      ['no body', undefined, /request_id is required/],
      ['a bad outcome', { request_id: 'x', actual: 'maybe' }, /actual must be one of the following values: yes, no/],
      ['a numeric id', { request_id: 5, actual: 'yes' }, /request_id must be a string/],
      ['an extra field', { request_id: 'x', actual: 'yes', extra: 1 }, /property extra should not exist/],
      ['an id with spaces', { request_id: 'a b', actual: 'yes' }, /request_id must be a request id/],
    ])('POST /feedback with %s is 400', async (_name, body, expected) => {
      const res = await request(app.getHttpServer())
        .post('/feedback')
        .send(body as object)
        .expect(400);
      expect([res.body.message].flat().join('\n')).toMatch(expected);
    });

    it('a /feedback/batch of 10,000 items with 128-character ids (about 1.6 MB) is read, not refused as too large', async () => {
      const items = Array.from({ length: 10_000 }, (_, i) => ({
        request_id: `${'x'.repeat(120)}-${String(i).padStart(7, '0')}`,
        actual: 'no',
      }));
      expect(JSON.stringify({ items }).length).toBeGreaterThan(1024 * 1024);
      const res = await request(app.getHttpServer()).post('/feedback/batch').send({ items }).expect(200);
      expect(res.body.recorded).toBe(0);
      expect(res.body.unknown).toHaveLength(10_000);
    });

    it.each([
      ['no items', {}, /items is required/],
      ['an empty list', { items: [] }, /items must contain at least 1 elements/],
      ['not a list', { items: 'x' }, /items must be an array/],
      ['a bad item', { items: [{ request_id: 'x', actual: 'perhaps' }] }, /items\.0\.actual must be one of/],
      [
        'too many items',
        { items: Array.from({ length: 10001 }, () => ({ request_id: 'x', actual: 'no' })) },
        /items must contain no more than 10000 elements/,
      ],
    ])('POST /feedback/batch with %s is 400', async (_name, body, expected) => {
      const res = await request(app.getHttpServer()).post('/feedback/batch').send(body).expect(400);
      expect([res.body.message].flat().join('\n')).toMatch(expected);
    });

    it.each([
      ['window=0', /window must not be less than 1/],
      ['window=abc', /window must be an integer/],
      ['window=1.5', /window must be an integer/],
      ['window=50001', /window must not be greater than HISTORY_SIZE \(50000\)/],
      ['from=yesterday', /from must be a valid ISO 8601 date string/],
      ['window=10&from=2026-01-01T00:00:00Z', /either window or from\/to/],
      ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', /from must not be after to/],
      ['colour=blue', /property colour should not exist/],
    ])('GET /monitoring/drift?%s is 400', async (query, expected) => {
      const res = await request(app.getHttpServer()).get(`/monitoring/drift?${query}`).expect(400);
      expect([res.body.message].flat().join('\n')).toMatch(expected);
    });

    it.each([
      ['window=-1', /window must not be less than 1/],
      ['window=x', /window must be an integer/],
      ['window=999999', /window must not be greater than HISTORY_SIZE/],
    ])('GET /monitoring/performance?%s is 400', async (query, expected) => {
      const res = await request(app.getHttpServer()).get(`/monitoring/performance?${query}`).expect(400);
      expect([res.body.message].flat().join('\n')).toMatch(expected);
    });
  });
});
