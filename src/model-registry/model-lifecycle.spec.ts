import { ConflictException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { SimulatedClock } from '../common/clock';
import { loadConfig } from '../config/app-config';
import { TrainedModel } from '../training/training-pipeline';
import { TrainingService } from '../training/training.service';
import { ActiveModel } from './active-model';
import { ModelLifecycle } from './model-lifecycle';
import { InMemoryEvents, InMemoryRegistry, InMemoryVersions } from './testing/in-memory-repositories';

const START = new Date('2024-01-01T00:00:00.000Z');

/** A trained model as the lifecycle sees it: an opaque thing to save (its content is the store's business). */
function fakeTrained(tag: string): TrainedModel {
  return {
    model: { tag },
    params: { tag },
    preprocessor: {},
    split: { train: [0], validation: [1], test: [2] },
    metrics: { validation: {}, test: {} },
    stats: {},
    solver: { iterations: 1, gradient_norm: 0, class_weights: { 0: 1, 1: 1 } },
    rows: { total: 3, train: 1, validation: 1, test: 1 },
  } as unknown as TrainedModel;
}

function setUp(env: Record<string, string> = {}) {
  const versions = new InMemoryVersions();
  const registry = new InMemoryRegistry();
  const events = new InMemoryEvents();
  const active = new ActiveModel(versions, registry);
  const trainedFiles: string[] = [];
  const training = {
    trainFromFile: async (file: string, seed: number) => {
      trainedFiles.push(`${file}@${seed}`);
      return { dataSha256: 'abc123', trained: fakeTrained(file) };
    },
    train: () => fakeTrained('rows'),
  } as unknown as TrainingService;
  const config = loadConfig({ WATCH_LABELS: '250', ...env });
  const lifecycle = new ModelLifecycle(config, new SimulatedClock(START), versions, registry, events, active, training);
  const types = () => events.all.map((e) => e.type);
  return { versions, registry, events, active, lifecycle, trainedFiles, types };
}

/** Three saved versions, v1 active (no watch). */
async function withThreeVersions() {
  const world = setUp();
  await world.lifecycle.trainFromFile({ dataFile: 'a.csv', seed: 1, activate: true, reason: 'first', actor: 'cli' });
  await world.lifecycle.saveTrained(
    fakeTrained('b'),
    { dataFile: null, dataSha256: null, seed: 1, parentVersion: 'v1', reason: 'second' },
    'auto',
  );
  await world.lifecycle.saveTrained(
    fakeTrained('c'),
    { dataFile: null, dataSha256: null, seed: 1, parentVersion: 'v1', reason: 'third' },
    'auto',
  );
  world.events.all.length = 0;
  return world;
}

describe('ModelLifecycle', () => {
  describe('trainFromFile', () => {
    it('saves a version, records "trained", then activates it with a "promoted" event and serves it', async () => {
      const { lifecycle, registry, events, active, trainedFiles } = setUp();
      const metadata = await lifecycle.trainFromFile({
        dataFile: 'bank.csv',
        seed: 7,
        activate: true,
        reason: 'first start',
        actor: 'auto',
      });
      expect(trainedFiles).toEqual(['bank.csv@7']);
      expect(metadata).toMatchObject({ version: 'v1', data_file: 'bank.csv', data_sha256: 'abc123', seed: 7, parent_version: null });
      expect(registry.state).toMatchObject({ active: 'v1', previous: null, watch: null });
      expect(active.current()?.version).toBe('v1');
      expect(events.all).toEqual([
        { time: expect.any(String), type: 'trained', actor: 'auto', reason: 'first start', version: 'v1' },
        { time: expect.any(String), type: 'promoted', actor: 'auto', reason: 'first start', from_version: null, to_version: 'v1' },
      ]);
    });

    it('with activate false, saves and records the version but changes nothing that serves', async () => {
      const { lifecycle, registry, active, types } = setUp();
      await lifecycle.trainFromFile({ dataFile: 'bank.csv', seed: 7, activate: false, reason: 'spare', actor: 'cli' });
      expect(registry.state).toBeNull();
      expect(active.current()).toBeNull();
      expect(types()).toEqual(['trained']);
    });

    it('records the active version as the parent of the next one', async () => {
      const { lifecycle } = setUp();
      await lifecycle.trainFromFile({ dataFile: 'a.csv', seed: 1, activate: true, reason: 'one', actor: 'cli' });
      const second = await lifecycle.trainFromFile({ dataFile: 'b.csv', seed: 1, activate: false, reason: 'two', actor: 'cli' });
      expect(second.parent_version).toBe('v1');
    });

    it('spends no training time when the storage cannot be written', async () => {
      const { lifecycle, versions, trainedFiles, events } = setUp();
      versions.writable = false;
      await expect(lifecycle.trainFromFile({ dataFile: 'a.csv', seed: 1, activate: true, reason: 'x', actor: 'cli' })).rejects.toThrow(
        'not writable',
      );
      expect(trainedFiles).toEqual([]);
      expect(events.all).toEqual([]);
    });
  });

  describe('promote', () => {
    it('makes the version active, watches it against the one it replaces, serves it and records why', async () => {
      const { lifecycle, registry, active, events } = await withThreeVersions();
      const state = await lifecycle.promote('v2', {
        actor: 'auto',
        reason: 'won the gate',
        gate: { n: 100 },
        trigger: { status: 'drifting' },
      });
      expect(state).toMatchObject({
        active: 'v2',
        previous: 'v1',
        history: ['v1'],
        watch: { champion: 'v2', previous: 'v1', labels_needed: 250, started_at: expect.any(String) },
      });
      expect(registry.state).toEqual(state);
      expect(active.current()?.version).toBe('v2');
      expect(events.all).toEqual([
        {
          time: expect.any(String),
          type: 'promoted',
          actor: 'auto',
          reason: 'won the gate',
          from_version: 'v1',
          to_version: 'v2',
          gate: { n: 100 },
          trigger: { status: 'drifting' },
        },
      ]);
    });

    it('with watch false, starts no watch', async () => {
      const { lifecycle } = await withThreeVersions();
      expect(await lifecycle.promote('v2', { actor: 'cli', reason: 'by hand', watch: false })).toMatchObject({ active: 'v2', watch: null });
    });

    it('refuses a rejected version (409) and changes nothing', async () => {
      const { lifecycle, registry, active, events } = await withThreeVersions();
      await lifecycle.reject('v3', { actor: 'auto', reason: 'lost' });
      const before = structuredClone(registry.state);
      await expect(lifecycle.promote('v3', { actor: 'api', reason: 'try' })).rejects.toThrow(
        new ConflictException('v3 was rejected and cannot be promoted'),
      );
      expect(registry.state).toEqual(before);
      expect(active.current()?.version).toBe('v1');
      expect(events.all.map((e) => e.type)).toEqual(['rejected']);
    });

    it('refuses the active version (409), an unknown one (404) and a broken one (409)', async () => {
      const { lifecycle, versions, events } = await withThreeVersions();
      await expect(lifecycle.promote('v1', { actor: 'api', reason: 'x' })).rejects.toThrow(new ConflictException('v1 is already active'));
      await expect(lifecycle.promote('v9', { actor: 'api', reason: 'x' })).rejects.toThrow(new NotFoundException('there is no version v9'));
      await expect(lifecycle.promote('latest', { actor: 'api', reason: 'x' })).rejects.toBeInstanceOf(NotFoundException);
      versions.broken.add('v2');
      await expect(lifecycle.promote('v2', { actor: 'api', reason: 'x' })).rejects.toThrow(/v2 cannot be loaded/);
      expect(events.all).toEqual([]);
    });

    it('runs concurrent changes one after another, losing none', async () => {
      const { lifecycle, registry } = await withThreeVersions();
      await Promise.all([lifecycle.promote('v2', { actor: 'api', reason: 'a' }), lifecycle.promote('v3', { actor: 'api', reason: 'b' })]);
      expect(registry.state).toMatchObject({ active: 'v3', history: ['v1', 'v2'] });
    });
  });

  describe('rollback', () => {
    it('serves the previous version again and records it', async () => {
      const { lifecycle, registry, active, events } = await withThreeVersions();
      await lifecycle.promote('v2', { actor: 'api', reason: 'a' });
      const state = await lifecycle.rollback({ actor: 'api', reason: 'asked' });
      expect(state).toMatchObject({ active: 'v1', previous: null, history: [], rejected: [], watch: null });
      expect(registry.state).toEqual(state);
      expect(active.current()?.version).toBe('v1');
      expect(events.all.at(-1)).toMatchObject({ type: 'rolled_back', actor: 'api', from_version: 'v2', to_version: 'v1' });
    });

    it('with rejectCurrent, marks the version left as rejected, so it can never be promoted again', async () => {
      const { lifecycle, registry } = await withThreeVersions();
      await lifecycle.promote('v2', { actor: 'auto', reason: 'a' });
      await lifecycle.rollback({ actor: 'auto', reason: 'lost its watch', rejectCurrent: true, gate: { n: 300 } });
      expect(registry.state).toMatchObject({ active: 'v1', rejected: ['v2'] });
      await expect(lifecycle.promote('v2', { actor: 'api', reason: 'again' })).rejects.toBeInstanceOf(ConflictException);
    });

    it('with no previous version: 409 and no event', async () => {
      const { lifecycle, events } = await withThreeVersions();
      await expect(lifecycle.rollback({ actor: 'api', reason: 'x' })).rejects.toThrow(
        new ConflictException('there is no previous version to roll back to'),
      );
      expect(events.all).toEqual([]);
    });
  });

  describe('reject, passWatch and recordDecision', () => {
    it('reject adds the version to the rejected ones and records the gate', async () => {
      const { lifecycle, registry, events } = await withThreeVersions();
      await lifecycle.reject('v2', { actor: 'auto', reason: 'lost', gate: { min_gain: 0.005 }, trigger: { status: 'degraded' } });
      expect(registry.state).toMatchObject({ active: 'v1', rejected: ['v2'] });
      expect(events.all).toEqual([
        {
          time: expect.any(String),
          type: 'rejected',
          actor: 'auto',
          reason: 'lost',
          version: 'v2',
          gate: { min_gain: 0.005 },
          trigger: { status: 'degraded' },
        },
      ]);
    });

    it('reject before anything is active: 409', async () => {
      const { lifecycle } = setUp();
      await expect(lifecycle.reject('v1', { actor: 'auto', reason: 'x' })).rejects.toBeInstanceOf(ConflictException);
    });

    it('passWatch ends the watch and records "watch_passed" with its scores', async () => {
      const { lifecycle, registry, events } = await withThreeVersions();
      await lifecycle.promote('v2', { actor: 'auto', reason: 'a' });
      await lifecycle.passWatch('v2', { actor: 'auto', reason: 'kept', gate: { n: 250 } });
      expect(registry.state).toMatchObject({ active: 'v2', watch: null });
      expect(events.all.at(-1)).toEqual({
        time: expect.any(String),
        type: 'watch_passed',
        actor: 'auto',
        reason: 'kept',
        version: 'v2',
        gate: { n: 250 },
      });
    });

    it('recordDecision appends an event stamped by the clock', async () => {
      const { lifecycle, events } = setUp();
      await lifecycle.recordDecision({ type: 'heal_skipped', actor: 'auto', version: null, reason: 'healthy' });
      expect(events.all).toEqual([
        {
          time: expect.stringMatching(/^2024-01-01T00:00:00\.\d{3}Z$/),
          type: 'heal_skipped',
          actor: 'auto',
          version: null,
          reason: 'healthy',
        },
      ]);
    });
  });

  describe('onDecision', () => {
    it('tells its listeners of each decision once it is written, and a failing listener changes nothing', async () => {
      const world = await withThreeVersions();
      const seen: Array<[string, string, number]> = [];
      world.lifecycle.onDecision(() => {
        throw new Error('a broken observer');
      });
      world.lifecycle.onDecision((event) => seen.push([event.type, event.actor, world.events.all.length]));
      await world.lifecycle.promote('v2', { actor: 'api', reason: 'r' });
      await world.lifecycle.reject('v3', { actor: 'auto', reason: 'lost' });
      await world.lifecycle.rollback({ actor: 'auto', reason: 'watch lost', rejectCurrent: true });
      await world.lifecycle.recordDecision({ type: 'heal_skipped', actor: 'auto', reason: 'healthy' });
      // Each was already in the trail when its listener heard of it.
      expect(seen).toEqual([
        ['promoted', 'api', 1],
        ['rejected', 'auto', 2],
        ['rolled_back', 'auto', 3],
        ['heal_skipped', 'auto', 4],
      ]);
      expect(world.types()).toEqual(['promoted', 'rejected', 'rolled_back', 'heal_skipped']);
    });
  });

  describe('hold and holdRollback', () => {
    it('hold keeps a winning challenger waiting for an admin, who may promote it; a newer one supersedes it', async () => {
      const { lifecycle, registry, events } = await withThreeVersions();
      await lifecycle.hold('v2', { actor: 'auto', reason: 'held for an admin: anonymous', gate: { verdict: 'promote' } });
      expect(registry.state).toMatchObject({ active: 'v1', held: ['v2'], rejected: [] });
      expect(events.all.at(-1)).toMatchObject({ type: 'held', version: 'v2', reason: 'held for an admin: anonymous' });
      await lifecycle.hold('v3', { actor: 'auto', reason: 'held again' });
      expect(registry.state).toMatchObject({ held: ['v3'], rejected: ['v2'] });
      expect(events.all.at(-1)).toMatchObject({ type: 'rejected', version: 'v2', reason: expect.stringMatching(/^superseded by v3/) });
      await lifecycle.promote('v3', { actor: 'api', reason: 'an admin looked' });
      expect(registry.state).toMatchObject({ active: 'v3', held: [] });
    });

    it('holdRollback ends the watch without the rollback and records it', async () => {
      const { lifecycle, registry, events, active } = await withThreeVersions();
      await lifecycle.promote('v2', { actor: 'auto', reason: 'a' });
      await lifecycle.holdRollback({ actor: 'auto', reason: 'anonymous outcomes', gate: { verdict: 'rollback' } });
      expect(registry.state).toMatchObject({ active: 'v2', watch: null });
      expect(active.current()?.version).toBe('v2');
      expect(events.all.at(-1)).toMatchObject({ type: 'held', from_version: 'v2', to_version: 'v1', reason: 'anonymous outcomes' });
    });
  });

  describe('retention of rejected challengers (RETAIN_REJECTED)', () => {
    const challenger = (parent: string) => ({
      dataFile: null,
      dataSha256: null,
      seed: 1,
      parentVersion: parent,
      reason: 'c',
      challenger: true,
    });

    it('keeps the artifacts of the newest RETAIN_REJECTED rejected challengers; older ones keep only their metadata', async () => {
      const { lifecycle, versions, events } = setUp({ RETAIN_REJECTED: '2' });
      await lifecycle.trainFromFile({ dataFile: 'a.csv', seed: 1, activate: true, reason: 'by a person', actor: 'cli' });
      for (let i = 0; i < 4; i++) {
        const { version } = await lifecycle.saveTrained(fakeTrained(`c${i}`), challenger('v1'), 'auto');
        await lifecycle.reject(version, { actor: 'auto', reason: 'lost' });
      }
      // v2..v5 rejected; the two oldest lose their artifacts.
      expect([...versions.deleted].sort()).toEqual(['v2', 'v3']);
      expect(events.all.filter((e) => e.type === 'artifacts_deleted').map((e) => e.version)).toEqual(['v2', 'v3']);
      expect((await versions.loadMetadata('v2')).reason).toBe('c');
    });

    it('never deletes the active version, a version a rollback returns to, or one a person trained', async () => {
      const { lifecycle, versions } = setUp({ RETAIN_REJECTED: '0' });
      await lifecycle.trainFromFile({ dataFile: 'a.csv', seed: 1, activate: true, reason: 'by a person', actor: 'cli' });
      const v2 = await lifecycle.saveTrained(fakeTrained('b'), challenger('v1'), 'auto');
      await lifecycle.promote(v2.version, { actor: 'auto', reason: 'won' }); // v1 is now in the history
      await lifecycle.saveTrained(
        fakeTrained('p'),
        { dataFile: 'x.csv', dataSha256: null, seed: 1, parentVersion: null, reason: 'a person' },
        'cli',
      );
      await lifecycle.reject('v3', { actor: 'auto', reason: 'rejected, but a person trained it' });
      expect(versions.deleted.size).toBe(0);
      await lifecycle.rollback({ actor: 'auto', reason: 'lost its watch', rejectCurrent: true }); // v2 rejected, a challenger
      expect([...versions.deleted]).toEqual(['v2']);
    });
  });

  describe('a storage that cannot be written', () => {
    it('promote answers 503 naming the fault, not a 500', async () => {
      const { lifecycle, registry } = await withThreeVersions();
      registry.update = async () => {
        throw Object.assign(new Error("EROFS: read-only file system, open 'registry.json'"), { code: 'EROFS' });
      };
      const err = await lifecycle.promote('v2', { actor: 'api', reason: 'x' }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(ServiceUnavailableException);
      expect((err as ServiceUnavailableException).message).toBe(
        "the storage cannot be written: EROFS: read-only file system, open 'registry.json'",
      );
    });
  });
});
