import { GroupCommit, QueueFull } from './group-commit';

/** A write that waits for `release` and remembers the groups it was given. */
function controlledWrite() {
  const groups: number[][][] = [];
  let release: () => void = () => undefined;
  let failWith: Error | null = null;
  const results: Array<Array<Error | null>> = [];
  const write = async (requests: ReadonlyArray<readonly number[]>) => {
    groups.push(requests.map((r) => [...r]));
    await new Promise<void>((resolve) => (release = resolve));
    if (failWith) throw failWith;
    return results.shift() ?? requests.map(() => null);
  };
  return {
    write,
    groups,
    release: () => release(),
    fail: (err: Error) => (failWith = err),
    answer: (r: Array<Error | null>) => results.push(r),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('sends the requests of one turn as one group, and those arriving during a write as the next', async () => {
    const w = controlledWrite();
    const commits = new GroupCommit(w.write, 1000);
    const first = [commits.submit([1]), commits.submit([2, 3])];
    await tick();
    const second = [commits.submit([4]), commits.submit([5])];
    expect(w.groups).toEqual([[[1], [2, 3]]]);
    expect(commits.pending).toBe(5);
    w.release();
    await Promise.all(first);
    await tick();
    expect(w.groups).toEqual([[[1], [2, 3]], [[4], [5]]]);
    w.release();
    await Promise.all(second);
    expect(commits.pending).toBe(0);
  });

  it('resolves only once the write resolves, and gives each request its own error', async () => {
    const w = controlledWrite();
    const commits = new GroupCommit(w.write, 1000);
    w.answer([null, new Error('taken')]);
    let settled = false;
    const ok = commits.submit([1]).then(() => (settled = true));
    const clash = commits.submit([2]);
    await tick();
    expect(settled).toBe(false);
    w.release();
    await ok;
    await expect(clash).rejects.toThrow('taken');
  });

  it('fails every request of a group whose write throws, and keeps going with the next', async () => {
    const w = controlledWrite();
    const commits = new GroupCommit(w.write, 1000);
    w.fail(new Error('connection terminated'));
    const lost = [commits.submit([1]), commits.submit([2])];
    await tick();
    w.release();
    for (const p of lost) await expect(p).rejects.toThrow('connection terminated');
  });

  it('refuses at once beyond maxPendingRows, never dropping what it accepted', async () => {
    const w = controlledWrite();
    const commits = new GroupCommit(w.write, 10);
    const accepted = commits.submit([1, 2, 3, 4, 5, 6, 7, 8]);
    await expect(commits.submit([9, 10, 11])).rejects.toBeInstanceOf(QueueFull);
    const fits = commits.submit([9, 10]);
    await tick();
    w.release();
    await accepted;
    await tick();
    w.release();
    await fits;
    expect(w.groups.flat(2)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('accepts one request larger than the limit when nothing waits (a whole batch is never split)', async () => {
    const w = controlledWrite();
    const commits = new GroupCommit(w.write, 2);
    const big = commits.submit([1, 2, 3]);
    await tick();
    w.release();
    await expect(big).resolves.toBeUndefined();
  });
});
