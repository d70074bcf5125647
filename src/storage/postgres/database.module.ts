import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import { FleetLock, LocalFleetLock } from '../../common/fleet-lock';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { connectWithRetry, describeUrl } from './connect';
import { Database } from './database';
import { migrate } from './migrate';
import { PgFleetLock } from './pg-fleet-lock';

const logger = new Logger('Database');

/** Connects (retrying for DATABASE_CONNECT_TIMEOUT_S) and migrates; null without DATABASE_URL. */
export async function openDatabase(config: AppConfig): Promise<Database | null> {
  const { url, poolSize, connectTimeoutSeconds } = config.database;
  if (url === null) return null;
  const pool = await connectWithRetry({ url, poolSize, timeoutSeconds: connectTimeoutSeconds, onRetry: (m) => logger.warn(m) }, (err) =>
    logger.warn(`database connection lost: ${err.message}`),
  );
  try {
    const applied = await migrate(pool);
    if (applied.length > 0) logger.log(`database ${describeUrl(url)}: applied migrations ${applied.join(', ')}`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  logger.log(`shared store: PostgreSQL at ${describeUrl(url)}`);
  return new Database(pool, url);
}

/** Closes the pool last, after every service flushed what it had accepted (in beforeApplicationShutdown). */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Optional() @Inject(Database) private readonly database: Database | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database?.pool.end().catch(() => undefined);
  }
}

/**
 * The shared database (global): `Database` when DATABASE_URL is set, null without it (every store
 * then stays on files). Modules used without it (the CLI's) inject it as optional.
 */
@Global()
@Module({
  providers: [
    { provide: Database, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openDatabase(config) },
    { provide: FleetLock, inject: [Database], useFactory: (database: Database | null) => (database ? new PgFleetLock(database.pool) : new LocalFleetLock()) },
    DatabaseCloser,
  ],
  exports: [Database, FleetLock],
})
export class DatabaseModule {}
