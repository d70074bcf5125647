import { SharedResults } from './shared-results';

describe('SharedResults', () => {
  it('shares one computation among callers of one key, and its result until it is too old', async () => {
    let now = 0;
    let runs = 0;
    const shared = new SharedResults<number>(1000, 32, () => now);
    const compute = async () => ++runs;
    const [a, b] = await Promise.all([shared.get('k', compute), shared.get('k', compute)]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
    now = 999;
    expect(await shared.get('k', compute)).toBe(1);
    expect(await shared.get('other', compute)).toBe(2);
    now = 1000;
    expect(await shared.get('k', compute)).toBe(3);
  });

  it('does not keep a failure: the next caller computes again', async () => {
    const shared = new SharedResults<number>(1000);
    await expect(shared.get('k', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await new Promise((r) => setImmediate(r));
    expect(await shared.get('k', async () => 7)).toBe(7);
  });

  it('keeps at most maxEntries keys, forgetting the oldest', async () => {
    let runs = 0;
    const shared = new SharedResults<number>(60_000, 2);
    for (const key of ['a', 'b', 'c', 'a']) await shared.get(key, async () => ++runs);
    expect(runs).toBe(4); // 'a' was forgotten when 'c' came
  });
});
