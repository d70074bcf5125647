import { existsSync, mkdirSync, mkdtempSync, rmdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withFileLock } from './registry-lock';

const lockIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'lock-')), 'registry.lock');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock as another process (another container) holds it: the folder, its heartbeat `ageMs` old. */
function heldElsewhere(lockFile: string, ageMs: number): void {
  mkdirSync(lockFile);
  const at = new Date(Date.now() - ageMs);
  utimesSync(lockFile, at, at);
}

describe('withFileLock (a heartbeat lock)', () => {
  it('runs the work holding the lock, returns its value and removes the lock', async () => {
    const lockFile = lockIn();
    const value = await withFileLock(lockFile, async () => {
      expect(existsSync(lockFile)).toBe(true);
      return 42;
    });
    expect(value).toBe(42);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('removes the lock even when the work throws, and passes the error on', async () => {
    const lockFile = lockIn();
    await expect(
      withFileLock(lockFile, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('never lets more than one of many concurrent callers in at a time', async () => {
    const lockFile = lockIn();
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(lockFile, async () => {
          most = Math.max(most, ++inside);
          await sleep(5);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it('takes over a lock whose heartbeat stopped (its holder was killed), whoever held it', async () => {
    const lockFile = lockIn();
    heldElsewhere(lockFile, 60_000);
    expect(await withFileLock(lockFile, async () => 'mine')).toBe('mine');
    expect(existsSync(lockFile)).toBe(false);
  });

  it('waits for, then times out on, a lock whose heartbeat is fresh, and leaves it alone', async () => {
    const lockFile = lockIn();
    heldElsewhere(lockFile, 0);
    const keepFresh = setInterval(() => utimesSync(lockFile, new Date(), new Date()), 100);
    try {
      await expect(withFileLock(lockFile, async () => 'never', 600)).rejects.toThrow(
        /^the registry is locked by another process \(.*registry\.lock\): .*held by another process \(its heartbeat is \d+\.\d s old\)$/,
      );
      expect(existsSync(lockFile)).toBe(true);
    } finally {
      clearInterval(keepFresh);
    }
  });

  it('gets the lock once the other holder lets go', async () => {
    const lockFile = lockIn();
    heldElsewhere(lockFile, 0);
    setTimeout(() => rmdirSync(lockFile), 200);
    expect(await withFileLock(lockFile, async () => 'got it', 5000)).toBe('got it');
  });
});

describe('withFileLock on a storage it cannot write', () => {
  it('fails with the storage error rather than waiting for a lock that cannot be made (the wait here is 10 minutes)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    writeFileSync(path.join(dir, 'registry'), 'a file where the folder should be');
    await expect(withFileLock(path.join(dir, 'registry', 'registry.lock'), async () => 'never', 600_000)).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
