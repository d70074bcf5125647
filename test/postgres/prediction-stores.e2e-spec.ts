import { Pool } from 'pg';
import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import { PredictionRecordService } from '../../src/predictions/prediction-record.service';
import { Database } from '../../src/storage/postgres/database';
import { migrate } from '../../src/storage/postgres/migrate';
import { PgPredictionRecord } from '../../src/storage/postgres/pg-prediction-record';
import { EXAMPLE_CLIENT, testConfig } from '../support/test-app';
import { predictionRecordContract } from './prediction-record-contract';
import { TempDatabase, createTempDatabase, setConnectable } from './support/temp-database';

predictionRecordContract('files', async () => {
  const store = new PredictionRecordService(testConfig(), BANK_SCHEMA);
  return { store, settle: () => store.flush(), close: () => store.onApplicationShutdown() };
});

async function pgReplica(db: TempDatabase, name: string) {
  const pool = new Pool({ connectionString: db.url, max: 4 });
  pool.on('error', () => undefined);
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
