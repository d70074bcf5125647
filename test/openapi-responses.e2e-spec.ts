import { INestApplication } from '@nestjs/common';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { readRows } from './support/data-rows';
import { FULL_DATA, createTestApp, testConfig } from './support/test-app';

/**
 * Every JSON endpoint documents its 2xx response, and what it documents is what it sends: each
 * response below, in states with and without data, is validated against the schema /docs-json
 * gives for it (closed objects, so an undocumented field fails too).
 */

const TOKEN = 'test-admin-token-0123456789';
const auth = { Authorization: `Bearer ${TOKEN}` };

type Method = 'get' | 'post';
interface OpenApiDocument {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, { content?: Record<string, { schema?: object }> }> }>>>;
  components: object;
}

describe('OpenAPI: a response schema for every endpoint, matching what it sends', () => {
  let app: INestApplication;
  let doc: OpenApiDocument;
  // `strict: false`: OpenAPI's `example` and `nullable` annotate; Ajv reads `nullable` itself.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    app = await createTestApp(testConfig({ ADMIN_TOKEN: TOKEN, AUTO_HEAL: 'false', HEAL_MIN_LABELS: '500' }));
    doc = (await request(app.getHttpServer()).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await app.close();
  });

  function documentedSchema(route: string, method: Method, status: number): object {
    const schema = doc.paths[route]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${route} documents no JSON schema for ${status}`);
    return schema;
  }

  /** Calls the endpoint and checks the answer against its documented schema; returns the body. */
  async function checked(method: Method, url: string, route = url, body?: object, status = 200): Promise<unknown> {
    const call = method === 'get' ? request(app.getHttpServer()).get(url) : request(app.getHttpServer()).post(url);
    const res = await (body ? call.set(auth).send(body) : call.set(auth)).expect(status);
    const key = `${method} ${route} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      // The components travel with the schema so that its $refs resolve.
      validate = ajv.compile({ ...documentedSchema(route, method, status), components: doc.components });
      validators.set(key, validate);
    }
    if (!validate(res.body)) {
      throw new Error(`${key} does not match its documented schema: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
    }
    return res.body;
  }

  it('documents a 2xx response schema for every operation but the Prometheus text', () => {
    const undocumented: string[] = [];
    for (const [route, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const ok = Object.entries(operation!.responses).find(([status]) => status.startsWith('2'));
        const content = ok?.[1].content ?? {};
        const documented = content['application/json']?.schema ?? (route === '/metrics' ? content['text/plain'] : undefined);
        if (!documented) undocumented.push(`${method.toUpperCase()} ${route}`);
      }
    }
    expect(undocumented).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThanOrEqual(14);
  });

  it('before any outcome: reports with insufficient data, the models and the trail', async () => {
    const rows = readRows(FULL_DATA).slice(0, 3);
    await checked('post', '/predict/batch', undefined, { instances: rows.map((r) => r.features) });
    const one = (await checked('post', '/predict', undefined, rows[0].features)) as { request_id: string };
    await checked('post', '/feedback', undefined, { request_id: one.request_id, actual: rows[0].actual });
    const drift = (await checked('get', '/monitoring/drift')) as { verdict: string; prediction: unknown };
    expect(drift.verdict).toBe('insufficient_data');
    expect(drift.prediction).toBeNull();
    // The schemas are closed and typed: a field the documentation lacks, or a wrong type, fails.
    const driftSchema = ajv.compile(documentedSchema('/monitoring/drift', 'get', 200));
    expect(driftSchema({ ...drift, undocumented: 1 })).toBe(false);
    expect(driftSchema({ ...drift, window_size: 'three' })).toBe(false);
    expect(driftSchema({ ...drift, generated_at: 'yesterday' })).toBe(false);
    expect(((await checked('get', '/monitoring/performance')) as { live: unknown }).live).toBeNull();
    expect(((await checked('get', '/monitoring/status')) as { status: string }).status).toBe('insufficient_data');
    expect(await checked('get', '/models')).toHaveLength(1);
    await checked('get', '/models/v1', '/models/{version}');
    await checked('get', '/models/events');
    await checked('get', '/health');
    await checked('get', '/info');
    const skipped = (await checked('post', '/monitoring/heal')) as { action: string };
    expect(skipped.action).toBe('skipped');
  });

  it('with drifted traffic and outcomes: full reports, a heal with its gate, promote and rollback', async () => {
    const late = readRows(FULL_DATA).slice(-6000, -5000); // 2010: real drift
    const served = (await checked('post', '/predict/batch', undefined, { instances: late.map((r) => r.features) })) as {
      predictions: Array<{ request_id: string }>;
    };
    const items = served.predictions.map((p: { request_id: string }, i: number) => ({
      request_id: p.request_id,
      actual: late[i].actual,
    }));
    await checked('post', '/feedback/batch', undefined, { items });

    const drift = (await checked('get', '/monitoring/drift')) as { features: Array<{ kind: string }>; prediction: unknown };
    expect(new Set(drift.features.map((f) => f.kind))).toEqual(new Set(['numeric', 'categorical']));
    expect(drift.prediction).not.toBeNull();
    const performance = (await checked('get', '/monitoring/performance')) as { live: unknown; calibration: { live: unknown } };
    expect(performance.live).not.toBeNull();
    expect(performance.calibration.live).not.toBeNull();
    await checked('get', '/monitoring/status');

    // 1,000 rows of 2010 against a model of 2008: the challenger wins clearly (see healing.e2e-spec).
    const heal = (await checked('post', '/monitoring/heal')) as { action: string; gate?: object; search?: object };
    expect(heal.action).toBe('promoted');
    expect(heal.gate).toBeDefined();
    expect(heal.search).toBeDefined();
    await checked('get', '/models/v2', '/models/{version}');
    const events = (await checked('get', '/models/events')) as Array<{ gate?: object }>;
    expect(events.some((e) => e.gate)).toBe(true);

    const promoted = (await checked('post', '/models/v1/promote', '/models/{version}/promote')) as { active: string; watch: object | null };
    expect(promoted.active).toBe('v1');
    expect(promoted.watch).not.toBeNull();
    const rolledBack = (await checked('post', '/models/rollback')) as { active: string; previous: string | null };
    expect(rolledBack.active).toBe('v2');
    expect(await checked('get', '/models')).toHaveLength(2);
  });
});
