import { promises as fsp } from 'node:fs';

const STALE_AFTER_MS = 30_000;
const WAIT_STEP_MS = 20;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock file (O_EXCL create) serialising registry changes between processes: the server, the
 * CLI, a second server on the same storage. A lock left by a killed process (dead pid, or older
 * than 30 s) is taken over, so a crash mid-promotion never wedges the registry.
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await fsp.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await fsp.readFile(lockFile, 'utf8').catch(() => '');
      const stat = await fsp.stat(lockFile).catch(() => null);
      const pid = Number(owner);
      const stale =
        stat === null ||
        Date.now() - stat.mtimeMs > STALE_AFTER_MS ||
        (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processIsAlive(pid));
      if (stale) {
        await fsp.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the registry is locked by process ${owner || '?'} (${lockFile})`);
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }
  try {
    return await work();
  } finally {
    await fsp.rm(lockFile, { force: true });
  }
}
