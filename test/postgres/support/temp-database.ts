import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';

/** The maintenance database the suite creates its own databases from (PG_ADMIN_URL, or the local server's). */
export const ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE t_<random> on the local server; `drop` ends its sessions and drops it. */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Ends every session on `name` but this one (a database "lost" under a replica's pool). */
export async function terminateSessions(name: string): Promise<number> {
  return admin(async (c) => {
    const { rowCount } = await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    return rowCount ?? 0;
  });
}

/** Refuses (ALLOW_CONNECTIONS false) or allows new connections to `name`, ending the current ones when refusing. */
export async function setConnectable(name: string, allowed: boolean): Promise<void> {
  await admin((c) => c.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${allowed}`));
  if (!allowed) await terminateSessions(name);
}

/**
 * A pool on a test database. A session the server ends while idle in the pool (a database dropped
 * WITH (FORCE), sessions terminated on purpose) is an 'error' event on the pool, which without a
 * listener throws out of the test as an unhandled error; queries still fail on their own promises.
 */
export function testPool(url: string, max: number): Pool {
  const pool = new Pool({ connectionString: url, max });
  pool.on('error', () => undefined);
  return pool;
}
