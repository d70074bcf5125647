/** Error codes of a storage that cannot take a write: read-only, full, gone, not permitted. */
const STORAGE_CODES: ReadonlySet<string> = new Set(['EROFS', 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EIO', 'ENOTDIR', 'EISDIR', 'EEXIST']);

/**
 * The code of an error that says the storage cannot be written (EROFS, ENOSPC ...), looked for on
 * the error and its causes; null for any other error. Such a failure is the machine's, not the
 * caller's: a 503 that says so, not a 500.
 */
export function storageFaultCode(err: unknown): string | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_CODES.has(code)) return code;
  }
  return databaseUnavailable(err);
}

/** Socket errors of a database server that is gone or refuses connections. */
const NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
/**
 * SQLSTATE classes of a database that cannot serve now: 08 connection exception, 53 insufficient
 * resources (too many connections, disk full), 57P0x operator intervention (shut down, restarting).
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0)/;
/** node-postgres's own errors for a lost or unobtainable connection carry no code. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|is not queryable|not currently accepting connections|the database system is (starting up|shutting down)/i;

/**
 * A code naming why a (PostgreSQL) database cannot be used now, looked for on the error and its
 * causes (ECONNREFUSED, an SQLSTATE such as 57P01, or CONNECTION_LOST); null for any other error.
 */
export function databaseUnavailable(err: unknown): string | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return code;
    if (e instanceof Error && UNAVAILABLE_MESSAGE.test(e.message)) return typeof code === 'string' ? code : 'CONNECTION_LOST';
  }
  return null;
}

/** OpenAPI description of the 503 a change answers when the storage cannot be written. */
export const STORAGE_UNAVAILABLE = 'The storage cannot be written (full or read-only): nothing changed, the message says why';
