/**
 * The Swagger UI as a person uses it, in a real browser (Debian's Chromium driven by playwright-core)
 * against the real app listening on 127.0.0.1, opened as a user on another machine opens it: at a
 * host name (docs.test, which Chromium resolves to 127.0.0.1 itself), and at 127.0.0.1 as well.
 * Browsers treat localhost as secure, so a page can work there and be blank at any other name (a
 * CSP with upgrade-insecure-requests did that: issue 19). At each: open /docs, check every
 * operation of /docs-json is shown, and for GET /health, GET /info and POST /predict expand the
 * operation, press "Try it out" then "Execute" (the /predict example body as preset, no typing) and
 * read the response the page shows. Saves test-output/swagger-docs-<host>.png (the page as
 * loaded) and test-output/swagger-predict-<host>.png (the executed /predict).
 *
 * Without Chromium the test is skipped with a warning, except in CI (CI=true), where it fails:
 * .ci/run installs it (apt-get install chromium).
 */
import { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import { PAGE_HOST, describeInBrowser, launchChromium, pageBase } from '../support/chromium';
import { REPO_ROOT, createTestApp } from '../support/test-app';
import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import type { EditableJson } from '../support/shape-error';

const OUTPUT = path.join(REPO_ROOT, 'test-output');

describeInBrowser('The Swagger UI')('Swagger UI at /docs, in Chromium', () => {
  let app: INestApplication | undefined;
  let browser: Browser | undefined;
  let port: number;
  /** Operations the OpenAPI document lists (METHOD path), which the page must all show. */
  let documented: string[];

  beforeAll(async () => {
    app = await createTestApp();
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
    const spec = (await fetch(`http://127.0.0.1:${port}/docs-json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, unknown>>;
    };
    documented = Object.entries(spec.paths).flatMap(([apiPath, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${apiPath}`),
    );
    expect(documented.length).toBeGreaterThan(10);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  describe.each([PAGE_HOST, '127.0.0.1'])('at http://%s:PORT/docs', (host) => {
    let page: Page;
    let base: string;
    /**
     * Requests that left the page's origin (blocked), failed, or broke the page, and content the
     * page's CSP blocked: all must stay empty.
     */
    const problems: string[] = [];

    beforeAll(async () => {
      base = pageBase(port, host);
      page = await browser!.newPage({ viewport: { width: 1280, height: 1000 } });
      page.setDefaultTimeout(15_000);
      // Nothing may leave this machine: everything the page asks for outside the app is refused
      // (an https:// request to the app is outside it too: the app answers plain HTTP only).
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.origin === base || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
        problems.push(`request outside the app blocked: ${url.href}`);
        return route.abort();
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('requestfailed', (req) => {
        if (!req.url().startsWith(base)) return; // already recorded as blocked
        problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
      });
      page.on('response', (res) => {
        if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url()}`);
      });
      await page.exposeFunction('reportCspViolation', (text: string) => problems.push(`blocked by the CSP: ${text}`));
      // (A string: the page's DOM types are not in this project's compiler settings.)
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (e) => " +
          "reportCspViolation(e.effectiveDirective + ' ' + (e.blockedURI || '(inline)')));",
      );

      const docs = await page.goto(`${base}/docs`, { waitUntil: 'load' });
      expect(docs?.status()).toBe(200);
      mkdirSync(OUTPUT, { recursive: true });
      try {
        await page.locator('.swagger-ui .information-container .title').waitFor();
      } catch (err) {
        await page.screenshot({ path: path.join(OUTPUT, `swagger-docs-${host}.png`) });
        throw new Error(`Swagger UI did not render at ${base}/docs (${(err as Error).message.split('\n')[0]}):\n${problems.join('\n')}`, {
          cause: err,
        });
      }
      await page.locator('.opblock').first().waitFor();
      await page.screenshot({ path: path.join(OUTPUT, `swagger-docs-${host}.png`) });
    }, 120_000);

    afterAll(async () => {
      await page?.close();
    });

    it('shows every operation of the OpenAPI document', async () => {
      const shown = await page
        .locator('.opblock .opblock-summary')
        .evaluateAll((summaries) =>
          summaries.map(
            (s) =>
              `${s.querySelector('.opblock-summary-method')?.textContent?.trim().toUpperCase()} ${s
                .querySelector('.opblock-summary-path')
                ?.getAttribute('data-path')}`,
          ),
        );
      expect(shown.sort()).toEqual([...documented].sort());
    });

    /** The operation block of METHOD PATH (e.g. POST /predict, not POST /predict/batch). */
    function operation(method: string, apiPath: string): Locator {
      return page
        .locator('.opblock')
        .filter({ has: page.locator(`.opblock-summary-path[data-path="${apiPath}"]`) })
        .filter({ has: page.locator('.opblock-summary-method', { hasText: new RegExp(`^${method}$`, 'i') }) });
    }

    /** Expand, Try it out, Execute; returns the status and parsed body the page shows. */
    async function tryItOut(method: string, apiPath: string): Promise<{ block: Locator; status: number; body: EditableJson }> {
      const block = operation(method, apiPath);
      await expect(block.count()).resolves.toBe(1);
      await block.locator('.opblock-summary').first().click();
      await block.getByRole('button', { name: 'Try it out' }).click();
      await block.getByRole('button', { name: 'Execute' }).click();
      const live = block.locator('.live-responses-table');
      const statusCell = live.locator('tbody .response-col_status').first();
      await statusCell.waitFor();
      const bodyCell = live.locator('tbody .response-col_description pre').first();
      await bodyCell.waitFor();
      const status = Number((await statusCell.innerText()).trim().split(/\s+/)[0]);
      const text = await bodyCell.innerText();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`${method} ${apiPath}: the response body shown is not JSON:\n${text}`);
      }
      return { block, status, body };
    }

    it('GET /health: Try it out -> Execute shows 200 and a healthy model', async () => {
      const { status, body } = await tryItOut('GET', '/health');
      expect([status, body]).toEqual([200, expect.objectContaining({ status: 'healthy', model_version: 'v1' })]);
      expect(typeof body.timestamp).toBe('string');
    }, 60_000);

    it('GET /info: Try it out -> Execute shows 200, the model version and its validation metrics', async () => {
      const { status, body } = await tryItOut('GET', '/info');
      expect(status).toBe(200);
      expect(body).toMatchObject({ model_version: 'v1', n_features: 19 });
      expect(Object.keys(body.validation_metrics).sort()).toEqual(['accuracy', 'f1_score', 'precision', 'recall', 'roc_auc']);
      expect(body.feature_names).toHaveLength(19);
    }, 60_000);

    it('POST /predict: the preset example body executes as is and shows 200 with the probabilities', async () => {
      const block = operation('POST', '/predict');
      await block.locator('.opblock-summary').first().click();
      await block.getByRole('button', { name: 'Try it out' }).click();
      // The editable body is the documented example, all 19 fields, untouched.
      const preset = JSON.parse(await block.locator('textarea.body-param__text').inputValue()) as Record<string, unknown>;
      expect(Object.keys(preset)).toHaveLength(19);
      expect(preset).toEqual(BANK_SCHEMA.example);
      // Back out so tryItOut() starts from the collapsed state it expects.
      await block.getByRole('button', { name: 'Cancel' }).click();
      await block.locator('.opblock-summary').first().click();

      const { status, body } = await tryItOut('POST', '/predict');
      expect(status).toBe(200);
      expect(body).toMatchObject({ model_version: 'v1', prediction: expect.any(Number), prediction_label: expect.any(String) });
      expect(body.prediction_proba.no + body.prediction_proba.yes).toBeCloseTo(1, 3);
      expect(typeof body.request_id).toBe('string');

      const screenshot = path.join(OUTPUT, `swagger-predict-${host}.png`);
      await block.scrollIntoViewIfNeeded();
      await block.screenshot({ path: screenshot });
      expect(existsSync(screenshot)).toBe(true);
    }, 60_000);

    it('loaded nothing from outside the app, with no failed request or script error', () => {
      expect(problems).toEqual([]);
    });
  });
});
