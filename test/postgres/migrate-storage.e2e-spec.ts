import { Client } from 'pg';
import { runCli } from '../support/cli';
import { startServer } from '../support/server-process';
import { SMALL_DATA, makeTempDir } from '../support/test-app';
import { readRows } from '../support/data-rows';
import { TempDatabase, createTempDatabase } from './support/temp-database';

let db: TempDatabase;
let storage: string;
const served: string[] = [];

async function count(table: string): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${table}`);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTempDatabase();
  storage = makeTempDir('migrate-files-');
  // A file storage as a single server leaves it: v1, 30 predictions, 12 outcomes.
  const rows = readRows(SMALL_DATA);
  const server = await startServer({ STORAGE_DIR: storage, AUTO_HEAL: 'false' }, 90_000);
  try {
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${server.baseUrl}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(rows[i].features),
      });
      served.push(((await res.json()) as { request_id: string }).request_id);
    }
    for (let i = 0; i < 12; i++) {
      await fetch(`${server.baseUrl}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: served[i], actual: rows[i].actual }),
      });
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('node dist/cli migrate-storage', () => {
  it('copies versions, registry, events, predictions and outcomes into an empty database', async () => {
    const res = runCli(['migrate-storage', '--to', db.url, '--storage', storage]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(
      /copied .* 1 versions, registry state, 2 events, 30 predictions \(0 lines skipped\), 12 outcomes \(0 skipped\)/,
    );
    expect(await count('model_versions')).toBe(1);
    expect(await count('predictions')).toBe(30);
    expect(await count('outcomes')).toBe(12);
  });

  it('refuses a database that is not empty, with one line', () => {
    const res = runCli(['migrate-storage', '--to', db.url, '--storage', storage]);
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(
      'error: the database is not empty (1 versions, 30 predictions, 2 events, a registry state): migrate-storage copies into an empty database only',
    );
  });

  it('a replica on the database serves the copied model, knows the copied predictions and refuses their outcomes again', async () => {
    const replica = await startServer({ DATABASE_URL: db.url, STORAGE_DIR: makeTempDir('migrated-replica-'), AUTO_HEAL: 'false' }, 90_000);
    try {
      const health = (await (await fetch(`${replica.baseUrl}/health`)).json()) as { model_version: string };
      expect(health.model_version).toBe('v1');
      const perf = (await (await fetch(`${replica.baseUrl}/monitoring/performance?window=1000`)).json()) as { n_labelled: number };
      expect(perf.n_labelled).toBe(12);
      const again = await fetch(`${replica.baseUrl}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: served[0], actual: 'yes' }),
      });
      expect(again.status).toBe(409);
      const fresh = await fetch(`${replica.baseUrl}/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: served[20], actual: 'no' }),
      });
      expect(fresh.status).toBe(200);
    } finally {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
  });

  it('refuses a --to that is not a postgres:// URL', () => {
    const res = runCli(['migrate-storage', '--to', 'mysql://x/y', '--storage', storage]);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('--to must be a postgres:// URL');
  });
});
