import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import { PredictionRecordService } from '../../src/predictions/prediction-record.service';
import { Database } from '../../src/storage/postgres/database';
import { migrate } from '../../src/storage/postgres/migrate';
import { PgPredictionRecord } from '../../src/storage/postgres/pg-prediction-record';
import { insertPredictionGroup } from '../../src/storage/postgres/prediction-sql';
import { RequestIdInUse } from '../../src/predictions/record-errors';
import { EXAMPLE_CLIENT, testConfig } from '../support/test-app';
import { predictionRecordContract } from './prediction-record-contract';
import { TempDatabase, createTempDatabase, setConnectable, testPool } from './support/temp-database';

predictionRecordContract('files', async () => {
  const store = new PredictionRecordService(testConfig(), BANK_SCHEMA);
  return { store, settle: () => store.flush(), close: () => store.onApplicationShutdown() };
});

async function pgReplica(db: TempDatabase, name: string) {
  const pool = testPool(db.url, 4);
  await migrate(pool);
  const store = new PgPredictionRecord(testConfig(), BANK_SCHEMA, new Database(pool, db.url, name));
  await store.load();
  return {
    store,
    settle: () => store.refresh(),
    close: async () => {
      await store.beforeApplicationShutdown();
      await pool.end();
    },
  };
}

predictionRecordContract('PostgreSQL', async () => {
  const db = await createTempDatabase();
  const replica = await pgReplica(db, 'a');
  return {
    ...replica,
    close: async () => {
      await replica.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL prediction record: several replicas, faults', () => {
  let db: TempDatabase;
  beforeEach(async () => {
    db = await createTempDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  const entry = (id: string) => ({
    request_id: id,
    timestamp: '2024-05-01T10:00:00.000Z',
    model_version: 'v1',
    input: { ...EXAMPLE_CLIENT },
    prediction: 0 as const,
    probability: 0.2,
    latency_ms: 1,
  });

  it("a replica sees the other's predictions and outcomes, and labels them", async () => {
    const a = await pgReplica(db, 'a');
    const b = await pgReplica(db, 'b');
    try {
      await a.store.recordBatch('fleet', [entry('fleet-0'), entry('fleet-1')]);
      expect(await b.store.recordOutcomes([{ request_id: 'fleet-1', actual: 'yes' }], '2024-05-02T00:00:00.000Z', 'trusted')).toEqual([
        'recorded',
      ]);
      await a.settle();
      await b.settle();
      for (const r of [a, b])
        expect(r.store.latest(10).map((i) => [i.entry.request_id, i.actual])).toEqual([
          ['fleet-0', null],
          ['fleet-1', 1],
        ]);
      await expect(b.store.record(entry('fleet-0'))).rejects.toThrow("request id 'fleet-0' is already in use");
      // A replica started later loads the fleet's latest, outcomes included.
      const c = await pgReplica(db, 'c');
      expect(c.store.latestLabelled(10).map((i) => i.entry.request_id)).toEqual(['fleet-1']);
      await c.close();
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('writes a small group in one statement and a large one by COPY, to the same rows; a clash fails only its own request', async () => {
    const pool = testPool(db.url, 2);
    try {
      await migrate(pool);
      const tricky = (id: string, i: number) => ({
        ...entry(id),
        input: { ...EXAMPLE_CLIENT, job: i % 2 ? 'blue-collar' : 'admin.' },
        probability: i / 7,
        latency_ms: 0.1 + i,
        request_id: `${id}\t"quoted"\\${i}`,
      });
      // 3 requests of 10 rows (one statement) and 3 of 40 (COPY), the same rows but their ids.
      const group = (prefix: string, size: number) =>
        [0, 1, 2].map((r) => Array.from({ length: size }, (_, i) => tricky(`${prefix}-${r}`, i)));
      expect(await insertPredictionGroup(pool, group('small', 10), 'a')).toEqual([null, null, null]);
      expect(await insertPredictionGroup(pool, group('large', 40), 'a')).toEqual([null, null, null]);
      const stored = async (prefix: string) =>
        (
          await pool.query(
            `SELECT substr(request_id, length($1) + 1) AS id, served_at, model_version, inputs, prediction, probability, latency_ms, served_by
             FROM predictions WHERE request_id LIKE $1 || '%' AND request_id LIKE '%-0\t%' ORDER BY seq LIMIT 10`,
            [prefix],
          )
        ).rows;
      const small = await stored('small');
      expect(small).toHaveLength(10);
      expect(small[3]).toMatchObject({ id: '-0\t"quoted"\\3', prediction: 0, probability: 3 / 7, latency_ms: 3.1, served_by: 'a' });
      expect(small[3].inputs).toEqual({ ...EXAMPLE_CLIENT, job: 'blue-collar' });
      expect(small).toEqual((await stored('large')).slice(0, 10));
      // seq follows the order of the groups: the small group's rows come first.
      const order = (await pool.query('SELECT request_id FROM predictions ORDER BY seq')).rows.map((r) => r.request_id);
      expect(order.indexOf(group('small', 10)[2][9].request_id)).toBeLessThan(order.indexOf(group('large', 40)[0][0].request_id));
      // A request whose id is taken fails alone, on either path (4 rows; 74 with padding), the others of its group are written.
      for (const size of [10, 70]) {
        const clash = [[entry(`fresh-${size}-a`)], [entry(`fresh-${size}-b`), group('small', 10)[1][0]], [entry(`fresh-${size}-c`)]];
        const padded = size === 10 ? clash : [...clash, Array.from({ length: size }, (_, i) => entry(`pad-${i}`))];
        const results = await insertPredictionGroup(pool, padded, 'a');
        expect(results[0]).toBeNull();
        expect(results[1]).toBeInstanceOf(RequestIdInUse);
        expect(results[2]).toBeNull();
        const ids = (await pool.query("SELECT request_id FROM predictions WHERE request_id LIKE 'fresh-%'")).rows.map((r) => r.request_id);
        expect(ids).toEqual(expect.arrayContaining([`fresh-${size}-a`, `fresh-${size}-c`]));
        expect(ids).not.toContain(`fresh-${size}-b`);
      }
    } finally {
      await pool.end();
    }
  });

  it('refuses with 503 while the database is gone, says why, and records again once it is back', async () => {
    const a = await pgReplica(db, 'a');
    try {
      await a.store.record(entry('before'));
      await setConnectable(db.name, false);
      await expect(a.store.record(entry('during'))).rejects.toMatchObject({ status: 503 });
      expect(a.store.writeProblem()).toMatch(/^the database cannot be reached: /);
      // Refused at once now, without waiting for a connection.
      const started = Date.now();
      await expect(a.store.record(entry('during-2'))).rejects.toMatchObject({ status: 503 });
      expect(Date.now() - started).toBeLessThan(100);
      await setConnectable(db.name, true);
      for (let i = 0; i < 100 && a.store.writeProblem() !== null; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(a.store.writeProblem()).toBeNull();
      await a.store.record(entry('after'));
      await a.settle();
      expect(a.store.latest(10).map((i) => i.entry.request_id)).toEqual(['before', 'after']);
    } finally {
      await setConnectable(db.name, true);
      await a.close();
    }
  });
});
