import { Pool } from 'pg';
import { PgFleetLock } from '../../src/storage/postgres/pg-fleet-lock';
import { TempDatabase, createTempDatabase, terminateSessions, testPool } from './support/temp-database';

/** Two replicas' fleet locks (a pool each) on one database. */
describe('PgFleetLock', () => {
  let db: TempDatabase;
  let pools: Pool[];
  let a: PgFleetLock;
  let b: PgFleetLock;
  beforeEach(async () => {
    db = await createTempDatabase();
    pools = [testPool(db.url, 3), testPool(db.url, 3)];
    [a, b] = pools.map((pool) => new PgFleetLock(pool));
  });
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await db.drop();
  });

  const slow = (ms: number, value: string) => () => new Promise<string>((resolve) => setTimeout(() => resolve(value), ms));

  it('two heals asked at once: one runs, the other is told at once that it cannot', async () => {
    const [first, second] = await Promise.all([a.tryWhileHeld('healing', slow(500, 'a')), b.tryWhileHeld('healing', slow(500, 'b'))]);
    expect([first, second].filter((r) => r.ran)).toHaveLength(1);
    expect([first, second].filter((r) => !r.ran)).toHaveLength(1);
    // Released afterwards: the next one runs.
    expect(await b.tryWhileHeld('healing', slow(1, 'again'))).toEqual({ ran: true, value: 'again' });
  });

  it('is released when the work fails, and other names do not exclude each other', async () => {
    await expect(a.tryWhileHeld('healing', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const [heal, train] = await Promise.all([a.tryWhileHeld('healing', slow(200, 'h')), b.tryWhileHeld('first-training', slow(200, 't'))]);
    expect([heal, train]).toEqual([
      { ran: true, value: 'h' },
      { ran: true, value: 't' },
    ]);
  });

  it('whileHeld waits its turn: first trainings run one after the other, never together', async () => {
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      events.push(`${name} end`);
    };
    await Promise.all([a.whileHeld('first-training', work('a')), b.whileHeld('first-training', work('b'))]);
    expect(events).toHaveLength(4);
    expect(events[1]).toBe(`${events[0].split(' ')[0]} end`);
  });

  it('a replica that dies holding the lock (its connection gone) releases it', async () => {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const held = a.tryWhileHeld('healing', async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return 'a';
    });
    await running;
    expect((await b.tryWhileHeld('healing', slow(1, 'b'))).ran).toBe(false);
    await terminateSessions(db.name); // a's connection is cut, as a SIGKILL would
    await held.catch(() => undefined);
    expect(await b.tryWhileHeld('healing', slow(1, 'b'))).toEqual({ ran: true, value: 'b' });
  });
});
