import { Pool } from 'pg';
import { ArtifactError } from '../../model-registry/artifact-error';
import { RegistryState, readRegistryState } from '../../model-registry/registry-state';
import { RegistryRepository } from '../../model-registry/repositories';
import { REGISTRY_CHANNEL } from './advisory-keys';
import { inTransaction } from './transaction';

const WHERE = 'registry_state';

/**
 * The registry state in its one row of registry_state. A change is a transaction that locks the
 * row (SELECT ... FOR UPDATE), writes the new state, bumps change_count and NOTIFYs every replica
 * (the notification is delivered on commit, so a listener reads the committed state).
 */
export class PgRegistryRepository extends RegistryRepository {
  constructor(private readonly pool: Pool) {
    super();
  }

  async read(): Promise<RegistryState | null> {
    const { rows } = await this.pool.query<{ state: unknown }>('SELECT state FROM registry_state WHERE id = 1');
    return parseState(rows[0]?.state ?? null);
  }

  async update(change: (state: RegistryState | null) => RegistryState): Promise<RegistryState> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ state: unknown }>('SELECT state FROM registry_state WHERE id = 1 FOR UPDATE');
      if (rows.length === 0) throw new ArtifactError(WHERE, 'its row is missing: the database was not migrated by this service');
      let current: RegistryState | null;
      let setAside: string | null = null;
      try {
        current = parseState(rows[0].state);
      } catch (err) {
        if (!(err instanceof ArtifactError)) throw err;
        // As the file store does with a corrupt registry.json: kept aside, and the change starts from scratch.
        current = null;
        setAside = JSON.stringify(rows[0].state);
      }
      const next = change(current);
      const { rows: counted } = await client.query<{ change_count: string }>(
        `UPDATE registry_state SET state = $1::jsonb, change_count = change_count + 1, set_aside = COALESCE($2::jsonb, set_aside)
         WHERE id = 1 RETURNING change_count`,
        [JSON.stringify(next), setAside],
      );
      await client.query('SELECT pg_notify($1, $2)', [REGISTRY_CHANNEL, counted[0].change_count]);
      return next;
    });
  }

  async changeStamp(): Promise<number | null> {
    const { rows } = await this.pool.query<{ state_set: boolean; change_count: string }>(
      'SELECT state IS NOT NULL AS state_set, change_count FROM registry_state WHERE id = 1',
    );
    if (rows.length === 0 || !rows[0].state_set) return null;
    return Number(rows[0].change_count);
  }
}

function parseState(json: unknown): RegistryState | null {
  if (json === null) return null;
  try {
    return readRegistryState(json);
  } catch (err) {
    throw new ArtifactError(WHERE, (err as Error).message);
  }
}
