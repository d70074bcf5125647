import { BANK_SCHEMA } from '../src/data/testing/bank-schema';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Browser } from 'playwright-core';
import { loadCsvDataset } from '../src/data/csv-dataset-loader';
import { ModelStore } from '../src/model-registry/model-store';
import { policyMetrics } from '../src/replay/replay-metrics';
import { runCli } from './support/cli';
import { describeInBrowser, launchChromium } from './support/chromium';
import { readJsonLines } from './support/log-files';
import { FULL_DATA, makeTempDir } from './support/test-app';

const ARGS = ['replay', '--data', FULL_DATA, '--limit', '6000', '--initial', '2000', '--chunk', '1000'];
const POLICIES = ['healed', 'static', 'always_retrain', 'always_retrain_best'] as const;

function replay(out: string) {
  const res = runCli([...ARGS, '--out', out], { HEAL_MIN_LABELS: '500' });
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  return { stdout: res.stdout, report: JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) };
}

/** The figures a rerun must reproduce (not the timings). */
const figures = (r: Record<string, unknown>) => ({
  chunks: r.chunks,
  overall: r.overall,
  after_first_chunk: r.after_first_chunk,
  decisions: r.decisions,
  mean_chunk_roc_auc: r.mean_chunk_roc_auc,
  candidates: r.candidates,
  always_retrain_best: r.always_retrain_best,
  targets: r.targets,
});

describe('node dist/cli replay (short: 2,000 initial rows, then 4 chunks of 1,000)', () => {
  const out = makeTempDir('replay-');
  let first: ReturnType<typeof replay>;

  beforeAll(() => {
    first = replay(out);
  }, 120_000);

  it('prints the overall table and writes report.json, report.md and chart.svg', () => {
    expect(first.stdout).toMatch(/replayed 4000 rows in 4 chunks/);
    expect(first.stdout).toMatch(/healed\s+\d\.\d{4}/);
    expect(first.stdout).toMatch(/after the first chunk/);
    expect(first.stdout).toMatch(
      /always_retrain_best = (prior|one_hot)\/(all|without_time_level|without_drifted_numeric|without_drifted)\/10000 /,
    );
    const report = first.report;
    expect(report).toMatchObject({
      mode: 'in-process',
      data_file: FULL_DATA,
      options: { initial: 2000, chunk: 1000, rows_replayed: 4000, specs: ['prior', 'one_hot'] },
      initial_version: 'v1',
    });
    // The first 6,000 rows of the file were all called in May 2008 (June begins at row 7,763).
    expect(report.calendar.data).toEqual({ first: '2008-05', last: '2008-05' });
    expect(report.chunks).toHaveLength(4);
    for (const chunk of report.chunks) {
      expect(chunk.rows[1] - chunk.rows[0]).toBe(1000);
      for (const policy of POLICIES)
        expect(Object.keys(chunk.metrics[policy]).sort()).toEqual([
          'brier_score',
          'f1_score',
          'log_loss',
          'n',
          'positives',
          'precision',
          'recall',
          'roc_auc',
        ]);
      expect(chunk.months).toEqual({ first: '2008-05', last: '2008-05' });
      expect(['drift', 'no_drift', 'insufficient_data']).toContain(chunk.drift.verdict);
      expect(typeof chunk.heal.action).toBe('string');
    }
    expect(report.targets).toHaveLength(7);
    for (const target of report.targets) expect(typeof target.met).toBe('boolean');
    expect(report.candidates).toHaveLength(8);
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Overall (all replayed rows)');
    expect(md).toContain('## After the first chunk (rows 3001-6000, May 2008)');
    expect(md).toContain("## always_retrain_best's candidates");
    expect(md).toMatch(/\| healed \| \d\.\d{4} \|/);
    expect(readFileSync(path.join(out, 'chart.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it("its figures equal a recomputation from the service's logged rows and the data", async () => {
    const report = first.report;
    const data = await loadCsvDataset(FULL_DATA, BANK_SCHEMA);
    const logged = readJsonLines<{ probability: number; prediction: number; model_version: string; request_id: string }>(
      path.join(report.service_storage, 'logs', 'inference.log'),
    );
    expect(logged).toHaveLength(4000);
    const store = new ModelStore(report.service_storage, BANK_SCHEMA);
    const initial = await store.versions.loadVersion('v1');
    for (const chunk of report.chunks) {
      const [from, to] = chunk.rows;
      const labels = data.labels.slice(from, to);
      const rows = logged.slice(from - 2000, to - 2000);
      expect(
        policyMetrics(
          labels,
          rows.map((l) => l.probability),
          rows.map((l) => l.prediction),
        ),
      ).toEqual(chunk.metrics.healed);
      const staticP = data.records.slice(from, to).map((r) => initial.model.probability(initial.preprocessor.transform(r)));
      const staticDecisions = staticP.map((p) => (p > initial.model.threshold ? 1 : 0));
      expect(policyMetrics(labels, staticP, staticDecisions)).toEqual(chunk.metrics.static);
      const servedBy: Record<string, number> = {};
      for (const l of rows) servedBy[l.model_version] = (servedBy[l.model_version] ?? 0) + 1;
      expect(servedBy).toEqual(chunk.served_by);
    }
    const allLabels = data.labels.slice(2000, 6000);
    const served = (rows: typeof logged) => [rows.map((l) => l.probability), rows.map((l) => l.prediction)] as const;
    expect(policyMetrics(allLabels, ...served(logged))).toEqual(report.overall.healed);
    // After the first chunk: the 3,000 rows from row 3,000 on.
    expect(policyMetrics(allLabels.slice(1000), ...served(logged.slice(1000)))).toEqual(report.after_first_chunk.healed);
    const staticP = data.records.slice(3000, 6000).map((r) => initial.model.probability(initial.preprocessor.transform(r)));
    const staticAfterFirst = policyMetrics(
      allLabels.slice(1000),
      staticP,
      staticP.map((p) => (p > initial.model.threshold ? 1 : 0)),
    );
    expect(staticAfterFirst).toEqual(report.after_first_chunk.static);
    for (const policy of POLICIES) {
      const aucs = report.chunks
        .map((c: { metrics: Record<string, { roc_auc: number | null }> }) => c.metrics[policy].roc_auc)
        .filter((v: number | null) => v !== null);
      expect(report.mean_chunk_roc_auc[policy]).toBeCloseTo(aucs.reduce((a: number, b: number) => a + b, 0) / aucs.length, 12);
    }
    // Every decision in the report is in the service's audit trail, with the spec its challenger was fitted with.
    const events = await store.events.latest(1000);
    for (const decision of report.decisions) {
      const type = decision.action === 'failed' ? 'heal_failed' : decision.action;
      expect(events.some((e) => e.type === type)).toBe(true);
      if (decision.version) expect(decision.spec).toEqual((await store.versions.loadMetadata(decision.version)).params.spec);
      else expect(decision.spec).toBeNull();
    }
  });

  it('always_retrain_best is the candidate with the lowest Brier after the first chunk, each candidate starting from the initial model', () => {
    const report = first.report;
    type Candidate = { name: string; chunks: unknown[]; overall: unknown; after_first_chunk: { brier_score: number } };
    const candidates: Candidate[] = report.candidates;
    const best = candidates.find((c) => c.name === report.always_retrain_best.candidate)!;
    expect(best.after_first_chunk.brier_score).toBe(Math.min(...candidates.map((c) => c.after_first_chunk.brier_score)));
    expect(report.chunks.map((c: { metrics: Record<string, unknown> }) => c.metrics.always_retrain_best)).toEqual(best.chunks);
    expect(report.overall.always_retrain_best).toEqual(best.overall);
    expect(report.after_first_chunk.always_retrain_best).toEqual(best.after_first_chunk);
    // The first chunk is served by the initial model under every policy (static's figures were recomputed above).
    for (const c of candidates) expect(c.chunks[0]).toEqual(report.chunks[0].metrics.static);
    expect(report.chunks[0].metrics.always_retrain).toEqual(report.chunks[0].metrics.static);
  });

  it('is deterministic: the same data, seed and options give the same figures', () => {
    const second = replay(makeTempDir('replay-again-'));
    expect(figures(second.report)).toEqual(figures(first.report));
  }, 120_000);

  it('refuses an --out that already holds a replay, so a rerun never reuses its service storage', () => {
    const res = runCli([...ARGS, '--out', out]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/already holds a replay/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("refuses a --storage that already holds a service: it would replace that storage's active model", () => {
    const storage = makeTempDir('in-use-');
    mkdirSync(path.join(storage, 'models', 'v1'), { recursive: true });
    const res = runCli([...ARGS, '--out', makeTempDir(), '--storage', storage]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/already holds a service \(models\/\): replay into a fresh --storage or --out/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(path.join(storage, 'models'))).toEqual(['v1']);
  });

  it.each([
    [['replay', '--initial', '50'], /--initial must be an integer from 100/],
    [['replay', '--chunk', 'x'], /--chunk must be an integer/],
    [['replay', '--url', 'ftp://x'], /--url must be an http\(s\) URL/],
    [['replay', '--data', FULL_DATA, '--limit', '500', '--initial', '1000'], /--initial 1000 leaves nothing to replay/],
    [['replay', '--data', '/nope.csv'], /\/nope\.csv: file not found/],
    [['replay', '--limit', '0'], /--limit must be an integer from 1/],
    [['replay', '--seed', '-3'], /--seed must be an integer from 0/],
    [
      ['replay', '--url', 'http://127.0.0.1:9', '--storage', '/tmp/x'],
      /--storage is for a replay in this process; with --url the server uses its own storage/,
    ],
  ])('rejects %j with one line and exit 1', (args, expected) => {
    const res = runCli([...args, '--out', makeTempDir()]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(expected);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  describeInBrowser('The replay chart')('chart.svg in Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('renders, with a line per policy for ROC-AUC and Brier, the drift bars and base rate, decisions marked and months under the chunks', async () => {
      const page = await browser.newPage();
      await page.goto(`file://${path.join(out, 'chart.svg')}`);
      const box = await page.locator('svg').boundingBox();
      expect(box!.width).toBeGreaterThan(500);
      expect(box!.height).toBeGreaterThan(400);
      for (const policy of POLICIES) {
        for (const metric of ['ROC-AUC', 'Brier']) {
          const series = page.locator(`[data-series="${policy} ${metric}"] polyline`);
          expect(await series.count()).toBeGreaterThan(0);
          const points = (await series.first().getAttribute('points'))!.trim().split(/\s+/);
          expect(points.length).toBeGreaterThan(1);
        }
      }
      expect(await page.locator('[data-series="drifted share"] rect').count()).toBe(4);
      const promotions = first.report.decisions.filter((d: { action: string }) => d.action === 'promoted').length;
      expect(await page.locator('line[data-marker^="promotion"]').count()).toBe(promotions * 3);
      const rejections = first.report.decisions.filter((d: { action: string }) => d.action === 'rejected').length;
      expect(await page.locator('line[data-marker^="rejected"]').count()).toBe(rejections * 3);
      expect(await page.locator('text[data-tag^="promotion"]').count()).toBe(promotions);
      expect(await page.locator('[data-series="base rate"] polyline').count()).toBe(1);
      expect(await page.locator('line[data-reference="chance (0.5)"]').count()).toBe(1);
      expect(await page.getByText("May '08").count()).toBe(4);
      await page.screenshot({ path: path.join(out, 'chart.png') });
    });
  });
});

describe('node dist/cli replay --url (against a running server)', () => {
  it('predicts, sends outcomes and heals over HTTP, and reports what the server served', async () => {
    const { startServer } = await import('./support/server-process');
    const token = 'replay-admin-token-0123456789';
    // Chunks of 500 rows hold a handful of "yes": lower the gate's minimums so a challenger is judged.
    const server = await startServer({
      STORAGE_DIR: makeTempDir(),
      ADMIN_TOKEN: token,
      AUTO_HEAL: 'false',
      HEAL_MIN_POSITIVES: '3',
      HEAL_MIN_NEGATIVES: '3',
    });
    try {
      const out = makeTempDir('replay-http-');
      const res = runCli(
        ['replay', '--url', server.baseUrl, '--data', FULL_DATA, '--limit', '3000', '--initial', '2000', '--chunk', '500', '--out', out],
        { ADMIN_TOKEN: token },
      );
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
      expect(report).toMatchObject({ mode: 'http', initial_version: 'v1', service_storage: null });
      expect(report.chunks).toHaveLength(2);
      expect(report.chunks[0].served_by).toEqual({ v1: 500 });
      // The challengers' specs come from GET /models/:version.
      const challengers = report.decisions.filter((d: { version: string | null }) => d.version);
      expect(challengers.length).toBeGreaterThan(0);
      for (const d of challengers) {
        const described = (await fetch(`${server.baseUrl}/models/${d.version}`).then((r) => r.json())) as {
          metadata: { params: { spec: unknown } };
        };
        expect(d.spec).toEqual(described.metadata.params.spec);
        expect(d.spec).toEqual(expect.objectContaining({ encoding: expect.any(String), calibration: expect.any(String) }));
      }
      const health = (await fetch(`${server.baseUrl}/monitoring/performance`).then((r) => r.json())) as { n_labelled: number };
      expect(health.n_labelled).toBe(1000);
      const noToken = runCli(['replay', '--url', server.baseUrl, '--limit', '3000', '--initial', '2000', '--out', makeTempDir()], {
        ADMIN_TOKEN: '',
      });
      expect(noToken.status).toBe(1);
      expect(noToken.stderr).toMatch(/needs ADMIN_TOKEN/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }, 120_000);
});
