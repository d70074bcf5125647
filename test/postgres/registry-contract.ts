import { EXAMPLE_CLIENT } from '../../src/data/testing/bank-schema';
import { TrainedModel } from '../../src/training/training-pipeline';
import { ArtifactError } from '../../src/model-registry/artifact-error';
import { Provenance, TrainingRows } from '../../src/model-registry/provenance';
import { promoteState, rollbackState } from '../../src/model-registry/registry-state';
import { EventRepository, RegistryRepository, VersionRepository } from '../../src/model-registry/repositories';

export interface RegistryStores {
  versions: VersionRepository;
  registry: RegistryRepository;
  events: EventRepository;
  /** Another handle on the same store (another replica, or the CLI), to check exclusion. */
  other: () => Promise<{ versions: VersionRepository; registry: RegistryRepository }>;
  close: () => Promise<void>;
}

const NOW = new Date('2024-03-05T07:08:09.000Z');

/**
 * The contract of the registry's repositories, run against every store (files and PostgreSQL):
 * what the lifecycle, the active model and the catalogue rely on.
 */
export function registryContract(
  name: string,
  open: () => Promise<RegistryStores>,
  model: () => { trained: TrainedModel; provenance: Provenance },
) {
  describe(`registry repositories: ${name}`, () => {
    let stores: RegistryStores;
    beforeEach(async () => {
      stores = await open();
    });
    afterEach(async () => {
      await stores.close();
    });

    it('saves versions whole, numbered v1, v2 ..., and loads them back equal', async () => {
      const { trained, provenance } = model();
      expect(await stores.versions.listVersions()).toEqual([]);
      const first = await stores.versions.saveVersion(trained, provenance, NOW);
      const second = await stores.versions.saveVersion(trained, provenance, NOW);
      expect([first.version, second.version]).toEqual(['v1', 'v2']);
      expect(await stores.versions.listVersions()).toEqual(['v1', 'v2']);
      expect(await stores.versions.hasVersion('v2')).toBe(true);
      expect(await stores.versions.hasVersion('v3')).toBe(false);
      expect(await stores.versions.hasVersion('nonsense')).toBe(false);
      const loaded = await stores.versions.loadVersion('v1');
      expect(loaded.version).toBe('v1');
      expect(loaded.metadata).toEqual(first);
      expect(loaded.model.toJSON()).toEqual(trained.model.toJSON());
      expect(loaded.preprocessor.toJSON()).toEqual(trained.preprocessor.toJSON());
      expect(loaded.baselineMetrics).toEqual(trained.metrics);
      expect(await stores.versions.loadSplit('v1')).toEqual(trained.split);
      expect(await stores.versions.loadMetadata('v2')).toEqual(second);
      expect(await stores.versions.loadSavedTrainingRows('v1')).toBeNull();
      await expect(stores.versions.assertWritable()).resolves.toBeUndefined();
    });

    it('gives concurrent savers distinct numbers, whichever handle saves', async () => {
      const { trained, provenance } = model();
      const other = await stores.other();
      const saved = await Promise.all([
        stores.versions.saveVersion(trained, provenance, NOW),
        other.versions.saveVersion(trained, provenance, NOW),
        stores.versions.saveVersion(trained, provenance, NOW),
        other.versions.saveVersion(trained, provenance, NOW),
      ]);
      expect(saved.map((m) => m.version).sort()).toEqual(['v1', 'v2', 'v3', 'v4']);
    });

    it('keeps the rows a challenger was trained on', async () => {
      const { trained, provenance } = model();
      const rows: TrainingRows = {
        records: [{ ...EXAMPLE_CLIENT }, { ...EXAMPLE_CLIENT, age: 61, job: 'retired' }],
        labels: Uint8Array.from([0, 1]),
      };
      const meta = await stores.versions.saveVersion(trained, { ...provenance, trainingRows: rows }, NOW);
      const back = await stores.versions.loadSavedTrainingRows(meta.version);
      expect(back!.records).toEqual(rows.records);
      expect(Array.from(back!.labels)).toEqual([0, 1]);
    });

    it('deletes artifacts but keeps the metadata', async () => {
      const { trained, provenance } = model();
      const meta = await stores.versions.saveVersion(trained, provenance, NOW);
      expect(await stores.versions.artifactsDeleted(meta.version)).toBe(false);
      await stores.versions.deleteArtifacts(meta.version);
      expect(await stores.versions.artifactsDeleted(meta.version)).toBe(true);
      await expect(stores.versions.loadVersion(meta.version)).rejects.toBeInstanceOf(ArtifactError);
      expect(await stores.versions.loadMetadata(meta.version)).toEqual(meta);
      expect(await stores.versions.listVersions()).toEqual([meta.version]);
    });

    it('refuses an unknown version with an ArtifactError', async () => {
      await expect(stores.versions.loadVersion('v9')).rejects.toBeInstanceOf(ArtifactError);
      await expect(stores.versions.loadMetadata('v9')).rejects.toBeInstanceOf(ArtifactError);
    });

    it('reads null before the first activation, then what was written; the stamp changes with every write', async () => {
      expect(await stores.registry.read()).toBeNull();
      expect(await stores.registry.changeStamp()).toBeNull();
      const state = await stores.registry.update((s) => promoteState(s, 'v1', NOW, null));
      expect(await stores.registry.read()).toEqual(state);
      const stamp = await stores.registry.changeStamp();
      expect(stamp).not.toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 20)); // a file's mtime has ms resolution
      await stores.registry.update((s) => promoteState(s, 'v2', NOW, null));
      expect(await stores.registry.changeStamp()).not.toEqual(stamp);
      const back = await stores.registry.update((s) => rollbackState(s!, NOW, true));
      expect(back).toMatchObject({ active: 'v1', rejected: ['v2'], history: [] });
      expect(await stores.registry.read()).toEqual(back);
    });

    it('excludes concurrent updates: none is lost, from this handle or another', async () => {
      await stores.registry.update((s) => promoteState(s, 'v1', NOW, null));
      const other = await stores.other();
      const reject = (registry: RegistryRepository, version: string) =>
        registry.update((s) => ({ ...s!, rejected: [...s!.rejected, version] }));
      await Promise.all(Array.from({ length: 10 }, (_, i) => reject(i % 2 === 0 ? stores.registry : other.registry, `v${i + 2}`)));
      const final = await stores.registry.read();
      expect([...final!.rejected].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${i + 2}`).sort());
    });

    it('a failed change leaves the state as it was', async () => {
      const state = await stores.registry.update((s) => promoteState(s, 'v1', NOW, null));
      await expect(
        stores.registry.update(() => {
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await stores.registry.read()).toEqual(state);
    });

    it('appends events and reads the last ones back, oldest first', async () => {
      expect(await stores.events.latest(5)).toEqual([]);
      for (let i = 1; i <= 7; i++) {
        await stores.events.append({ time: NOW.toISOString(), type: 'trained', actor: 'cli', version: `v${i}`, reason: `event ${i}` });
      }
      const last = await stores.events.latest(3);
      expect(last.map((e) => e.version)).toEqual(['v5', 'v6', 'v7']);
      expect(last[2]).toEqual({ time: NOW.toISOString(), type: 'trained', actor: 'cli', version: 'v7', reason: 'event 7' });
      expect(await stores.events.latest(100)).toHaveLength(7);
    });
  });
}
