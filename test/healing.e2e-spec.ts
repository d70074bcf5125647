import { INestApplication } from '@nestjs/common';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { ModelLifecycle } from '../src/model-registry/model-lifecycle';
import { runCli } from './support/cli';
import { LabelledRow, readRows, sampleRows } from './support/data-rows';
import { FULL_DATA, SMALL_DATA, createTestApp, makeTempDir, testConfig } from './support/test-app';

const TOKEN = 'test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };
const full = readRows(FULL_DATA);
const late = full.slice(-6000, -2000); // 2010, after the rate cuts: real drift
const last = full.slice(-2000); // the final months, Sep-Nov 2010

async function serveWithOutcomes(app: INestApplication, rows: LabelledRow[], outcome?: 'yes' | 'no'): Promise<void> {
  const server = app.getHttpServer();
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const res = await request(server)
      .post('/predict/batch')
      .send({ instances: chunk.map((r) => r.features) })
      .expect(200);
    const items = res.body.predictions.map((p: { request_id: string }, i: number) => ({
      request_id: p.request_id,
      actual: outcome ?? chunk[i].actual,
    }));
    // With the admin token the outcomes are trusted: healing may act on them on its own (issue 15).
    await request(server).post('/feedback/batch').set(auth).send({ items }).expect(200);
  }
}

/** A copy of the training data whose outcomes are shuffled: a model trained on it is useless. */
function shuffledLabelFile(): string {
  const [header, ...lines] = readFileSync(SMALL_DATA, 'utf8').split('\r\n').filter(Boolean);
  const outcomes = sampleRows(
    lines.map((l) => l.slice(l.lastIndexOf(';'))),
    lines.length,
    77,
  );
  const file = path.join(makeTempDir(), 'shuffled.csv');
  writeFileSync(file, [header, ...lines.map((l, i) => l.slice(0, l.lastIndexOf(';')) + outcomes[i])].join('\n'));
  return file;
}

describe('self-healing: challenger, gate, promotion, watch and rollback', () => {
  let app: INestApplication;
  let config: AppConfig;

  beforeAll(async () => {
    config = testConfig({ ADMIN_TOKEN: TOKEN, AUTO_HEAL: 'false', HEAL_MIN_LABELS: '500', WATCH_LABELS: '300' });
    app = await createTestApp(config);
  });

  afterAll(async () => {
    await app.close();
  });

  const events = async () => (await request(app.getHttpServer()).get('/models/events').expect(200)).body;

  it('admin endpoints need the bearer token', async () => {
    await request(app.getHttpServer()).post('/monitoring/heal').expect(401);
    await request(app.getHttpServer()).post('/monitoring/heal').set('Authorization', 'Bearer wrong').expect(401);
    await request(app.getHttpServer()).post('/models/rollback').set('Authorization', TOKEN).expect(401);
    await request(app.getHttpServer()).post('/models/v1/promote').expect(401);
  });

  it('with too few labels a heal run is skipped, recorded, and trains nothing', async () => {
    await serveWithOutcomes(app, late.slice(0, 200));
    const res = await request(app.getHttpServer()).post('/monitoring/heal').set(auth).expect(200);
    expect(res.body.action).toBe('skipped');
    expect(res.body.reason).toMatch(/HEAL_MIN_LABELS|nothing to heal/);
    const last = (await events()).at(-1);
    expect(last).toMatchObject({ type: 'heal_skipped', actor: 'api' });
    const models = await request(app.getHttpServer()).get('/models').expect(200);
    expect(models.body.map((m: { version: string }) => m.version)).toEqual(['v1']);
  });

  it('late-2010 rows with their outcomes: a challenger wins on the holdout and is promoted', async () => {
    await serveWithOutcomes(app, last);
    const status = await request(app.getHttpServer()).get('/monitoring/status').expect(200);
    expect(['drifting', 'degraded']).toContain(status.body.status);

    const [first, second] = await Promise.all([
      request(app.getHttpServer()).post('/monitoring/heal').set(auth),
      new Promise((r) => setTimeout(r, 5)).then(() => request(app.getHttpServer()).post('/monitoring/heal').set(auth)),
    ]);
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/already in progress/);
    expect(first.status).toBe(200);
    const outcome = first.body;
    expect(outcome.action).toBe('promoted');
    expect(outcome.challenger).toBe('v2');
    // The gate judged a proper score on paired rows, with its interval, and ROC-AUC with DeLong's.
    expect(outcome.gate).toMatchObject({ verdict: 'promote', loss: { score: 'brier' } });
    expect(outcome.gate.loss.gain).toBeGreaterThan(config.healing.minGain);
    expect(outcome.gate.challenger.brier).toBeLessThan(outcome.gate.champion.brier);
    expect(outcome.gate.loss.interval.lower).toBeLessThan(outcome.gate.loss.interval.upper);
    expect(outcome.gate.roc_auc).toMatchObject({ method: 'delong_paired', difference: expect.any(Number) });
    expect(outcome.search.candidates.filter((c: { status: string }) => c.status === 'scored').length).toBeGreaterThan(1);

    const info = await request(app.getHttpServer()).get('/info').expect(200);
    expect(info.body.model_version).toBe('v2');
    const promoted = (await events()).filter((e: { type: string }) => e.type === 'promoted').at(-1);
    expect(promoted).toMatchObject({ actor: 'api', from_version: 'v1', to_version: 'v2' });
    expect(promoted.trigger.status).toBe(status.body.status);
    expect(promoted.gate.challenger.brier).toBe(outcome.gate.challenger.brier);
    expect(promoted.gate.search.chosen).toBe(outcome.search.chosen.name);
    const v2 = await request(app.getHttpServer()).get('/models/v2').expect(200);
    expect(v2.body).toMatchObject({ status: 'active', parent_version: 'v1' });
    expect(v2.body.metadata.trained_until).toEqual(expect.any(String));
    // The version records the spec the search chose, and the rows it was really fitted on.
    expect(v2.body.metadata.params.spec).toEqual(outcome.search.chosen.spec);
    expect(v2.body.metadata.params).toMatchObject({ split: { given: true } });
    expect(v2.body.metadata.params.threshold).toBeGreaterThan(0);
    expect(v2.body.metadata.params.threshold).toBeLessThanOrEqual(0.5);
    const v1 = await request(app.getHttpServer()).get('/models/v1').expect(200);
    expect(v1.body.metadata.params).toMatchObject({ calibration: 'balanced', threshold: 0.5 });
  });

  it('outcomes of one class only: nothing can be judged, so nothing is trained and the champion keeps serving', async () => {
    // Every label new since the last run is a no: even all of them cannot make a holdout with yes in it.
    await serveWithOutcomes(app, late.slice(2000, 2800), 'no');
    const res = await request(app.getHttpServer()).post('/monitoring/heal').set(auth).expect(200);
    expect(res.body.action).toBe('skipped');
    expect(res.body.reason).toMatch(/holds 0 yes and \d+ no, fewer than HEAL_MIN_POSITIVES \(20\)/);
    expect((await events()).at(-1)).toMatchObject({ type: 'heal_skipped', actor: 'api' });
    const versions = (await request(app.getHttpServer()).get('/models').expect(200)).body;
    expect(versions).toHaveLength(2); // nothing half-saved
    expect((await request(app.getHttpServer()).get('/health')).body.model_version).toBe('v2');
  });

  it('a forced bad promotion is rolled back by the watch', async () => {
    const bad = await app.get(ModelLifecycle).trainFromFile({
      dataFile: shuffledLabelFile(),
      seed: 42,
      activate: false,
      reason: 'deliberately bad model (shuffled outcomes)',
      actor: 'cli',
    });
    expect(bad.version).toBe('v3');
    const promoted = await request(app.getHttpServer()).post('/models/v3/promote').set(auth).expect(200);
    expect(promoted.body).toMatchObject({ active: 'v3', previous: 'v2', watch: { champion: 'v3', previous: 'v2', labels_needed: 300 } });
    expect((await request(app.getHttpServer()).get('/health')).body.model_version).toBe('v3');

    await serveWithOutcomes(app, late.slice(1000, 1400));
    const res = await request(app.getHttpServer()).post('/monitoring/heal').set(auth).expect(200);
    expect(res.body.action).toBe('rolled_back');
    expect(res.body.active).toBe('v2');
    expect((await request(app.getHttpServer()).get('/info')).body.model_version).toBe('v2');
    const last = (await events()).filter((e: { type: string }) => e.type === 'rolled_back').at(-1);
    expect(last).toMatchObject({ actor: 'api', from_version: 'v3', to_version: 'v2' });
    // Judged by the gate's statistics: the new champion's loss is worse with confidence.
    expect(last.gate).toMatchObject({ verdict: 'rollback' });
    expect(last.gate.loss.gain).toBeLessThan(0);
    expect(last.gate.previous.brier).toBeLessThan(last.gate.current.brier);

    const models = (await request(app.getHttpServer()).get('/models').expect(200)).body;
    expect(models.find((m: { version: string }) => m.version === 'v3').status).toBe('rejected');
    const again = await request(app.getHttpServer()).post('/models/v3/promote').set(auth).expect(409);
    expect(again.body.message).toMatch(/rejected/);
  });

  it('promote and rollback reject what cannot be done', async () => {
    expect((await request(app.getHttpServer()).post('/models/v99/promote').set(auth).expect(404)).body.message).toMatch(/no version v99/);
    expect((await request(app.getHttpServer()).post('/models/latest/promote').set(auth).expect(404)).body.message).toMatch(
      /not a version name/,
    );
    expect((await request(app.getHttpServer()).post('/models/v2/promote').set(auth).expect(409)).body.message).toMatch(/already active/);
    await request(app.getHttpServer()).get('/models/v99').expect(404);
    await request(app.getHttpServer()).get('/models/events?limit=0').expect(400);
    await request(app.getHttpServer()).get('/models/events?limit=abc').expect(400);
  });

  it('a running server follows a promotion made by the CLI (it checks every second)', async () => {
    const cli = runCli(['promote', 'v1'], { STORAGE_DIR: config.storageDir });
    expect(cli.status).toBe(0);
    // Generous: the check runs every second, and this machine may be busy; how fast is not the point.
    const deadline = Date.now() + 20_000;
    let version = '';
    while (Date.now() < deadline) {
      version = (await request(app.getHttpServer()).get('/health')).body.model_version;
      if (version === 'v1') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(version).toBe('v1');
  }, 30_000);

  it('a damaged registry.json: rollback answers 409 saying so, and a promotion writes a new one', async () => {
    const registryFile = path.join(config.storageDir, 'registry.json');
    writeFileSync(registryFile, '{"active": "v1", "hist');
    const rollback = await request(app.getHttpServer()).post('/models/rollback').set(auth).expect(409);
    expect(rollback.body.message).toMatch(
      /registry\.json cannot be read \(.*file is not valid JSON\): promote a version to write a new one/,
    );
    await request(app.getHttpServer()).post('/models/v2/promote').set(auth).expect(200);
    expect(JSON.parse(readFileSync(registryFile, 'utf8')).active).toBe('v2');
  });
});

describe('admin endpoints without ADMIN_TOKEN', () => {
  it('answer 403 and say how to enable them; rollback with no previous version is 409 for the CLI', async () => {
    const config = testConfig();
    const app = await createTestApp(config);
    const res = await request(app.getHttpServer()).post('/models/rollback').set(auth).expect(403);
    expect(res.body.message).toMatch(/set ADMIN_TOKEN/);
    await request(app.getHttpServer()).post('/monitoring/heal').expect(403);
    await app.close();
    const cli = runCli(['rollback'], { STORAGE_DIR: config.storageDir });
    expect(cli.status).toBe(1);
    expect(cli.stderr.trim()).toBe('error: there is no previous version to roll back to');
  });
});
