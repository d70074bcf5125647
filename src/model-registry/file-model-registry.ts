import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { DatasetSchema } from '../data/dataset-schema';
import { TrainingService } from '../training/training.service';
import { ActiveModel } from './active-model';
import { ModelCatalog } from './model-catalog';
import { ModelLifecycle } from './model-lifecycle';
import { ModelStore } from './model-store';
import { EventRepository, RegistryRepository, VersionRepository } from './repositories';

/** The three records of a store (files or PostgreSQL). */
export interface RegistryRepositories {
  versions: VersionRepository;
  registry: RegistryRepository;
  events: EventRepository;
}

/** The registry's services on one store. */
export interface ModelRegistry {
  active: ActiveModel;
  lifecycle: ModelLifecycle;
  catalog: ModelCatalog;
}

/** The registry's services on the file store under `config.storageDir`. */
export interface FileModelRegistry extends ModelRegistry {
  store: ModelStore;
}

/** Wires the registry's services on any store's repositories. */
export function modelRegistryOn(repositories: RegistryRepositories, config: AppConfig, clock: Clock, schema: DatasetSchema): ModelRegistry {
  const { versions, registry, events } = repositories;
  const active = new ActiveModel(versions, registry);
  const lifecycle = new ModelLifecycle(config, clock, versions, registry, events, active, new TrainingService(schema));
  const catalog = new ModelCatalog(versions, registry, events, schema);
  return { active, lifecycle, catalog };
}

/**
 * Wires the registry on one storage folder: the Nest module's providers come from here, and so
 * does a CLI command pointed at another folder (`--storage`).
 */
export function fileModelRegistry(config: AppConfig, clock: Clock, schema: DatasetSchema): FileModelRegistry {
  const store = new ModelStore(config.storageDir, schema, clock);
  return { store, ...modelRegistryOn(store, config, clock, schema) };
}
