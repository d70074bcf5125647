import { Pool } from 'pg';
import { ADVISORY_KEYS } from './advisory-keys';
import { withClient } from './checkout';
import { MIGRATIONS, Migration } from './migrations';

/** The database was migrated by a newer build than this one: start-up stops rather than guess. */
export class SchemaTooNew extends Error {}

/**
 * Applies the migrations the database lacks, each in its own transaction with its row in
 * schema_migrations, under an advisory lock: replicas starting together wait for each other and
 * apply each migration once. Returns the versions applied now.
 */
export async function migrate(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_KEYS.migrations]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const applied = new Set(rows.map((r) => Number(r.version)));
      const known = new Set(migrations.map((m) => m.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new SchemaTooNew(
          `the database has migration ${Math.max(...unknown)}, which this build does not know: it was migrated by a newer version of the service`,
        );
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}`, { cause: err });
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_KEYS.migrations]).catch(() => undefined);
    }
  });
}
