import { Clock } from '../../common/clock';
import { AppConfig } from '../../config/app-config';
import { DatasetSchema } from '../../data/dataset-schema';
import { ModelRegistry, RegistryRepositories, modelRegistryOn } from '../../model-registry/file-model-registry';
import { Database } from './database';
import { PgEventRepository } from './pg-event-repository';
import { PgRegistryRepository } from './pg-registry-repository';
import { PgVersionRepository } from './pg-version-repository';

/** The registry's repositories on the shared database. */
export function pgRegistryRepositories(database: Database, schema: DatasetSchema): RegistryRepositories {
  return {
    versions: new PgVersionRepository(database.pool, schema),
    registry: new PgRegistryRepository(database.pool),
    events: new PgEventRepository(database.pool),
  };
}

/** The registry's services on the shared database (DATABASE_URL). */
export function pgModelRegistry(config: AppConfig, clock: Clock, schema: DatasetSchema, database: Database): ModelRegistry {
  return modelRegistryOn(pgRegistryRepositories(database, schema), config, clock, schema);
}
