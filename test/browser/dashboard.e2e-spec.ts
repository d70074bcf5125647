/**
 * The dashboard as a person sees it, in a real browser (Debian's Chromium driven by playwright-core)
 * at a host name (docs.test, which Chromium resolves to 127.0.0.1 itself), against ONE real server
 * (`node dist/main`) that has served drifted traffic (the last 2,000 calls of the full file, autumn
 * 2010), received their outcomes, healed (a challenger promoted by the gate), been rolled back and
 * promoted again by an admin, taken a monitoring snapshot every second, and holds a short replay
 * report written by the CLI. Every page: real charts (SVG with data), the feature names and versions
 * shown, nothing loaded from elsewhere, no script error, no CSP violation; a screenshot of each is
 * saved under test-output/dashboard/. Plain HTTP checks of the same server follow (bad inputs,
 * the redirect from /, the healing counters in /metrics).
 *
 * Without Chromium the test is skipped with a warning, except in CI (CI=true), where it fails.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';

const FEATURE_NAMES = BANK_SCHEMA.featureNames;
import { describeInBrowser, launchChromium, pageBase } from '../support/chromium';
import { LabelledRow, readRows, sampleRows } from '../support/data-rows';
import { ServerProcess, startServer } from '../support/server-process';
import { FULL_DATA, REPO_ROOT, SMALL_DATA, makeTempDir } from '../support/test-app';

const OUTPUT = path.join(REPO_ROOT, 'test-output', 'dashboard');
const TOKEN = 'dashboard-admin-token-0123456789';
const admin = { Authorization: `Bearer ${TOKEN}` };

const full = readRows(FULL_DATA);
const calm = sampleRows(readRows(SMALL_DATA), 300, 5); // like the training rows
const drifted = full.slice(-2000); // Sep-Nov 2010: euribor under 1%, half the clients say yes

/** Waits for the child to end; resolves with its exit code and output. */
function finished(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describeInBrowser('The dashboard')('the dashboard at /dashboard, in Chromium, on a server that healed', () => {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  let base: string;
  let storage: string;
  const started = Date.now();

  const api = (route: string, init: RequestInit = {}) => fetch(`${server!.baseUrl}${route}`, init);
  const post = async (route: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await api(route, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  /** Predicts the rows in batches and sends each outcome, as a client with outcomes would. */
  async function serveWithOutcomes(rows: readonly LabelledRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 500) {
      const chunk = rows.slice(start, start + 500);
      const answer = (await post('/predict/batch', { instances: chunk.map((r) => r.features) })) as {
        predictions: Array<{ request_id: string }>;
      };
      // Trusted outcomes (the admin token also carries feedback), so the loop promotes on its own.
      await post(
        '/feedback/batch',
        { items: answer.predictions.map((p, i) => ({ request_id: p.request_id, actual: chunk[i].actual })) },
        admin,
      );
    }
  }

  /** Waits until the server has taken `more` snapshots beyond what it held (one a second). */
  async function snapshotsTaken(more: number): Promise<void> {
    const count = async () => Number(/(\d+) snapshots from/.exec(await (await api('/dashboard/history')).text())?.[1] ?? 0);
    const target = (await count()) + more;
    for (let i = 0; i < 100 && (await count()) < target; i++) await new Promise((r) => setTimeout(r, 200));
  }

  beforeAll(async () => {
    storage = makeTempDir('shmp-dashboard-');
    // A short replay by the CLI into the server's reports folder, beside the server's own work.
    const replay = spawn(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'cli.js'),
        'replay',
        '--data',
        FULL_DATA,
        '--limit',
        '3000',
        '--initial',
        '1000',
        '--chunk',
        '500',
        '--out',
        path.join(storage, 'reports', 'replay-e2e'),
      ],
      { cwd: REPO_ROOT, env: { ...process.env, LOG_LEVEL: 'silent', HEAL_MIN_LABELS: '300' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const replayed = finished(replay);
    server = await startServer({
      STORAGE_DIR: storage,
      DATA_FILE: SMALL_DATA,
      ADMIN_TOKEN: TOKEN,
      AUTO_HEAL: 'false',
      MONITOR_INTERVAL_S: '1',
      LOG_LEVEL: 'info',
    });
    // A snapshot between the steps, so the charts over time see each.
    await serveWithOutcomes(calm);
    await snapshotsTaken(1);
    await serveWithOutcomes(drifted.slice(0, 1500));
    await snapshotsTaken(1);
    const healed = await post('/monitoring/heal', {}, admin);
    expect(healed).toMatchObject({ action: 'promoted', challenger: 'v2', active: 'v2' });
    await serveWithOutcomes(drifted.slice(1500));
    await snapshotsTaken(1);
    await post('/models/rollback', {}, admin);
    await snapshotsTaken(1);
    await post('/models/v2/promote', {}, admin);
    await snapshotsTaken(1);
    const { code, output } = await replayed;
    if (code !== 0) throw new Error(`the replay failed (${code}):\n${output}`);
    mkdirSync(OUTPUT, { recursive: true });
    browser = await launchChromium();
    base = pageBase(server.port);
    console.log(`dashboard e2e: the server's story took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    console.log(`dashboard e2e: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });

  /**
   * Opens a page as a user would, recording what must not happen: a request outside the app, a
   * failed one, an HTTP error, a script error, a console error, a CSP violation.
   */
  async function open(route: string, problems: string[]): Promise<Page> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.route('**/*', (r) => {
      const url = new URL(r.request().url());
      if (url.origin === base || url.protocol === 'data:') return r.continue();
      problems.push(`request outside the app blocked: ${url.href}`);
      return r.abort();
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`blocked by the CSP: ${text}`));
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => reportCspViolation(e.effectiveDirective + ' ' + (e.blockedURI || '(inline)')));",
    );
    const res = await page.goto(`${base}${route}`, { waitUntil: 'load' });
    expect(res?.status()).toBe(200);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(OUTPUT, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  }

  /** Marks (rect, polyline, circle, line) drawn in a chart, and its text. */
  const chartOf = (page: Page, name: string) =>
    page.locator(`svg[data-chart="${name}"]`).evaluate((svg) => ({
      marks: svg.querySelectorAll('rect, polyline, circle, line').length,
      text: svg.textContent ?? '',
    }));

  it('GET / leads to the overview: status with reasons, v2 serving in place of v1, live and expected performance, traffic, decisions', async () => {
    const problems: string[] = [];
    const page = await open('/', problems);
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expect(page.locator('[data-status]').getAttribute('data-status')).resolves.toMatch(/^(drifting|degraded)$/);
    expect(await page.locator('[data-card="status"] .reasons li').count()).toBeGreaterThan(0);
    await expect(page.locator('[data-active-version]').textContent()).resolves.toBe('v2');
    await expect(page.locator('[data-replaced]').textContent()).resolves.toBe('v1');
    const perf = await page.locator('table[data-table="performance"]').innerText();
    expect(perf).toMatch(/ROC-AUC\s+0\.\d{4}\s+0\.\d{4}/); // live beside the baseline
    expect(perf).toMatch(/label-free estimate/);
    expect(Number(await page.locator('[data-served]').getAttribute('data-served'))).toBe(calm.length + drifted.length);
    const decisions = await page.locator('table[data-table="decisions"]').innerText();
    for (const word of ['promoted', 'rolled back']) expect(decisions).toContain(word);
    await screenshot(page, 'overview');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('Drift: every feature against its threshold, drifted ones first and marked; a feature over its reference; scores over validation', async () => {
    const problems: string[] = [];
    const page = await open('/dashboard/drift', problems);
    const scores = await chartOf(page, 'drift-scores');
    for (const name of FEATURE_NAMES) expect(scores.text).toContain(name);
    const rows = await page
      .locator('svg[data-chart="drift-scores"] g[data-feature]')
      .evaluateAll((gs) =>
        gs.map((g) => ({ feature: g.getAttribute('data-feature'), drifted: g.getAttribute('data-drifted') === 'true' })),
      );
    expect(rows).toHaveLength(FEATURE_NAMES.length);
    const firstStable = rows.findIndex((r) => !r.drifted);
    expect(firstStable).toBeGreaterThan(0); // some drifted, listed first
    expect(rows.slice(firstStable).every((r) => !r.drifted)).toBe(true);
    // The most drifted feature is shown by default, a numeric one as a histogram.
    const distribution = page.locator('svg[data-chart="distribution"]').first();
    await expect(distribution.getAttribute('data-kind')).resolves.toBe('numeric');
    expect(await distribution.locator('[data-series="current"] rect').count()).toBeGreaterThan(1);
    expect(await distribution.locator('[data-series="reference"] polyline').count()).toBe(1);
    await expect(page.locator('h2#distribution').textContent()).resolves.toContain(rows[0].feature!);
    await screenshot(page, 'drift');
    // A categorical feature, chosen by its link: bars per category, reference beside current.
    await page.locator('svg[data-chart="drift-scores"] a', { hasText: /^month$/ }).click();
    await page.waitForURL(/feature=month/);
    const categories = page.locator('svg[data-chart="distribution"]').first();
    await expect(categories.getAttribute('data-kind')).resolves.toBe('categorical');
    const text = (await categories.textContent()) ?? '';
    for (const month of ['may', 'nov']) expect(text).toContain(month);
    expect(await categories.locator('[data-series="reference"] rect').count()).toBeGreaterThan(5);
    const predictions = await page.locator('svg[data-chart="distribution"]').nth(1).textContent();
    expect(predictions).toContain('P(positive)');
    await screenshot(page, 'drift-month');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('Over time: drift share, ROC-AUC, Brier and the rates from the snapshots, with the promotion and the rollback marked', async () => {
    const problems: string[] = [];
    const page = await open('/dashboard/history', problems);
    const chart = await chartOf(page, 'over-time');
    expect(chart.marks).toBeGreaterThan(20);
    for (const title of ['Share of features drifted', 'ROC-AUC', 'Brier score', 'Base rate']) expect(chart.text).toContain(title);
    const lines = await page.locator('svg[data-chart="over-time"] [data-series] polyline').count();
    expect(lines).toBeGreaterThanOrEqual(4);
    const markers = await page
      .locator('svg[data-chart="over-time"] [data-panel="Share of features drifted"] line[data-marker]')
      .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-marker')));
    expect(markers).toEqual(['promotion v2', 'rollback v1', 'promotion v2']);
    await screenshot(page, 'over-time');
    await page.close();
    expect(problems).toEqual([]);
  });

  it("Models: versions with status, lineage, spec and metrics; the decisions with each gate's scores", async () => {
    const problems: string[] = [];
    const page = await open('/dashboard/models', problems);
    const versions = await page
      .locator('table[data-table="versions"] tr[data-version]')
      .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-version'), r.querySelector('.badge')?.textContent]));
    expect(versions).toEqual([
      ['v2', 'active'],
      ['v1', 'previous'],
    ]);
    await expect(page.locator('[data-lineage]').textContent()).resolves.toContain('v1 → v2');
    const gate = await page.locator('tr[data-event="promoted"] table[data-gate]').last().innerText();
    // Each model's Brier, log loss and ROC-AUC on the holdout.
    expect(gate).toMatch(/champion\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}/);
    expect(gate).toMatch(/challenger\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}/);
    await screenshot(page, 'models');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('Replays: the reports under storage/reports, each as a page with its chart', async () => {
    const problems: string[] = [];
    const page = await open('/dashboard/replays', problems);
    await page.locator('a', { hasText: 'replay-e2e' }).click();
    await page.waitForURL(/\/dashboard\/replays\/replay-e2e$/);
    // The chart the replay wrote, loaded and drawn (an image's natural width is 0 until it is).
    const chart = page.locator('img.replay-chart');
    await chart.waitFor();
    await chart.evaluate((img) => (img as unknown as { decode: () => Promise<void> }).decode());
    expect(await chart.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1000);
    const tables = await page.locator('table[data-table="policies"]').first().innerText();
    for (const policy of ['healed', 'static', 'always_retrain']) expect(tables).toContain(policy);
    await screenshot(page, 'replay');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('refreshes itself: the page fetches itself again and swaps its content, with no reload', async () => {
    const problems: string[] = [];
    const page = await browser!.newPage();
    // The same script, told to refresh every second instead of five, so the test need not wait.
    // (Fetched here from 127.0.0.1: only Chromium resolves docs.test.)
    const READS_INTERVAL = "Number(document.body.getAttribute('data-refresh-seconds')) || 5";
    await page.route(`${base}/dashboard/assets/dashboard.js`, async (r) => {
      const response = await api('/dashboard/assets/dashboard.js');
      const script = await response.text();
      expect(script).toContain(READS_INTERVAL);
      await r.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: script.replace(READS_INTERVAL, '1'),
      });
    });
    page.on('pageerror', (err) => problems.push(err.message));
    await page.goto(`${base}/dashboard/models`);
    // Marks the page as loaded and its content as old; a reload would lose both, a refresh only the second.
    type Window = {
      notReloaded?: boolean;
      document: {
        getElementById(id: string): { getAttribute(name: string): string | null; setAttribute(name: string, value: string): void };
      };
    };
    await page.evaluate(() => {
      const w = globalThis as unknown as Window;
      w.notReloaded = true;
      w.document.getElementById('content')!.setAttribute('data-old', 'yes');
    });
    await page.waitForFunction(
      (): boolean => (globalThis as unknown as Window).document.getElementById('content')!.getAttribute('data-old') === null,
      undefined,
      {
        timeout: 10_000,
      },
    );
    await expect(page.locator('#refresh-state').textContent()).resolves.toMatch(/^updated /);
    await expect(page.evaluate(() => (globalThis as unknown as Window).notReloaded)).resolves.toBe(true);
    await page.close();
    expect(problems).toEqual([]);
  });

  describe('over plain HTTP', () => {
    it('answers bad inputs with a 4xx page that says why', async () => {
      const unknown = await api('/dashboard/drift?feature=shoe_size');
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain('no feature &#39;shoe_size&#39; in the drift report; its features are age, job');
      expect((await api('/dashboard/drift?feature=age&feature=job')).status).toBe(400);
      for (const route of [
        '/dashboard/replays/nope',
        '/dashboard/replays/..%2Fmodels',
        '/dashboard/replays/replay-e2e%2F..',
        '/dashboard/assets/app.js',
      ]) {
        const res = await api(route);
        expect([route, res.status]).toEqual([route, 404]);
      }
      const chart = await api('/dashboard/replays/replay-e2e/chart.svg');
      expect(chart.headers.get('content-type')).toBe('image/svg+xml');
      expect(await chart.text()).toMatch(/^<svg /);
    });

    it('serves pages under the same CSP as the API, with no inline script', async () => {
      const res = await api('/dashboard');
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const body = await res.text();
      expect(body).not.toMatch(/<script(?![^>]*\bsrc=)/); // every script is a file of ours
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    });

    it('/metrics counts what the healer and the admins decided', async () => {
      const text = await (await api('/metrics')).text();
      const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value('healing_runs_total{outcome="promoted"}')).toBe(1);
      expect(value('model_promotions_total{actor="api"}')).toBe(2);
      expect(value('model_rollbacks_total{actor="api"}')).toBe(1);
      expect(value('model_rejections_total{actor="api"}')).toBe(0);
    });
  });
});
