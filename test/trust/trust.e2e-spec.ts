/**
 * Issue 15, in one process per app: who may teach the model (anonymous outcomes and poisoned ones
 * are held for an admin), token guessing, reused request ids, a storm of large reports, and the
 * bound on concurrent batches.
 */
import { INestApplication, Logger } from '@nestjs/common';
import { connect } from 'node:net';
import request from 'supertest';
import { readRows, sampleRows } from '../support/data-rows';
import { EXAMPLE_CLIENT, FULL_DATA, SMALL_DATA, createTestApp, testConfig } from '../support/test-app';

jest.setTimeout(120_000);

const ADMIN = 'trust-admin-token-0123456789';
const FEEDBACK = 'trust-feedback-token-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };
const small = readRows(SMALL_DATA);

/** Serves `rows` in batches and sends every outcome flipped (the attack), with the given headers. */
async function poison(app: INestApplication, rows: typeof small, headers: Record<string, string> = {}): Promise<void> {
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const res = await request(app.getHttpServer())
      .post('/predict/batch')
      .send({ instances: chunk.map((r) => r.features) })
      .expect(200);
    const items = res.body.predictions.map((p: { request_id: string }, i: number) => ({
      request_id: p.request_id,
      actual: chunk[i].actual === 'yes' ? 'no' : 'yes',
    }));
    await request(app.getHttpServer()).post('/feedback/batch').set(headers).send({ items }).expect(200);
  }
}

const healEnv = { ADMIN_TOKEN: ADMIN, AUTO_HEAL: 'false', HEAL_MIN_LABELS: '500', HEAL_SEARCH_WINDOWS: '1000' };

describe('who may teach the model', () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('without FEEDBACK_TOKEN, anonymous flipped outcomes lead to a held challenger, not a promotion; an admin may promote it', async () => {
    app = await createTestApp(testConfig(healEnv));
    await poison(app, sampleRows(small, 1500, 5));
    const status = (await request(app.getHttpServer()).get('/monitoring/status').expect(200)).body;
    expect(status.status).toBe('degraded');
    const heal = (await request(app.getHttpServer()).post('/monitoring/heal').set(admin).expect(200)).body;
    expect(heal).toMatchObject({ action: 'held', champion: 'v1', challenger: 'v2', active: 'v1' });
    expect(heal.reason).toMatch(/held for an admin: \d+ of the \d+ outcomes it rests on came from anonymous feedback/);
    // The outcomes also turned against inputs that did not drift: the collapse guard says so too.
    expect(heal.reason).toMatch(/live ROC-AUC 0\.\d+ is below chance .* while its inputs have not drifted/);
    expect((await request(app.getHttpServer()).get('/info').expect(200)).body.model_version).toBe('v1');
    const v2 = (await request(app.getHttpServer()).get('/models/v2').expect(200)).body;
    expect(v2.status).toBe('held');
    const events = (await request(app.getHttpServer()).get('/models/events').expect(200)).body;
    expect(events.at(-1)).toMatchObject({ type: 'held', version: 'v2', reason: heal.reason });
    await request(app.getHttpServer()).post('/models/v2/promote').set(admin).expect(200);
    expect((await request(app.getHttpServer()).get('/info').expect(200)).body.model_version).toBe('v2');
  });

  it('with FEEDBACK_TOKEN, outcomes need it; flipped outcomes on undrifted inputs are still held (the collapse guard)', async () => {
    app = await createTestApp(testConfig({ ...healEnv, FEEDBACK_TOKEN: FEEDBACK }));
    const served = await request(app.getHttpServer()).post('/predict').send(EXAMPLE_CLIENT).expect(200);
    const body = { request_id: served.body.request_id, actual: 'yes' };
    expect((await request(app.getHttpServer()).post('/feedback').send(body).expect(401)).body.message).toBe(
      'this endpoint needs Authorization: Bearer <FEEDBACK_TOKEN>',
    );
    await request(app.getHttpServer())
      .post('/feedback/batch')
      .send({ items: [body] })
      .expect(401);
    await request(app.getHttpServer()).post('/feedback').set('Authorization', 'Bearer wrong-token').send(body).expect(401);
    await request(app.getHttpServer()).post('/feedback').set('Authorization', `Bearer ${FEEDBACK}`).send(body).expect(200);

    await poison(app, sampleRows(small, 1500, 6), { Authorization: `Bearer ${FEEDBACK}` });
    const heal = (await request(app.getHttpServer()).post('/monitoring/heal').set(admin).expect(200)).body;
    expect(heal.action).toBe('held');
    expect(heal.reason).not.toMatch(/anonymous/);
    expect(heal.reason).toMatch(
      /live ROC-AUC 0\.\d+ is below chance \(0\.5\) while its inputs have not drifted: the outcomes may be poisoned or broken/,
    );
    expect((await request(app.getHttpServer()).get('/info').expect(200)).body.model_version).toBe('v1');
  });
});

describe('tokens cannot be guessed at full speed', () => {
  it('after AUTH_FAILURES_PER_MINUTE wrong tokens a client gets 429, even with the right one, and each failure is one short line', async () => {
    const warnings = jest.spyOn(Logger.prototype, 'warn');
    const app = await createTestApp(testConfig({ ADMIN_TOKEN: ADMIN, AUTO_HEAL: 'false', AUTH_FAILURES_PER_MINUTE: '3' }));
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push((await request(app.getHttpServer()).post('/models/rollback').set('Authorization', `Bearer guess-${i}`)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
      const blocked = await request(app.getHttpServer()).post('/models/rollback').set(admin).expect(429);
      expect(blocked.body.message).toMatch(/too many failed authentications from this client: try again in \d+ s/);
      const lines = warnings.mock.calls.map((call) => String(call[0])).filter((m) => /failures a minute|blocked for/.test(m));
      expect(lines).toHaveLength(4); // three failures, then one line when blocked, none for the refusals after it
      for (const line of lines) expect(line.length).toBeLessThan(120);
    } finally {
      warnings.mockRestore();
      await app.close();
    }
  });
});

describe('request ids are unique within the history', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createTestApp(testConfig({ AUTO_HEAL: 'false' }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('a reused X-Request-Id on /predict is a 409; the first prediction keeps its outcome', async () => {
    const first = await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'order-1001').send(EXAMPLE_CLIENT).expect(200);
    const again = await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'order-1001').send(EXAMPLE_CLIENT).expect(409);
    expect(again.body.message).toMatch(/request id 'order-1001' is already in use/);
    const both = await Promise.all(
      [1, 2].map(() => request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'order-1002').send(EXAMPLE_CLIENT)),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]); // concurrent: one wins
    const feedback = await request(app.getHttpServer()).post('/feedback').send({ request_id: 'order-1001', actual: 'yes' }).expect(200);
    expect(feedback.body.model_version).toBe(first.body.model_version);
  });

  it('batch ids and their rows likewise: a reused batch id, or a single id that is a row of a held batch', async () => {
    const rows = { instances: [EXAMPLE_CLIENT, EXAMPLE_CLIENT] };
    await request(app.getHttpServer()).post('/predict/batch').set('X-Request-Id', 'batch-7').send(rows).expect(200);
    await request(app.getHttpServer()).post('/predict/batch').set('X-Request-Id', 'batch-7').send(rows).expect(409);
    await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'batch-7-1').send(EXAMPLE_CLIENT).expect(409);
    await request(app.getHttpServer()).post('/predict').set('X-Request-Id', 'batch-7-2').send(EXAMPLE_CLIENT).expect(200);
    await request(app.getHttpServer())
      .post('/predict/batch')
      .set('X-Request-Id', 'batch-7')
      .send({ instances: [EXAMPLE_CLIENT] })
      .expect(409);
    await request(app.getHttpServer())
      .post('/predict/batch')
      .set('X-Request-Id', 'order-1001')
      .send({ instances: [EXAMPLE_CLIENT] })
      .expect(200); // its row is order-1001-0, a new id
  });
});

describe('no starvation', () => {
  it('50 concurrent 50,000-row drift reports are computed once and shared; /predict probes meanwhile all succeed', async () => {
    const app = await createTestApp(testConfig({ AUTO_HEAL: 'false' }));
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    try {
      const full = readRows(FULL_DATA).map((r) => r.features);
      for (let served = 0; served < 50_000; served += 10_000) {
        const instances = Array.from({ length: 10_000 }, (_, i) => full[(served + i) % full.length]);
        await request(url).post('/predict/batch').send({ instances }).expect(200);
      }
      const reports = Promise.all(Array.from({ length: 50 }, () => request(url).get('/monitoring/drift?window=50000')));
      const probes: number[] = [];
      let done = false;
      void reports.finally(() => (done = true));
      while (!done || probes.length < 5) {
        probes.push((await request(url).post('/predict').timeout(10_000).send(EXAMPLE_CLIENT)).status);
      }
      const answers = await reports;
      expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(answers[0].body.window_size).toBe(50_000);
      expect(new Set(answers.map((r) => r.body.generated_at)).size).toBe(1); // one computation, shared
      expect(probes.every((s) => s === 200)).toBe(true);
      // A shared report never answers a query that is wrong on its own.
      await request(url).get('/monitoring/drift?from=2000-01-01T00:00:00Z').expect(200);
      await request(url).get('/monitoring/drift?window=50000&from=2000-01-01T00:00:00Z').expect(400);
    } finally {
      await app.close();
    }
  });

  it('beyond MAX_CONCURRENT_BATCHES a batch is answered 429 at once, before its body is read', async () => {
    const app = await createTestApp(testConfig({ AUTO_HEAL: 'false', MAX_CONCURRENT_BATCHES: '1' }));
    await app.listen(0, '127.0.0.1');
    const port = Number(new URL(await app.getUrl()).port);
    // A batch whose body is still on its way holds the only place.
    const slow = connect(port, '127.0.0.1');
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write('POST /predict/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"instances":[');
    try {
      await new Promise((r) => setTimeout(r, 200));
      const refused = await request(await app.getUrl())
        .post('/predict/batch')
        .send({ instances: [EXAMPLE_CLIENT] })
        .expect(429);
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body.message).toMatch(/1 batch requests are in progress \(MAX_CONCURRENT_BATCHES\)/);
      await request(await app.getUrl())
        .post('/predict')
        .send(EXAMPLE_CLIENT)
        .expect(200);
      slow.destroy();
      await new Promise((r) => setTimeout(r, 200));
      await request(await app.getUrl())
        .post('/predict/batch')
        .send({ instances: [EXAMPLE_CLIENT] })
        .expect(200);
    } finally {
      slow.destroy();
      await app.close();
    }
  });
});
