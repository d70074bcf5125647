import { Pool } from 'pg';
import { FleetLock, FleetLockName } from '../../common/fleet-lock';
import { ADVISORY_KEYS } from './advisory-keys';
import { withClient } from './checkout';

const KEYS: Record<FleetLockName, number> = { healing: ADVISORY_KEYS.healing, 'first-training': ADVISORY_KEYS.firstTraining };

/**
 * Fleet locks as PostgreSQL session advisory locks, each on a connection held for the work: a
 * replica that dies loses its connection, and the database releases its lock. (A connection cut
 * while the work runs releases the lock too: the work goes on, no longer exclusive, and says so
 * by failing its next database write.)
 */
export class PgFleetLock extends FleetLock {
  constructor(private readonly pool: Pool) {
    super();
  }

  tryWhileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    return withClient(this.pool, async (client) => {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [KEYS[name]]);
      if (!rows[0].locked) return { ran: false } as const;
      try {
        return { ran: true, value: await work() } as const;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [KEYS[name]]).catch(() => undefined);
      }
    });
  }

  whileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<T> {
    return withClient(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_lock($1)', [KEYS[name]]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [KEYS[name]]).catch(() => undefined);
      }
    });
  }
}
