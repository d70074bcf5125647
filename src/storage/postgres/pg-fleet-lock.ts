import { Pool } from 'pg';
import { FleetLock, FleetLockName } from '../../common/fleet-lock';
import { ADVISORY_KEYS } from './advisory-keys';

const KEYS: Record<FleetLockName, number> = { healing: ADVISORY_KEYS.healing, 'first-training': ADVISORY_KEYS.firstTraining };

/**
 * Fleet locks as PostgreSQL session advisory locks, each on a connection held for the work: a
 * replica that dies loses its connection, and the database releases its lock.
 */
export class PgFleetLock extends FleetLock {
  constructor(private readonly pool: Pool) {
    super();
  }

  async tryWhileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [KEYS[name]]);
      if (!rows[0].locked) return { ran: false };
      try {
        return { ran: true, value: await work() };
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [KEYS[name]]).catch((err: Error) => (broken = err));
      }
    } finally {
      client.release(broken);
    }
  }

  async whileHeld<T>(name: FleetLockName, work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_lock($1)', [KEYS[name]]);
      try {
        return await work();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [KEYS[name]]).catch((err: Error) => (broken = err));
      }
    } finally {
      client.release(broken);
    }
  }
}
