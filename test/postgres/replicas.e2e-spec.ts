import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import { ADVISORY_KEYS } from '../../src/storage/postgres/advisory-keys';
import { runCli } from '../support/cli';
import { ServerProcess, startServer } from '../support/server-process';
import { FULL_DATA, SMALL_DATA, makeTempDir } from '../support/test-app';
import { LabelledRow, readRows } from '../support/data-rows';
import { TempDatabase, createTempDatabase, setConnectable } from './support/temp-database';
import { saveExtraVersion } from './support/extra-version';

const ADMIN = 'replica-admin-token-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

let db: TempDatabase;
let a: ServerProcess;
let b: ServerProcess;
let rows: LabelledRow[];

function replica(): Promise<ServerProcess> {
  return startServer(
    { DATABASE_URL: db.url, STORAGE_DIR: makeTempDir('replica-'), ADMIN_TOKEN: ADMIN, AUTO_HEAL: 'false', LOG_FORMAT: 'json' },
    90_000,
  );
}

/** One query on a connection of its own (the fault test ends every session on the database). */
const sql = {
  async query(text: string, values: unknown[] = []) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  },
};

async function call(server: ServerProcess, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: json as Record<string, unknown> };
}

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    // A keep-alive connection the server closed as it was reused ("other side closed") is tried again.
    const value = await probe().catch((err: Error) => err);
    if (!(value instanceof Error) && ok(value)) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) {
      throw new Error(`not reached within ${timeoutMs} ms: ${value instanceof Error ? value.message : JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  rows = readRows(SMALL_DATA);
  db = await createTempDatabase();
  // Two replicas start together on an empty database.
  [a, b] = await Promise.all([replica(), replica()]);
}, 180_000);

afterAll(async () => {
  for (const server of [a, b]) {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  }
  await db?.drop();
});

describe('replicas on one PostgreSQL database', () => {
  it('two replicas starting on an empty database make exactly one v1, and both serve it', async () => {
    const { rows: versions } = await sql.query('SELECT number FROM model_versions');
    expect(versions).toEqual([{ number: 1 }]);
    const { rows: trained } = await sql.query("SELECT count(*)::int AS n FROM model_events WHERE event->>'type' = 'trained'");
    expect(trained[0].n).toBe(1);
    for (const server of [a, b]) expect((await call(server, '/health')).body).toMatchObject({ model_version: 'v1' });
  });

  it('feedback to B for predictions served by A is recorded once across the fleet, and both replicas see every outcome', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await call(a, '/predict', rows[i].features);
      expect(res.status).toBe(200);
      ids.push(res.body.request_id as string);
    }
    for (let i = 0; i < 40; i++) {
      const res = await call(b, '/feedback', { request_id: ids[i], actual: rows[i].actual });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ request_id: ids[i], model_version: 'v1' });
    }
    // A second outcome is 409 whichever replica is asked.
    expect((await call(a, '/feedback', { request_id: ids[0], actual: 'yes' })).status).toBe(409);
    expect((await call(b, '/feedback', { request_id: ids[1], actual: 'yes' })).status).toBe(409);
    const unknown = await call(b, '/feedback', { request_id: 'never-served', actual: 'yes' });
    expect([unknown.status, unknown.body.message]).toEqual([404, "no prediction with request_id 'never-served' (no replica served it)"]);
    for (const server of [a, b]) {
      await eventually(
        () => call(server, '/monitoring/performance?window=1000'),
        (res) => res.body.n_labelled === 40,
        5000,
      );
    }
    const { rows: stored } = await sql.query('SELECT count(*)::int AS n, count(DISTINCT recorded_by)::int AS by FROM outcomes');
    expect(stored[0]).toEqual({ n: 40, by: 1 });
  });

  it('a request id is unique across the fleet: the same X-Request-Id on the other replica is 409', async () => {
    const id = `fleet-${randomUUID()}`;
    expect((await call(a, '/predict', rows[0].features, { 'X-Request-Id': id })).status).toBe(200);
    expect((await call(b, '/predict', rows[0].features, { 'X-Request-Id': id })).status).toBe(409);
  });

  it('heals asked of both replicas at once run once: while one replica heals, the other answers 409', async () => {
    // A run that holds the fleet's healing lock (as replica A's run does while it trains).
    const holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_KEYS.healing]);
    const [fromA, fromB] = await Promise.all([call(a, '/monitoring/heal', {}, admin), call(b, '/monitoring/heal', {}, admin)]);
    expect([fromA.status, fromB.status]).toEqual([409, 409]);
    expect(fromB.body.message).toBe('a healing run is already in progress on another replica');
    await holder.end();
    // Asked together with the lock free: each is a run (200) or a 409, never two runs at once.
    const both = await Promise.all([call(a, '/monitoring/heal', {}, admin), call(b, '/monitoring/heal', {}, admin)]);
    expect(both.map((r) => r.status).every((s) => s === 200 || s === 409)).toBe(true);
    expect(both.some((r) => r.status === 200)).toBe(true);
  });

  it('with real work to do, a heal asked of both replicas at once trains one challenger: one 200, one 409', async () => {
    // 2010's clients, served by A, their outcomes sent to B (trusted: the admin token): a run trains and judges.
    const late = readRows(FULL_DATA).slice(-1500);
    const served = await call(a, '/predict/batch', { instances: late.map((r) => r.features) });
    expect(served.status).toBe(200);
    const predictions = served.body.predictions as Array<{ request_id: string }>;
    const items = predictions.map((p, i) => ({ request_id: p.request_id, actual: late[i].actual }));
    expect((await call(b, '/feedback/batch', { items }, admin)).status).toBe(200);
    // Each replica's view of the fleet's record follows within a refresh (0.5 s).
    for (const server of [a, b]) {
      await eventually(
        () => call(server, '/monitoring/performance?window=5000'),
        (res) => (res.body.n_labelled as number) >= 1540,
        5000,
      );
    }
    const trained = async () =>
      (await sql.query("SELECT count(*)::int AS n FROM model_events WHERE event->>'type' = 'trained'")).rows[0].n as number;
    const before = await trained();
    const both = await Promise.all([call(a, '/monitoring/heal', {}, admin), call(b, '/monitoring/heal', {}, admin)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const ran = both.find((r) => r.status === 200)!.body;
    expect([ran.action, ran.reason]).toEqual([expect.stringMatching(/^(promoted|rejected|held)$/), expect.any(String)]);
    expect(await trained()).toBe(before + 1);
  });

  it('a promotion on A is served by B within 2 s', async () => {
    const version = await saveExtraVersion(db.url, BANK_SCHEMA);
    const promoted = await call(a, `/models/${version}/promote`, {}, admin);
    expect(promoted.status).toBe(200);
    const started = Date.now();
    await eventually(
      () => call(b, '/health'),
      (res) => res.body.model_version === version,
      2000,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    const served = await call(b, '/predict', rows[0].features);
    expect(served.body.model_version).toBe(version);
  });

  it('with DATABASE_URL the CLI acts on the database: a rollback there is served by both replicas within 2 s', async () => {
    const versions = (await call(a, '/models')).body as unknown as Array<{ version: string; status: string }>;
    const active = versions.find((v) => v.status === 'active')!.version;
    const previous = versions.find((v) => v.status === 'previous')!.version;
    const listed = runCli(['models'], { DATABASE_URL: db.url, STORAGE_DIR: makeTempDir('cli-') });
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${active}\\s+active`));
    const rolledBack = runCli(['rollback'], { DATABASE_URL: db.url, STORAGE_DIR: makeTempDir('cli-') });
    expect([rolledBack.status, rolledBack.stderr]).toEqual([0, '']);
    for (const server of [a, b]) {
      await eventually(
        () => call(server, '/health'),
        (res) => res.body.model_version === previous,
        2000,
      );
    }
  });

  it('database lost while serving: 503 at once and /health degraded; back without a restart when it returns', async () => {
    await setConnectable(db.name, false);
    try {
      const health = await eventually(
        () => call(b, '/health'),
        (res) => res.body.status === 'degraded',
        5000,
      );
      expect(JSON.stringify(health.value.body.reasons)).toContain('database');
      const started = Date.now();
      const refused = await call(b, '/predict', rows[0].features);
      expect(refused.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(6000);
      // Whatever needs the database answers 503 saying so, never 500.
      const models = await call(b, '/models');
      expect(models.status).toBe(503);
      expect(models.body.message).toMatch(/^the database cannot be reached/);
      expect((await call(b, '/models/v1/promote', {}, admin)).status).toBe(503);
      const metrics = await fetch(`${b.baseUrl}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/^storage_healthy\{what="logs"\} 0$/m);
    } finally {
      await setConnectable(db.name, true);
    }
    await eventually(
      () => call(b, '/predict', rows[1].features),
      (res) => res.status === 200,
      10_000,
    );
    expect((await call(b, '/health')).body.status).toBe('healthy');
  });

  it('SIGKILL of A after a confirmed 10,000-row batch loses none of it; B keeps serving', async () => {
    const batchId = `kill-${randomUUID()}`;
    const instances = Array.from({ length: 10_000 }, (_, i) => rows[i % rows.length].features);
    const res = await call(a, '/predict/batch', { instances }, { 'X-Request-Id': batchId });
    expect(res.status).toBe(200);
    a.child.kill('SIGKILL');
    await a.exited;
    const { rows: stored } = await sql.query('SELECT count(*)::int AS n FROM predictions WHERE request_id LIKE $1', [`${batchId}-%`]);
    expect(stored[0].n).toBe(10_000);
    expect((await call(b, '/predict', rows[2].features)).status).toBe(200);
    // ... and B can take an outcome for a row A served just before it died.
    expect((await call(b, '/feedback', { request_id: `${batchId}-9999`, actual: 'no' })).status).toBe(200);
  });

  it('SIGTERM: B finishes what it accepted, closes its database connections and exits 0', async () => {
    const pending = Array.from({ length: 20 }, (_, i) =>
      call(b, '/predict', rows[i].features).catch(() => ({ status: 0, body: {} as Record<string, unknown> })),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    b.child.kill('SIGTERM');
    const answered = await Promise.all(pending);
    const { code } = await b.exited;
    expect(code).toBe(0);
    // Every prediction answered 200 is in the database.
    const confirmed = answered.filter((r) => r.status === 200).map((r) => r.body.request_id as string);
    const { rows: stored } = await sql.query('SELECT count(*)::int AS n FROM predictions WHERE request_id = ANY($1)', [confirmed]);
    expect(stored[0].n).toBe(confirmed.length);
    const { rows: sessions } = await sql.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
    );
    expect(sessions[0].n).toBe(0);
  });
});
