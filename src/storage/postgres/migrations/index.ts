import { INITIAL_SCHEMA } from './001-initial';

/** One schema change: applied once, in order, in its own transaction, and recorded in schema_migrations. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. Never edit a shipped one: add the next. */
export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial schema', sql: INITIAL_SCHEMA }];
