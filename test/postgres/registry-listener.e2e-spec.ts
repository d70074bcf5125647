import { Client } from 'pg';
import { REGISTRY_CHANNEL } from '../../src/storage/postgres/advisory-keys';
import { RegistryListener } from '../../src/storage/postgres/registry-listener';
import { TempDatabase, createTempDatabase, terminateSessions } from './support/temp-database';

async function notify(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, '1']);
  await client.end();
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const started = Date.now(); !condition();) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RegistryListener', () => {
  let db: TempDatabase;
  beforeEach(async () => {
    db = await createTempDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('calls back on every NOTIFY, and LISTENs again (and re-reads once) after its connection is cut', async () => {
    let changes = 0;
    const warnings: string[] = [];
    const listener = new RegistryListener(
      db.url,
      () => changes++,
      (m) => warnings.push(m),
    );
    await listener.start();
    try {
      expect(listener.listening).toBe(true);
      await notify(db.url);
      await until(() => changes === 1, 2000);
      await terminateSessions(db.name);
      await until(() => !listener.listening, 2000);
      // Back within about a second: one call for what may have been missed, then notifications again.
      await until(() => listener.listening && changes === 2, 5000);
      await notify(db.url);
      await until(() => changes === 3, 2000);
      expect(warnings.filter((w) => w.includes('connection lost'))).toHaveLength(1);
      expect(warnings).toContain('registry notifications: listening again');
    } finally {
      await listener.stop();
    }
  });
});
