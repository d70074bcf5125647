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
  return null;
}

/** OpenAPI description of the 503 a change answers when the storage cannot be written. */
export const STORAGE_UNAVAILABLE = 'The storage cannot be written (full or read-only): nothing changed, the message says why';
