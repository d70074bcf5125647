import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withFileLock } from './registry-lock';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const exists = (file: string) =>
  fsp.access(file).then(
    () => true,
    () => false,
  );

/** Starts a child process and waits until it has exited (and been reaped): its pid is dead. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** A long-lived child: a live process that is not this one. */
async function liveChild(): Promise<ChildProcess> {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

let dir: string;
let lock: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'registry-lock-spec-'));
  lock = path.join(dir, 'registry.lock');
});

afterEach(async () => {
  jest.restoreAllMocks();
  while (children.length > 0) await stop(children.pop()!);
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('withFileLock', () => {
  it('runs the work holding a lock file with this pid, returns its value and removes the lock', async () => {
    let during: string | null = null;
    const result = await withFileLock(lock, async () => {
      during = await fsp.readFile(lock, 'utf8');
      return 42;
    });
    expect(result).toBe(42);
    expect(during).toBe(String(process.pid));
    expect(await exists(lock)).toBe(false);
  });

  it('removes the lock even when the work throws, and passes the error on', async () => {
    const boom = new Error('boom');
    await expect(
      withFileLock(lock, async () => {
        expect(await exists(lock)).toBe(true);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await exists(lock)).toBe(false);
    // and the next caller gets the lock straight away
    await expect(withFileLock(lock, async () => 'next', 100)).resolves.toBe('next');
  });

  it('serialises two concurrent critical sections in one process', async () => {
    const log: string[] = [];
    const section = (name: string) => async () => {
      log.push(`${name} start`);
      await delay(60);
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([withFileLock(lock, section('a')), withFileLock(lock, section('b'))]);
    expect(results).toEqual(['a', 'b']);
    // one finishes before the other starts, whichever went first
    expect([
      ['a start', 'a end', 'b start', 'b end'],
      ['b start', 'b end', 'a start', 'a end'],
    ]).toContainEqual(log);
    expect(await exists(lock)).toBe(false);
  });

  it('never lets more than one of many concurrent callers in at a time', async () => {
    let inside = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        withFileLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await delay(10);
          inside--;
          done++;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(done).toBe(6);
    expect(await exists(lock)).toBe(false);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const pid = await deadPid();
    await fsp.writeFile(lock, String(pid));
    const started = Date.now();
    let during = '';
    await withFileLock(
      lock,
      async () => {
        during = await fsp.readFile(lock, 'utf8');
      },
      1_000,
    );
    expect(during).toBe(String(process.pid));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await exists(lock)).toBe(false);
  });

  it('times out with a clear error while a live other process holds the lock, and leaves its lock alone', async () => {
    const child = await liveChild();
    children.push(child);
    await fsp.writeFile(lock, String(child.pid));
    const work = jest.fn(async () => 'never');
    const started = Date.now();
    await expect(withFileLock(lock, work, 100)).rejects.toThrow(`the registry is locked by process ${child.pid} (${lock})`);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(2_000);
    expect(work).not.toHaveBeenCalled();
    expect(await fsp.readFile(lock, 'utf8')).toBe(String(child.pid));

    // once that process is gone, its lock is stale and taken over
    await stop(child);
    await expect(withFileLock(lock, async () => 'after', 1_000)).resolves.toBe('after');
    expect(await exists(lock)).toBe(false);
  });

  it('gets the lock as soon as a live holder releases it', async () => {
    const child = await liveChild();
    children.push(child);
    await fsp.writeFile(lock, String(child.pid));
    setTimeout(() => void fsp.rm(lock, { force: true }), 100);
    await expect(withFileLock(lock, async () => 'got it', 5_000)).resolves.toBe('got it');
  });

  it('takes over a lock older than 30 s even when its process is alive', async () => {
    const child = await liveChild();
    children.push(child);
    await fsp.writeFile(lock, String(child.pid));
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(lock, old, old);
    await expect(withFileLock(lock, async () => 'taken', 1_000)).resolves.toBe('taken');
  });

  it('waits for a fresh lock held by this same process (another section in progress)', async () => {
    await fsp.writeFile(lock, String(process.pid));
    await expect(withFileLock(lock, async () => 'x', 80)).rejects.toThrow(`the registry is locked by process ${process.pid}`);
    expect(await exists(lock)).toBe(true);
  });

  it('treats a fresh, empty lock file (being written) as held, naming the owner "?"', async () => {
    await fsp.writeFile(lock, '');
    await expect(withFileLock(lock, async () => 'x', 80)).rejects.toThrow(`the registry is locked by process ? (${lock})`);
  });

  it('passes on errors other than "exists" without running the work', async () => {
    const work = jest.fn(async () => 'never');
    await expect(withFileLock(path.join(dir, 'missing-dir', 'registry.lock'), work, 100)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(work).not.toHaveBeenCalled();
  });

  it('lets only one of two contenders in when both find the same stale lock', async () => {
    await fsp.writeFile(lock, String(await deadPid()));
    const realStat = fsp.stat.bind(fsp);
    const realRm = fsp.rm.bind(fsp);

    // Both contenders read the stale owner and stat the file before either removes it.
    let stats = 0;
    let bothJudged!: () => void;
    const judged = new Promise<void>((resolve) => (bothJudged = resolve));
    jest.spyOn(fs.promises, 'stat').mockImplementation((async (...args: Parameters<typeof fsp.stat>) => {
      const result = await realStat(...args);
      stats++;
      if (stats <= 2) {
        if (stats === 2) bothJudged();
        await judged;
      }
      return result;
    }) as unknown as typeof fsp.stat);

    // The second contender's rm lands after the first has taken the lock.
    let someoneInside!: () => void;
    const entered = new Promise<void>((resolve) => (someoneInside = resolve));
    let removals = 0;
    jest.spyOn(fs.promises, 'rm').mockImplementation((async (...args: Parameters<typeof fsp.rm>) => {
      removals++;
      if (removals === 2) await Promise.race([entered, delay(500)]);
      return realRm(...args);
    }) as typeof fsp.rm);

    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      someoneInside();
      await delay(50);
      inside--;
    };
    await Promise.all([withFileLock(lock, work, 2_000), withFileLock(lock, work, 2_000)]);
    expect(most).toBe(1);
  });
});
