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
      const judged = await inspectLock(lockFile);
      if (judged === null) continue; // released meanwhile: try again
      if (judged.stale) {
        await clearStaleLock(lockFile, judged.ino);
        continue;
      }
      const owner = judged.owner;
      if (Date.now() > deadline) throw new Error(`the registry is locked by process ${owner || '?'} (${lockFile})`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    }
  }
  try {
    return await work();
  } finally {
    await fsp.rm(lockFile, { force: true });
  }
}

async function inspectLock(lockFile: string): Promise<{ stale: boolean; ino: number; owner: string } | null> {
  const stat = await fsp.stat(lockFile).catch(() => null);
  if (stat === null) return null;
  const owner = await fsp.readFile(lockFile, 'utf8').catch(() => '');
  const pid = Number(owner);
  const stale =
    Date.now() - stat.mtimeMs > STALE_AFTER_MS || (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processIsAlive(pid));
  return { stale, ino: stat.ino, owner };
}

/**
 * Removes a stale lock, but only the very file judged stale: two processes may judge it at once,
 * and the second must not delete the fresh lock the first has taken meanwhile. Only the holder
 * of `<lock>.takeover` (O_EXCL) may remove, and only while the lock file is still that inode.
 */
async function clearStaleLock(lockFile: string, judgedIno: number): Promise<void> {
  const guard = `${lockFile}.takeover`;
  try {
    await (await fsp.open(guard, 'wx')).close();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const guardStat = await fsp.stat(guard).catch(() => null);
    // A guard left by a process killed mid-takeover is itself stale after a few seconds.
    if (guardStat && Date.now() - guardStat.mtimeMs > 5_000) await fsp.rm(guard, { force: true });
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
    return;
  }
  try {
    const now = await fsp.stat(lockFile).catch(() => null);
    if (now && now.ino === judgedIno) await fsp.rm(lockFile, { force: true });
  } finally {
    await fsp.rm(guard, { force: true });
  }
}
