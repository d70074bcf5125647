import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
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
export function fileModelRegistry(config: AppConfig, clock: Clock): FileModelRegistry {
  const store = new ModelStore(config.storageDir, clock);
  const active = new ActiveModel(store.versions, store.registry);
  const lifecycle = new ModelLifecycle(config, clock, store.versions, store.registry, store.events, active, new TrainingService());
  const catalog = new ModelCatalog(store.versions, store.registry, store.events);
  return { store, active, lifecycle, catalog };
}
