import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as lockfile from 'proper-lockfile';

export interface HeartbeatLockOptions {
  /** A lock whose heartbeat is older than this is taken for dead and taken over (at least 2000 ms). */
  staleMs: number;
  /** How long to keep trying while another holder's heartbeat is fresh. */
  waitMs: number;
  /** Told when the lock was lost while held (the heartbeat could not be written in time, or another took it). */
  onLost?: (err: Error) => void;
}

/** The lock is held by someone whose heartbeat is fresh. */
export class LockHeldError extends Error {
  constructor(
    readonly lockPath: string,
    readonly heartbeatAgeMs: number | null,
  ) {
    super(
      `${lockPath} is held by another process` +
        (heartbeatAgeMs === null ? '' : ` (its heartbeat is ${(heartbeatAgeMs / 1000).toFixed(1)} s old)`),
    );
    this.name = 'LockHeldError';
  }
}

/**
 * A lock on a file or folder that works across processes and containers sharing a volume:
 * proper-lockfile makes `lockPath` a folder (mkdir is atomic, also on network file systems) and,
 * while held, refreshes its modification time (the heartbeat) every staleMs / 4. A lock whose
 * heartbeat stopped for staleMs (its holder was killed, its machine went away) is taken over.
 * Process ids are not used: they mean nothing across containers. Resolves with the release.
 */
export async function acquireHeartbeatLock(target: string, lockPath: string, options: HeartbeatLockOptions): Promise<() => Promise<void>> {
  await fsp.mkdir(path.dirname(lockPath), { recursive: true });
  const staleMs = Math.max(2000, options.staleMs);
  const stepMs = Math.min(250, staleMs / 4);
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    try {
      return await lockfile.lock(target, {
        lockfilePath: lockPath,
        realpath: false,
        stale: staleMs,
        update: Math.max(1000, staleMs / 4),
        // Retried here, only while another holds it: proper-lockfile's own retries would also
        // retry a read-only or full disk, which no wait mends.
        retries: 0,
        onCompromised: options.onLost ?? (() => undefined),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (Date.now() >= deadline) {
        const stat = await fsp.stat(lockPath).catch(() => null);
        throw new LockHeldError(lockPath, stat ? Date.now() - stat.mtimeMs : null);
      }
      await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
  }
}
