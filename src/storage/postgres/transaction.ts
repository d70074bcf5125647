import { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on one client of the pool: committed when it resolves, rolled back
 * when it throws. A client whose connection broke is destroyed, not returned to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    }
  } catch (err) {
    broken ??= isConnectionError(err) ? (err as Error) : undefined;
    throw err;
  } finally {
    client.release(broken);
  }
}

/** An error of the connection (not of the statement): the client must not be reused. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && /^(08|57P0)/.test(code)) return true;
  const message = (err as Error).message ?? '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|not queryable|Client has encountered a connection error/i.test(message);
}
