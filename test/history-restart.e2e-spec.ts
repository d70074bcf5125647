import { appendFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { PredictionRecordService } from '../src/predictions/prediction-record.service';
import { runCli } from './support/cli';
import { readRows, sampleRows } from './support/data-rows';
import { SMALL_DATA, createTestApp, testConfig } from './support/test-app';

describe('monitoring state survives a restart; the drift CLI reads the same logs', () => {
  const config = testConfig();
  const rows = sampleRows(readRows(SMALL_DATA), 150, 3);
  const ids: string[] = [];

  it('serves and labels predictions, then a new app rebuilds its history from the logs', async () => {
    const first = await createTestApp(config);
    for (const row of rows) {
      const res = await request(first.getHttpServer()).post('/predict').send(row.features).expect(200);
      ids.push(res.body.request_id);
    }
    const items = ids.slice(0, 100).map((id, i) => ({ request_id: id, actual: rows[i].actual }));
    await request(first.getHttpServer()).post('/feedback/batch').send({ items }).expect(200);
    await first.close();

    const second = await createTestApp(config);
    const history = second.get(PredictionRecordService);
    expect(history.latest(1000)).toHaveLength(150);
    expect(history.latestLabelled(1000)).toHaveLength(100);
    expect(history.get(ids[0])!.actual).toBe(rows[0].actual === 'yes' ? 1 : 0);
    await request(second.getHttpServer()).post('/feedback').send({ request_id: ids[0], actual: 'no' }).expect(409);
    await request(second.getHttpServer()).post('/feedback').send({ request_id: ids[120], actual: 'no' }).expect(200);
    const drift = await request(second.getHttpServer()).get('/monitoring/drift').expect(200);
    expect(drift.body.window_size).toBe(150);
    await second.close();
  });

  it('skips damaged log lines at start (a missing or mistyped feature, a bad timestamp), so drift still answers', async () => {
    const good = readFileSync(path.join(config.storageDir, 'logs', 'inference.log'), 'utf8')
      .trim()
      .split('\n')
      .at(-1)!;
    const entry = JSON.parse(good);
    const damaged = [
      { ...entry, request_id: 'no-age', input: { ...entry.input, age: undefined } },
      { ...entry, request_id: 'text-age', input: { ...entry.input, age: '41' } },
      { ...entry, request_id: 'empty-input', input: {} },
      { ...entry, request_id: 'bad-time', timestamp: 'yesterday' },
      { ...entry, request_id: 'no-latency', latency_ms: undefined },
    ];
    appendFileSync(
      path.join(config.storageDir, 'logs', 'inference.log'),
      damaged.map((d) => `${JSON.stringify(d)}\n`).join('') + '{"half a line\n',
    );
    const app = await createTestApp(config);
    try {
      const history = app.get(PredictionRecordService);
      expect(history.latest(1000)).toHaveLength(150);
      for (const d of damaged) expect(history.get(d.request_id)).toBeUndefined();
      const drift = await request(app.getHttpServer()).get('/monitoring/drift').expect(200);
      expect(drift.body.window_size).toBe(150);
    } finally {
      await app.close();
    }
  });

  it('node dist/cli drift prints the per-feature table and the verdict', () => {
    const res = runCli(['drift', '--window', '150'], { STORAGE_DIR: config.storageDir });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('drift of the last 150 predictions against the training data of v1');
    expect(res.stdout).toMatch(/feature\s+kind\s+psi\s+threshold\s+drifted\s+test\s+p-value/);
    expect(res.stdout).toMatch(/euribor3m\s+numeric\s+\d\.\d{4}/);
    expect(res.stdout).toMatch(/job\s+categorical/);
    expect(res.stdout).toMatch(/verdict: no_drift: 0 of 19 features drifted/);
  });

  it('node dist/cli drift with too few predictions says insufficient_data', () => {
    const res = runCli(['drift', '--window', '50'], { STORAGE_DIR: config.storageDir });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('verdict: insufficient_data (50 predictions, at least 100 needed)');
  });

  it('node dist/cli drift with no model fails with one line', () => {
    const res = runCli(['drift'], { STORAGE_DIR: testConfig().storageDir });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('error: no model is available: no model has been trained yet: run `node dist/cli train`');
  });
});
