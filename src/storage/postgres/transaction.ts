import { Pool, PoolClient } from 'pg';
import { withClient } from './checkout';

/**
 * Runs `work` in a transaction on one client of the pool: committed when it resolves, rolled back
 * when it throws. A client whose connection broke is destroyed, not returned to the pool.
 */
export function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      // A failed ROLLBACK means the connection is gone: withClient sees the error and destroys it.
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}
