import { Module } from '@nestjs/common';
import { CLOCK, Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { DATASET_SCHEMA } from '../data/schema-file';
import { ActiveModel } from './active-model';
import { FileModelRegistry, fileModelRegistry } from './file-model-registry';
import { ModelCatalog } from './model-catalog';
import { ModelLifecycle } from './model-lifecycle';
import { ModelsController } from './models.controller';

const REGISTRY = Symbol('FILE_MODEL_REGISTRY');
const part = <K extends keyof FileModelRegistry>(token: unknown, key: K) => ({
  provide: token as never,
  useFactory: (registry: FileModelRegistry) => registry[key],
  inject: [REGISTRY],
});

/**
 * Models and their lifecycle, on the file store under STORAGE_DIR. Others read through
 * ActiveModel (what serves) and ModelCatalog (what exists); only ModelLifecycle changes anything.
 */
@Module({
  controllers: [ModelsController],
  providers: [
    {
      provide: REGISTRY,
      useFactory: (config: AppConfig, clock: Clock, schema: DatasetSchema) => fileModelRegistry(config, clock, schema),
      inject: [APP_CONFIG, CLOCK, DATASET_SCHEMA],
    },
    part(ActiveModel, 'active'),
    part(ModelLifecycle, 'lifecycle'),
    part(ModelCatalog, 'catalog'),
  ],
  exports: [ActiveModel, ModelLifecycle, ModelCatalog],
})
export class ModelRegistryModule {}
