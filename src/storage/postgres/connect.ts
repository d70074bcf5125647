import { Pool } from 'pg';

export interface ConnectOptions {
  url: string;
  poolSize: number;
  /** Keep trying for this long (seconds) before giving up. */
  timeoutSeconds: number;
  /** Told of every failed attempt (what failed, and when the next try is). */
  onRetry?: (message: string) => void;
}

/** A database that did not answer within DATABASE_CONNECT_TIMEOUT_S: start-up stops with this one line. */
export class DatabaseUnreachable extends Error {
  constructor(where: string, seconds: number, cause: Error) {
    super(`the database at ${where} did not answer within ${seconds} s (DATABASE_CONNECT_TIMEOUT_S): ${oneLine(cause.message)}`, { cause });
    this.name = 'DatabaseUnreachable';
  }
}

/** host:port/database of a URL, never its credentials (this goes to logs). */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** A pool whose idle clients' errors (a terminated backend, a restart) are logged, not thrown. */
export function createPool(url: string, poolSize: number, onError: (err: Error) => void = () => undefined): Pool {
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  pool.on('error', onError);
  return pool;
}

/**
 * Opens a pool and checks it answers, retrying with exponential backoff (0.2 s doubling to 2 s)
 * until `timeoutSeconds` have passed; then the pool is closed and DatabaseUnreachable thrown.
 */
export async function connectWithRetry(options: ConnectOptions, onPoolError?: (err: Error) => void): Promise<Pool> {
  const pool = createPool(options.url, options.poolSize, onPoolError);
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
    try {
      await pool.query('SELECT 1');
      return pool;
    } catch (err) {
      const left = deadline - Date.now();
      if (left <= 0) {
        await pool.end().catch(() => undefined);
        throw new DatabaseUnreachable(describeUrl(options.url), options.timeoutSeconds, err as Error);
      }
      const wait = Math.min(delay, left);
      options.onRetry?.(`database ${describeUrl(options.url)} not reachable (${oneLine((err as Error).message)}): retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
