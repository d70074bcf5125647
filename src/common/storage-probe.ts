import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Below this much free space a storage counts as full: the next model or a few seconds of logs would not fit. */
export const MIN_FREE_BYTES = 64 * 1024;

/**
 * Why a folder cannot take writes now (created if missing), or null when it can: a small file is
 * written and removed (read-only, a file in the folder's place, no permission), and the free space
 * is read (full).
 */
export async function storageProblem(dir: string, minFreeBytes = MIN_FREE_BYTES): Promise<string | null> {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(probe, 'probe');
    await fsp.rm(probe, { force: true });
  } catch (err) {
    await fsp.rm(probe, { force: true }).catch(() => undefined);
    const e = err as NodeJS.ErrnoException;
    return `${dir} cannot be written (${e.code ?? e.message})`;
  }
  try {
    const { bavail, bsize } = await fsp.statfs(dir);
    const free = bavail * bsize;
    if (free < minFreeBytes) return `${dir} is full (${Math.floor(free / 1024)} KiB free)`;
  } catch {
    // statfs unsupported here: the write above is the test
  }
  return null;
}
