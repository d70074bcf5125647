import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { TrainingService } from '../training/training.service';
import { ActiveModel } from './active-model';
import { ModelCatalog } from './model-catalog';
import { ModelLifecycle } from './model-lifecycle';
import { ModelStore } from './model-store';

/** The registry's services on the file store under `config.storageDir`. */
export interface FileModelRegistry {
  store: ModelStore;
  active: ActiveModel;
  lifecycle: ModelLifecycle;
  catalog: ModelCatalog;
}

/**
 * Wires the registry on one storage folder: the Nest module's providers come from here, and so
 * does a CLI command pointed at another folder (`--storage`).
 */
export function fileModelRegistry(config: AppConfig, clock: Clock, schema: DatasetSchema): FileModelRegistry {
  const store = new ModelStore(config.storageDir, schema, clock);
  const active = new ActiveModel(store.versions, store.registry);
  const lifecycle = new ModelLifecycle(config, clock, store.versions, store.registry, store.events, active, new TrainingService(schema));
  const catalog = new ModelCatalog(store.versions, store.registry, store.events, schema);
  return { store, active, lifecycle, catalog };
}
