import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
/**
 * Issue 8: property-based fuzzing of every input of the HTTP API (fast-check against the real app).
 *
 * Each property sends `FUZZ_RUNS` (default 2,000) generated requests to one endpoint and checks:
 * - the status: 2xx exactly when the documented contract accepts the input (the oracles in
 *   http-arbitraries.ts restate it independently), 4xx in Nest's error shape otherwise, never 5xx;
 * - /predict and /predict/batch: P(yes) is round4 of the active model's own computation, and
 *   inference.log gains exactly one line per row served (with that id, input and probability)
 *   and none for a rejected body;
 * - /feedback and /feedback/batch: the outcome (recorded, 404 unknown, 409 duplicate) follows a
 *   model of which ids were served and labelled, and feedback.log gains one line per recorded one;
 * - Object.prototype is never polluted, and /health answers 200 after every property.
 * The tests at the end pin the defects fuzzing found (all fixed): one contract each.
 *
 * Knobs: FUZZ_RUNS, FUZZ_SEED (replay a run: fast-check prints the seed of a failure),
 * FUZZ_MAX_HUGE_BYTES (largest generated string, default 200 KB).
 */
import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import request from 'supertest';
import { AppConfig } from '../../src/config/app-config';
import { FeatureRecord } from '../../src/data/dataset-schema';
import { ActiveModel } from '../../src/model-registry/active-model';
import { PredictionRecordService } from '../../src/predictions/prediction-record.service';
import { EXAMPLE_CLIENT, createTestApp, testConfig } from '../support/test-app';
import {
  Classes,
  INCOMING_REQUEST_ID,
  QueryPairs,
  QueryVerdict,
  POLLUTION_KEYS,
  batchBodies,
  driftQueries,
  driftQueryVerdict,
  eventsQueries,
  eventsQueryVerdict,
  feedbackBatchBodies,
  feedbackBodies,
  hasPrototypeKey,
  isUnparsableIsoString,
  isValidBatch,
  isValidFeedback,
  isValidFeedbackBatch,
  isValidRecord,
  own,
  performanceQueries,
  performanceQueryVerdict,
  predictBodies,
  toJsonText,
  toQueryString,
  validRecord,
} from './http-arbitraries';

const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const MAX_HUGE_BYTES = Number(process.env.FUZZ_MAX_HUGE_BYTES ?? 200_000);
/** Stateful properties (logs, labels): report the first failure as it happened, no shrinking. */
const PARAMS = { numRuns: NUM_RUNS, seed: SEED, endOnFailure: true } as const;
const round4 = (p: number) => Math.round(p * 1e4) / 1e4;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

jest.setTimeout(180_000);

/** New JSON lines of a log since the last call (reads only the bytes appended since). */
class LogTail {
  private offset = 0;

  constructor(readonly file: string) {}

  skipToEnd(): void {
    this.offset = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  read(): Array<Record<string, unknown>> {
    if (!existsSync(this.file)) return [];
    const size = statSync(this.file).size;
    if (size <= this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const text = buffer.toString('utf8');
    if (!text.endsWith('\n')) throw new Error(`${this.file} ends with half a line after a flush`);
    return text
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** What body-parser hands the app: the parsed value, or null when it answers 400 itself. */
function parsedLikeServer(text: string): { value: unknown } | null {
  if (text.length === 0) return { value: {} }; // an empty JSON body is {}
  if (!/^[\s]*[[{]/.test(text)) return null; // strict mode: objects and arrays only
  try {
    return { value: JSON.parse(text) };
  } catch {
    return null;
  }
}

/** How the contract judges a body: accepted or rejected (a prototype-named key, at any depth, is rejected). */
type Verdict = 'valid' | 'invalid';

function judge(parsed: { value: unknown } | null, isValid: (v: unknown) => boolean): Verdict {
  if (parsed === null || hasPrototypeKey(parsed.value)) return 'invalid';
  return isValid(parsed.value) ? 'valid' : 'invalid';
}

/** Counts per endpoint and input class, for the summary printed at the end. */
const stats = new Map<string, Map<string, number>>();
function count(endpoint: string, kind: string, status: number): void {
  const key = `${kind} -> ${status >= 500 ? '5xx' : status >= 400 ? `${status}` : '2xx'}`;
  const byKind = stats.get(endpoint) ?? new Map<string, number>();
  byKind.set(key, (byKind.get(key) ?? 0) + 1);
  stats.set(endpoint, byKind);
}

describe('HTTP fuzzing (fast-check): every input, never a 5xx, every prediction logged once', () => {
  let app: INestApplication;
  let config: AppConfig;
  let baseUrl: string;
  let classes: Classes;
  let history: PredictionRecordService;
  let inference: LogTail;
  let feedbackLog: LogTail;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  /** Served request ids, oldest first, and whether each has an outcome (the latest serving counts). */
  const servedIds: string[] = [];
  const labelled = new Map<string, boolean>();

  const post = (urlPath: string, text: string, requestId?: string) => {
    const req = request(baseUrl).post(urlPath).agent(agent).set('Content-Type', 'application/json');
    if (requestId !== undefined) req.set('X-Request-Id', requestId);
    return req.send(text);
  };
  const get = (urlPath: string) => request(baseUrl).get(urlPath).agent(agent);

  function serve(id: string): void {
    if (!labelled.has(id)) servedIds.push(id);
    labelled.set(id, false);
  }

  /** Placeholders in a feedback body become ids of predictions actually served. */
  function resolveServed(text: string): string {
    return text.replace(/"\\u0000served:(\d+)"/g, (_m, i: string) =>
      JSON.stringify(servedIds.length ? servedIds[Number(i) % servedIds.length] : 'nothing-served-yet'),
    );
  }

  function expectNoPollution(): void {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    const probe = {} as Record<string, unknown>;
    expect([probe.polluted, probe.isAdmin, probe.age]).toEqual([undefined, undefined, undefined]);
  }

  function expectErrorShape(res: request.Response): void {
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body).toMatchObject({ statusCode: res.status, error: expect.any(String) });
    expect(res.body.message).toBeDefined();
    expect(res.text).not.toMatch(/\n\s+at /); // never a stack trace
  }

  /** A served prediction agrees with the model's own computation and with its log line. */
  function expectServed(body: Record<string, unknown>, record: FeatureRecord, line: Record<string, unknown> | undefined): void {
    const active = app.get(ActiveModel).current()!;
    const p = active.model.probability(active.preprocessor.transform(record));
    const proba = body.prediction_proba as { yes: number; no: number };
    expect(proba.yes).toBe(round4(p));
    expect(proba.no).toBe(round4(1 - p));
    expect(body.prediction).toBe(p > active.model.threshold ? 1 : 0);
    expect(body.model_version).toBe(active.version);
    expect(line).toBeDefined();
    expect(line!.request_id).toBe(body.request_id);
    expect(line!.probability).toBe(p);
    expect(line!.input).toEqual(JSON.parse(JSON.stringify(record)));
    expect(Object.keys(line!.input as object).sort()).toEqual(Object.keys(EXAMPLE_CLIENT).sort());
  }

  const expectedId = (header: string | undefined) =>
    header !== undefined && INCOMING_REQUEST_ID.test(header.trim()) ? header.trim() : null;

  const requestIdHeader = fc.option(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._:-]{1,100}$/),
      fc.string({ unit: 'grapheme-ascii', maxLength: 130 }),
      fc.constantFrom('x'.repeat(101), 'a b', '../x', 'id;drop', ''),
    ),
    { nil: undefined, freq: 3 },
  );

  beforeAll(async () => {
    // No healing loop: a promotion during the run would change the model under the oracle.
    config = testConfig({ AUTO_HEAL: 'false' });
    app = await createTestApp(config);
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const active = app.get(ActiveModel).current()!;
    classes = Object.fromEntries(BANK_SCHEMA.categoricalFeatures.map((name) => [name, [...active.preprocessor.encoders[name].classes]]));
    history = app.get(PredictionRecordService);
    inference = new LogTail(path.join(config.storageDir, 'logs', 'inference.log'));
    feedbackLog = new LogTail(path.join(config.storageDir, 'logs', 'feedback.log'));
    // Some served ids for the feedback properties (also when they run alone).
    const seed = fc.sample(validRecord(classes), { numRuns: 200, seed: 1 });
    const res = await post('/predict/batch', toJsonText({ instances: seed })).expect(200);
    for (const p of res.body.predictions) serve(p.request_id);
    await history.flush();
    expect(inference.read()).toHaveLength(200);
    feedbackLog.skipToEnd();
  });

  afterEach(async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'healthy', model_version: 'v1' });
    expectNoPollution();
  });

  afterAll(async () => {
    agent.destroy();
    await app?.close();
    if (config) rmSync(config.storageDir, { recursive: true, force: true });
    const lines = [...stats].map(
      ([endpoint, byKind]) =>
        `${endpoint}\n${[...byKind]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, n]) => `    ${String(n).padStart(5)}  ${k}`)
          .join('\n')}`,
    );
    process.stdout.write(`\nHTTP fuzz cases by input class and status:\n${lines.join('\n')}\n`);
  });

  it(`POST /predict: ${NUM_RUNS} bodies of every class`, async () => {
    await fc.assert(
      fc.asyncProperty(predictBodies(classes, MAX_HUGE_BYTES), requestIdHeader, async (c, header) => {
        const parsed = parsedLikeServer(c.text);
        const verdict = judge(parsed, (v) => isValidRecord(v, classes));
        const res = await post('/predict', c.text, header);
        count('POST /predict', c.kind, res.status);
        await history.flush();
        const lines = inference.read();
        expect(res.status).toBeLessThan(500);
        // Request ids are unique within the history: a valid body under an id already served is a 409.
        const reused = expectedId(header) !== null && labelled.has(expectedId(header)!);
        if (verdict === 'valid') expect(res.status).toBe(reused ? 409 : 200);
        if (verdict === 'invalid') expectErrorShape(res);
        if (res.status === 200) {
          const record = parsed!.value as FeatureRecord;
          expect(lines).toHaveLength(1);
          expectServed(res.body, record, lines[0]);
          expect(res.headers['x-request-id']).toBe(res.body.request_id);
          const wanted = expectedId(header);
          if (wanted) expect(res.body.request_id).toBe(wanted);
          else expect(res.body.request_id).toMatch(UUID);
          serve(res.body.request_id);
        } else {
          expectErrorShape(res);
          expect(lines).toEqual([]);
        }
        expectNoPollution();
      }),
      PARAMS,
    );
  });

  it(`POST /predict/batch: ${NUM_RUNS} batches of 1-5 rows`, async () => {
    await fc.assert(
      fc.asyncProperty(batchBodies(classes, MAX_HUGE_BYTES), requestIdHeader, async (c, header) => {
        const parsed = parsedLikeServer(c.text);
        const verdict = judge(parsed, (v) => isValidBatch(v, classes));
        const res = await post('/predict/batch', c.text, header);
        count('POST /predict/batch', c.kind, res.status);
        await history.flush();
        const lines = inference.read();
        expect(res.status).toBeLessThan(500);
        // A batch whose row ids (`<id>-<i>`) include one served before is a 409.
        const rowCount = verdict === 'valid' ? (parsed!.value as { instances: unknown[] }).instances.length : 0;
        const reusedBatch =
          expectedId(header) !== null &&
          Array.from({ length: rowCount }, (_, i) => `${expectedId(header)}-${i}`).some((id) => labelled.has(id));
        if (verdict === 'valid') expect(res.status).toBe(reusedBatch ? 409 : 200);
        if (verdict === 'invalid') expectErrorShape(res);
        if (res.status === 200) {
          const rows = (parsed!.value as { instances: FeatureRecord[] }).instances;
          expect(res.body.predictions).toHaveLength(rows.length);
          expect(lines).toHaveLength(rows.length); // one line per row
          const batchId = expectedId(header) ?? res.headers['x-request-id'];
          rows.forEach((row, i) => {
            expect(res.body.predictions[i].request_id).toBe(`${batchId}-${i}`);
            expectServed(res.body.predictions[i], row, lines[i]);
            serve(res.body.predictions[i].request_id);
          });
        } else {
          expectErrorShape(res);
          expect(lines).toEqual([]); // all or nothing: a bad row means no row is served or logged
        }
        expectNoPollution();
      }),
      PARAMS,
    );
  });

  it(`POST /feedback: ${NUM_RUNS} bodies; 200, 404 and 409 follow what was served and labelled`, async () => {
    await fc.assert(
      fc.asyncProperty(feedbackBodies(MAX_HUGE_BYTES), async (c) => {
        const text = resolveServed(c.text);
        const parsed = parsedLikeServer(text);
        const verdict = judge(parsed, isValidFeedback);
        let expected: number | null = null;
        let id: string | null = null;
        if (verdict === 'valid') {
          id = (parsed!.value as { request_id: string }).request_id;
          expected = !labelled.has(id) ? 404 : labelled.get(id) ? 409 : 200;
        }
        const res = await post('/feedback', text);
        count('POST /feedback', c.kind, res.status);
        await history.flush();
        expect(res.status).toBeLessThan(500);
        if (verdict === 'valid') expect(res.status).toBe(expected);
        else expectErrorShape(res);
        const recorded = feedbackLog.read();
        if (res.status === 200) {
          labelled.set(id!, true);
          expect(res.body).toMatchObject({ request_id: id, actual: (parsed!.value as { actual: string }).actual });
          expect(recorded).toHaveLength(1);
          expect(recorded[0]).toMatchObject({ request_id: id });
        } else {
          expect(recorded).toEqual([]);
        }
        expect(inference.read()).toEqual([]);
        expectNoPollution();
      }),
      PARAMS,
    );
  });

  it(`POST /feedback/batch: ${NUM_RUNS} batches of 1-5 items; recorded, unknown and duplicate follow the model`, async () => {
    await fc.assert(
      fc.asyncProperty(feedbackBatchBodies(MAX_HUGE_BYTES), async (c) => {
        const text = resolveServed(c.text);
        const parsed = parsedLikeServer(text);
        const verdict = judge(parsed, isValidFeedbackBatch);
        const res = await post('/feedback/batch', text);
        count('POST /feedback/batch', c.kind, res.status);
        await history.flush();
        expect(res.status).toBeLessThan(500);
        if (verdict === 'valid') expect(res.status).toBe(200);
        if (verdict === 'invalid') expectErrorShape(res);
        const recordedLines = feedbackLog.read();
        if (res.status === 200) {
          const items = (parsed!.value as { items: Array<{ request_id?: string }> }).items;
          const expected = { recorded: 0, unknown: [] as Array<string | null>, duplicate: [] as string[] };
          for (const item of items) {
            const id = item.request_id;
            if (id === undefined || !labelled.has(id)) expected.unknown.push(id ?? null);
            else if (labelled.get(id)) expected.duplicate.push(id);
            else {
              labelled.set(id, true);
              expected.recorded++;
            }
          }
          expect(res.body).toEqual(expected);
          expect(recordedLines).toHaveLength(expected.recorded);
        } else {
          expectErrorShape(res);
          expect(recordedLines).toEqual([]);
        }
        expect(inference.read()).toEqual([]);
        expectNoPollution();
      }),
      PARAMS,
    );
  });

  const queryProperty = (endpoint: string, pairs: fc.Arbitrary<QueryPairs>, verdictOf: (p: QueryPairs) => QueryVerdict) =>
    fc.asyncProperty(pairs, async (raw) => {
      // What the server decodes: lone surrogates travel as U+FFFD.
      const wire = raw.map(([k, v]) => [Buffer.from(k).toString(), Buffer.from(v).toString()] as [string, string]);
      const verdict = verdictOf(wire);
      const qs = toQueryString(wire);
      const res = await get(qs ? `${endpoint}?${qs}` : endpoint);
      count(`GET ${endpoint}`, verdict === 'ok' ? 'valid' : 'invalid', res.status);
      expect(res.status).toBeLessThan(500);
      if (verdict === 'ok') expect(res.status).toBe(200);
      if (verdict === 'bad') expectErrorShape(res);
      await history.flush();
      expect(inference.read()).toEqual([]);
      expectNoPollution();
    });

  it(`GET /monitoring/drift: ${NUM_RUNS} combinations of window, from and to`, async () => {
    const size = config.monitoring.historySize;
    await fc.assert(
      queryProperty('/monitoring/drift', driftQueries, (p) => driftQueryVerdict(p, size)),
      PARAMS,
    );
  });

  it(`GET /monitoring/performance: ${NUM_RUNS} values of window`, async () => {
    const size = config.monitoring.historySize;
    await fc.assert(
      queryProperty('/monitoring/performance', performanceQueries, (p) => performanceQueryVerdict(p, size)),
      PARAMS,
    );
  });

  it(`GET /models/events: ${NUM_RUNS} values of limit`, async () => {
    await fc.assert(queryProperty('/models/events', eventsQueries, eventsQueryVerdict), PARAMS);
  });

  // -------------------------------------------------------------------------------------------
  // Defects fuzzing found, fixed: each test states the contract.

  it('a body or query holding __proto__ / constructor / prototype / valueOf / toString ... is rejected (400), not silently stripped', async () => {
    await fc.assert(
      fc.asyncProperty(
        validRecord(classes),
        fc.constantFrom(...POLLUTION_KEYS),
        fc.constantFrom('predict', 'batch', 'feedback', 'feedback-batch', 'drift'),
        async (record, key, where) => {
          const junk = { isAdmin: true };
          const res =
            where === 'predict'
              ? await post('/predict', toJsonText(own({ ...record }, key, junk)))
              : where === 'batch'
                ? await post('/predict/batch', toJsonText({ instances: [own({ ...record }, key, junk)] }))
                : where === 'feedback'
                  ? await post('/feedback', toJsonText(own({ request_id: 'no-such-id', actual: 'yes' }, key, junk)))
                  : where === 'feedback-batch'
                    ? await post('/feedback/batch', toJsonText(own({ items: [{ request_id: 'no-such-id', actual: 'yes' }] }, key, junk)))
                    : await get(`/monitoring/drift?${encodeURIComponent(key)}=1`);
          await history.flush();
          inference.read();
          expect(res.status).toBe(400);
          expect(JSON.stringify(res.body.message)).toContain(key);
        },
      ),
      { numRuns: 30, seed: SEED },
    );
  });

  it('JSON nested thousands of levels deep is a 400, not a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2_500, max: 30_000 }),
        fc.boolean(),
        fc.constantFrom('/predict', '/predict/batch', '/feedback', '/feedback/batch'),
        async (depth, arrays, endpoint) => {
          const deep = arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
          const text =
            endpoint === '/predict'
              ? `{"age":${deep}}`
              : endpoint === '/predict/batch'
                ? `{"instances":[${deep}]}`
                : endpoint === '/feedback'
                  ? `{"request_id":${deep},"actual":"yes"}`
                  : `{"items":[${deep}]}`;
          const res = await post(endpoint, text);
          await history.flush();
          expect(inference.read()).toEqual([]);
          expect(res.status).toBe(400);
        },
      ),
      { numRuns: 40, seed: SEED },
    );
  });

  it('/feedback/batch rejects an item that is an array (400)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constant({ request_id: 'abc', actual: 'yes' }), { maxLength: 2 }), async (inner) => {
        const res = await post('/feedback/batch', toJsonText({ items: [inner] }));
        expect(res.status).toBe(400);
      }),
      { numRuns: 10, seed: SEED },
    );
  });

  it('/monitoring/drift answers 4xx (never 500) for every from/to its validator accepts', async () => {
    const unreadable = fc
      .oneof(
        fc
          .tuple(fc.integer({ min: 1970, max: 2099 }), fc.integer({ min: 1, max: 52 }))
          .map(([y, w]) => `${y}-W${String(w).padStart(2, '0')}`),
        fc
          .tuple(fc.integer({ min: 1970, max: 2099 }), fc.integer({ min: 1, max: 365 }))
          .map(([y, d]) => `${y}-${String(d).padStart(3, '0')}`),
        fc
          .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10).replace(/-/g, '')),
        fc.constantFrom('2026-11-26T10', '2026-11-26T10:00:00,5Z'),
      )
      .filter(isUnparsableIsoString);
    await fc.assert(
      fc.asyncProperty(unreadable, fc.constantFrom('from', 'to'), async (date, key) => {
        const res = await get(`/monitoring/drift?${key}=${encodeURIComponent(date)}`);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 50, seed: SEED },
    );
  });
});
