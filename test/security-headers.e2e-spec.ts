/**
 * The security headers the real app sends (issue 19), on the API, on a 404 and on Swagger's page:
 * over plain HTTP (the default) and behind a TLS proxy (PUBLIC_URL=https://...). Neither app has a
 * model (AUTO_TRAIN=false): headers do not depend on one.
 */
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, testConfig } from './support/test-app';

const PATHS = ['/health', '/docs', '/docs/swagger-ui-init.js', '/docs-json', '/dashboard', '/nowhere'];

describe.each([
  ['plain HTTP (no PUBLIC_URL)', {}, false],
  ['plain HTTP (an http:// PUBLIC_URL)', { PUBLIC_URL: 'http://ml.example.com:5000' }, false],
  ['behind HTTPS (PUBLIC_URL=https://ml.example.com)', { PUBLIC_URL: 'https://ml.example.com' }, true],
])('security headers, %s', (_what, env: Record<string, string>, https) => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(testConfig({ AUTO_TRAIN: 'false', ...env }));
  });

  afterAll(async () => {
    await app.close();
  });

  it.each(PATHS)('GET %s', async (path) => {
    const res = await request(app.getHttpServer()).get(path);
    expect(res.status).toBe(path === '/nowhere' ? 404 : path === '/health' ? 503 : 200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp.split(';')).toEqual(
      expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'self'"]),
    );
    expect(csp).not.toContain('upgrade-insecure-requests');
    if (https) {
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    } else {
      // Browsers ignore both over plain HTTP (and complain about COOP in the console).
      expect(res.headers).not.toHaveProperty('strict-transport-security');
      expect(res.headers).not.toHaveProperty('cross-origin-opener-policy');
    }
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
    });
    expect(res.headers).not.toHaveProperty('x-powered-by');
  });

  it("Swagger's page runs only scripts it loads from the service (what script-src 'self' allows)", async () => {
    const html = (await request(app.getHttpServer()).get('/docs').expect(200)).text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /\bsrc=["']([^"']+)["']/.exec(attributes)?.[1];
      expect(src).toMatch(/^\.\/docs\/[\w.-]+\.js$/);
    }
  });
});
