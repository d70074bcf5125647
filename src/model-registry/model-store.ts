import * as path from 'node:path';
import { Clock, systemClock } from '../common/clock';
import { DatasetSchema } from '../data/dataset-schema';
import { EventLog } from './event-log';
import { RegistryFile } from './registry-file';
import { VersionStore } from './version-store';

/**
 * The file store under one storage folder: versions (models/, baseline/), registry.json and the
 * audit trail (registry/events.jsonl). No Nest here: the server, the CLI and tests share it.
 */
export class ModelStore {
  readonly versions: VersionStore;
  readonly registry: RegistryFile;
  readonly events: EventLog;

  constructor(
    readonly root: string,
    schema: DatasetSchema,
    clock: Clock = systemClock,
  ) {
    this.versions = new VersionStore(root, schema);
    this.registry = new RegistryFile(root, clock);
    this.events = new EventLog(path.join(root, 'registry', 'events.jsonl'));
  }
}
