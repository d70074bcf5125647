import { Pool, PoolClient } from 'pg';

/**
 * Runs `work` with a client of the pool to itself. A checked-out client whose connection dies
 * between queries (the server restarted, the backend was terminated) emits 'error' with no
 * listener of the pool's: without one here the process would crash. The error is kept; the
 * client is destroyed rather than returned to the pool, and a query still to come fails with it.
 */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => (lost ??= err);
  client.on('error', onError);
  try {
    return await work(client);
  } catch (err) {
    lost ??= isConnectionError(err) ? (err as Error) : undefined;
    throw err;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/** An error of the connection (not of the statement): the client must not be reused. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && /^(08|57P0)/.test(code)) return true;
  const message = (err as Error).message ?? '';
  return /Connection terminated|ECONNREFUSED|ECONNRESET|not queryable|Client has encountered a connection error/i.test(message);
}
