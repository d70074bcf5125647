import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Everything a failed train must leave exactly as it was in a storage folder. */
export function storageSnapshot(dir: string) {
  const list = (sub: string) => (existsSync(path.join(dir, sub)) ? readdirSync(path.join(dir, sub)).sort() : []);
  const read = (file: string) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : null);
  return {
    models: list('models'),
    baseline: list('baseline'),
    staging: list('.staging'),
    registry: read('registry.json'),
    events: read(path.join('registry', 'events.jsonl')),
  };
}
