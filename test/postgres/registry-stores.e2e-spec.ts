import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import { loadCsvDataset } from '../../src/data/csv-dataset-loader';
import { ArtifactError } from '../../src/model-registry/artifact-error';
import { ModelStore } from '../../src/model-registry/model-store';
import { Provenance } from '../../src/model-registry/provenance';
import { TrainedModel, trainModel } from '../../src/training/training-pipeline';
import { migrate } from '../../src/storage/postgres/migrate';
import { PgEventRepository } from '../../src/storage/postgres/pg-event-repository';
import { PgRegistryRepository } from '../../src/storage/postgres/pg-registry-repository';
import { PgVersionRepository } from '../../src/storage/postgres/pg-version-repository';
import { registryContract } from './registry-contract';
import { TempDatabase, createTempDatabase, testPool } from './support/temp-database';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');
let trained: TrainedModel;
let provenance: Provenance;

beforeAll(async () => {
  const dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
  trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
  provenance = { dataFile: BANK_CSV, dataSha256: dataset.sha256, seed: 42, parentVersion: null, reason: 'contract test' };
});

const model = () => ({ trained, provenance });

registryContract(
  'files',
  async () => {
    const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'registry-contract-'));
    const store = new ModelStore(root, BANK_SCHEMA);
    return {
      versions: store.versions,
      registry: store.registry,
      events: store.events,
      other: async () => {
        const other = new ModelStore(root, BANK_SCHEMA);
        return { versions: other.versions, registry: other.registry };
      },
      close: () => fsp.rm(root, { recursive: true, force: true }),
    };
  },
  model,
);

registryContract(
  'PostgreSQL',
  async () => {
    const db = await createTempDatabase();
    const pools: Pool[] = [testPool(db.url, 4)];
    await migrate(pools[0]);
    return {
      versions: new PgVersionRepository(pools[0], BANK_SCHEMA),
      registry: new PgRegistryRepository(pools[0]),
      events: new PgEventRepository(pools[0]),
      other: async () => {
        const pool = testPool(db.url, 4);
        pools.push(pool);
        return { versions: new PgVersionRepository(pool, BANK_SCHEMA), registry: new PgRegistryRepository(pool) };
      },
      close: async () => {
        await Promise.all(pools.map((p) => p.end()));
        await db.drop();
      },
    };
  },
  model,
);

describe('PostgreSQL registry: what only the database checks', () => {
  let db: TempDatabase;
  let pool: Pool;
  beforeEach(async () => {
    db = await createTempDatabase();
    pool = testPool(db.url, 2);
    await migrate(pool);
  });
  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  it('applies each migration once, however many replicas start together', async () => {
    const others = [testPool(db.url, 1), testPool(db.url, 1)];
    const applied = await Promise.all(others.map((p) => migrate(p)));
    expect(applied).toEqual([[], []]);
    const { rows } = await pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1, name: 'initial schema' }]);
    await Promise.all(others.map((p) => p.end()));
  });

  it('applies migrations on a fresh database exactly once when replicas race', async () => {
    const fresh = await createTempDatabase();
    const pools = [1, 2, 3].map(() => testPool(fresh.url, 1));
    const applied = await Promise.all(pools.map((p) => migrate(p)));
    expect(applied.flat()).toEqual([1]);
    await Promise.all(pools.map((p) => p.end()));
    await fresh.drop();
  });

  it('refuses a database migrated by a newer build', async () => {
    await pool.query("INSERT INTO schema_migrations (version, name) VALUES (99, 'future')");
    await expect(migrate(pool)).rejects.toThrow('the database has migration 99, which this build does not know');
  });

  it('reads a damaged row as an ArtifactError naming it, and a change sets the damaged state aside', async () => {
    const versions = new PgVersionRepository(pool, BANK_SCHEMA);
    const meta = await versions.saveVersion(trained, provenance, new Date());
    await pool.query(`UPDATE model_versions SET artifacts = jsonb_set(artifacts, '{model}', '"junk"') WHERE number = 1`);
    await expect(versions.loadVersion(meta.version)).rejects.toThrow(ArtifactError);
    await expect(versions.loadVersion(meta.version)).rejects.toThrow(/^model_versions v1 model: /);
    const registry = new PgRegistryRepository(pool);
    await pool.query(`UPDATE registry_state SET state = '{"active": 7}'`);
    await expect(registry.read()).rejects.toThrow('registry_state: active must be a non-empty string');
    const next = await registry.update(() => ({
      active: 'v1',
      previous: null,
      history: [],
      rejected: [],
      held: [],
      watch: null,
      updated_at: 'x',
    }));
    expect(await registry.read()).toEqual(next);
    const { rows } = await pool.query('SELECT set_aside FROM registry_state');
    expect(rows[0].set_aside).toEqual({ active: 7 });
  });
});
