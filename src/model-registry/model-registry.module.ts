import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { Database } from '../storage/postgres/database';
import { pgModelRegistry } from '../storage/postgres/pg-model-registry';
import { RegistryListener } from '../storage/postgres/registry-listener';
import { ActiveModel } from './active-model';
import { ModelRegistry, fileModelRegistry } from './file-model-registry';
import { ModelCatalog } from './model-catalog';
import { ModelLifecycle } from './model-lifecycle';
import { ModelsController } from './models.controller';

const REGISTRY = Symbol('MODEL_REGISTRY');
const part = <K extends keyof ModelRegistry>(token: unknown, key: K) => ({
  provide: token as never,
  useFactory: (registry: ModelRegistry) => registry[key],
  inject: [REGISTRY],
});

/** With the shared database: serves another replica's promotion or rollback as soon as it is notified. */
class RegistryNotifications implements OnApplicationShutdown {
  constructor(private readonly listener: RegistryListener | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
  }
}

/**
 * Models and their lifecycle, on the file store under STORAGE_DIR or on PostgreSQL (DATABASE_URL).
 * Others read through ActiveModel (what serves) and ModelCatalog (what exists); only
 * ModelLifecycle changes anything.
 */
@Module({
  controllers: [ModelsController],
  providers: [
    {
      provide: REGISTRY,
      useFactory: (config: AppConfig, clock: Clock, schema: DatasetSchema, database: Database | null | undefined) =>
        database ? pgModelRegistry(config, clock, schema, database) : fileModelRegistry(config, clock, schema),
      inject: [APP_CONFIG, CLOCK, DATASET_SCHEMA, { token: Database, optional: true }],
    },
    {
      provide: RegistryNotifications,
      useFactory: async (registry: ModelRegistry, database: Database | null | undefined) => {
        if (!database) return new RegistryNotifications(null);
        const logger = new Logger('RegistryNotifications');
        const listener = new RegistryListener(
          database.url,
          () => void registry.active.recheck(),
          (m) => logger.warn(m),
        );
        await listener.start();
        return new RegistryNotifications(listener);
      },
      inject: [REGISTRY, { token: Database, optional: true }],
    },
    part(ActiveModel, 'active'),
    part(ModelLifecycle, 'lifecycle'),
    part(ModelCatalog, 'catalog'),
  ],
  exports: [ActiveModel, ModelLifecycle, ModelCatalog],
})
export class ModelRegistryModule {}
