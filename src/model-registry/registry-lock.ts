import { acquireHeartbeatLock } from '../common/heartbeat-lock';

/** A registry change's lock whose heartbeat stopped this long ago was left by a killed process. */
const STALE_MS = 5000;

/**
 * Serialises registry changes between processes (the server, the CLI) with a heartbeat lock
 * (`registry.lock`, see acquireHeartbeatLock): a lock left by a killed process, on this machine or
 * in another container on the same volume, is taken over once its heartbeat is STALE_MS old, so a
 * crash mid-promotion never wedges the registry.
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const target = lockFile.replace(/\.lock$/, '');
  let release: () => Promise<void>;
  try {
    release = await acquireHeartbeatLock(target, lockFile, { staleMs: STALE_MS, waitMs: timeoutMs });
  } catch (err) {
    throw new Error(`the registry is locked by another process (${lockFile}): ${(err as Error).message}`, { cause: err });
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}
