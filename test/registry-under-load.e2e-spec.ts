import { INestApplication } from '@nestjs/common';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ModelLifecycle } from '../src/model-registry/model-lifecycle';
import { EXAMPLE_CLIENT, SMALL_DATA, createTestApp, testConfig } from './support/test-app';

const TOKEN = 'test-admin-token-0123456789';
const BODY = JSON.stringify(EXAMPLE_CLIENT);

interface Served {
  sent: number;
  received: number;
  status: number;
  version: string | null;
}

function predict(port: number, agent: Agent): Promise<Served> {
  const sent = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            sent,
            received: performance.now(),
            status: res.statusCode ?? 0,
            version: res.statusCode === 200 ? JSON.parse(text).model_version : null,
          }),
        );
      },
    );
    req.on('error', () => resolve({ sent, received: performance.now(), status: 0, version: null }));
    req.end(BODY);
  });
}

describe('20 promotions and rollbacks under /predict load', () => {
  let app: INestApplication;

  afterAll(async () => {
    await app.close();
  });

  it('fails no request, and every response names a version active while it was served', async () => {
    app = await createTestApp(testConfig({ ADMIN_TOKEN: TOKEN, AUTO_HEAL: 'false' }));
    await app.get(ModelLifecycle).trainFromFile({ dataFile: SMALL_DATA, seed: 9, activate: false, reason: 'second version', actor: 'cli' });
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });

    // Each change: [started, finished, version active afterwards]; v1 is active from the start.
    const changes: Array<{ started: number; finished: number; version: string }> = [
      { started: -Infinity, finished: -Infinity, version: 'v1' },
    ];
    const served: Served[] = [];
    let stop = false;
    const load = async () => {
      while (!stop) served.push(await predict(port, agent));
    };
    const workers = Array.from({ length: 8 }, load);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 15));
      const started = performance.now();
      const res =
        i % 2 === 0
          ? await request(app.getHttpServer()).post('/models/v2/promote').set('Authorization', `Bearer ${TOKEN}`)
          : await request(app.getHttpServer()).post('/models/rollback').set('Authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(200);
      changes.push({ started, finished: performance.now(), version: res.body.active });
    }
    await new Promise((r) => setTimeout(r, 15));
    stop = true;
    await Promise.all(workers);
    agent.destroy();

    expect(served.length).toBeGreaterThan(100);
    expect(served.filter((s) => s.status !== 200)).toEqual([]);
    for (const s of served) {
      // Versions that may have been active at some instant of [sent, received].
      const possible = changes
        .filter((c, i) => c.started <= s.received && (i + 1 === changes.length || changes[i + 1].finished >= s.sent))
        .map((c) => c.version);
      expect(possible).toContain(s.version);
    }
    expect(new Set(served.map((s) => s.version))).toEqual(new Set(['v1', 'v2']));
  });
});
