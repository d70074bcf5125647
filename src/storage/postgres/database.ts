import { hostname } from 'node:os';
import { Pool } from 'pg';

/**
 * The shared database of the fleet, when DATABASE_URL is set (a Nest DI token, provided by
 * DatabaseModule): its migrated pool and this replica's name (recorded as served_by). Modules
 * that find no Database (the CLI's, the replay's) use the file store.
 */
export class Database {
  constructor(
    readonly pool: Pool,
    readonly url: string,
    readonly replica: string = `${hostname()}/${process.pid}`,
  ) {}
}
