import type { Type } from '@nestjs/common';
import { CommandName } from './command-catalogue';

/**
 * Each command's Nest module, loaded only when that command runs: `models` never loads the
 * prediction logs, and `--help` loads no Nest at all.
 */
export const COMMAND_MODULES: Record<CommandName, () => Promise<Type<unknown>>> = {
  schema: async () => (await import('./schema.command')).SchemaCommandModule,
  train: async () => (await import('./train.command')).TrainCommandModule,
  drift: async () => (await import('./drift.command')).DriftCommandModule,
  models: async () => (await import('./models.command')).ModelsCommandModule,
  promote: async () => (await import('./promote.command')).PromoteCommandModule,
  rollback: async () => (await import('./rollback.command')).RollbackCommandModule,
  heal: async () => (await import('./heal.command')).HealCommandModule,
  'migrate-storage': async () => (await import('./migrate-storage.command')).MigrateStorageCommandModule,
  replay: async () => (await import('./replay.command')).ReplayCommandModule,
};
