import { PredictionLogEntry } from '../../src/predictions/prediction-log-entry';
import { PredictionStore } from '../../src/predictions/prediction-store';
import { RequestIdInUse } from '../../src/predictions/record-errors';
import { EXAMPLE_CLIENT } from '../support/test-app';

export interface RecordUnderTest {
  store: PredictionStore;
  /** Waits until what was written is visible to the store's readers (the database's mirror refresh). */
  settle: () => Promise<void>;
  close: () => Promise<void>;
}

const entry = (requestId: string, prediction: 0 | 1 = 0, probability = 0.25): PredictionLogEntry => ({
  request_id: requestId,
  timestamp: '2024-05-01T10:00:00.000Z',
  model_version: 'v1',
  input: { ...EXAMPLE_CLIENT },
  prediction,
  probability,
  latency_ms: 0.5,
});

/**
 * The prediction record's contract (PredictionWriter + PredictionReader), run against every store:
 * what inference, feedback, monitoring and healing rely on.
 */
export function predictionRecordContract(name: string, open: () => Promise<RecordUnderTest>) {
  describe(`prediction record: ${name}`, () => {
    let r: RecordUnderTest;
    beforeEach(async () => {
      r = await open();
    });
    afterEach(async () => {
      await r.close();
    });

    it('records predictions and reads them back, oldest first', async () => {
      await r.store.record(entry('a', 1, 0.75));
      await r.store.record(entry('b'));
      await r.settle();
      expect(r.store.latest(10).map((i) => i.entry.request_id)).toEqual(['a', 'b']);
      expect(r.store.get('a')).toMatchObject({ entry: entry('a', 1, 0.75), actual: null });
      expect(r.store.get('nope')).toBeUndefined();
      expect(r.store.writeProblem()).toBeNull();
    });

    it('refuses a request id already recorded (409), and records nothing', async () => {
      await r.store.record(entry('dup'));
      await expect(r.store.record(entry('dup'))).rejects.toBeInstanceOf(RequestIdInUse);
      await r.settle();
      expect(r.store.latest(10)).toHaveLength(1);
    });

    it('records a batch as <batchId>-<i>, all or nothing', async () => {
      const rows = Array.from({ length: 5 }, (_, i) => entry(`batch-${i}`));
      await r.store.recordBatch('batch', rows);
      await r.store.record(entry('clash-2'));
      await expect(r.store.recordBatch('clash', [entry('clash-0'), entry('clash-1'), entry('clash-2')])).rejects.toBeInstanceOf(
        RequestIdInUse,
      );
      await r.settle();
      expect(r.store.latest(100).map((i) => i.entry.request_id)).toEqual([
        'batch-0',
        'batch-1',
        'batch-2',
        'batch-3',
        'batch-4',
        'clash-2',
      ]);
      expect(r.store.get('clash-0')).toBeUndefined();
    });

    it('records each outcome once: recorded, duplicate, unknown; with its source', async () => {
      await r.store.record(entry('x', 1));
      await r.store.record(entry('y'));
      await r.settle();
      const outcomes = await r.store.recordOutcomes(
        [
          { request_id: 'x', actual: 'yes' },
          { request_id: 'x', actual: 'no' },
          { request_id: 'zzz', actual: 'no' },
        ],
        '2024-05-02T00:00:00.000Z',
        'trusted',
      );
      expect(outcomes).toEqual(['recorded', 'duplicate', 'unknown']);
      const single = await r.store.recordOutcomeOf('y', 'no', '2024-05-02T00:00:00.000Z', 'anonymous');
      expect(single).toEqual({ outcome: 'recorded', served: { prediction: 0, model_version: 'v1' } });
      expect((await r.store.recordOutcomeOf('y', 'yes', '2024-05-02T00:00:00.000Z', 'trusted')).outcome).toBe('duplicate');
      await r.settle();
      const labelled = r.store.latestLabelled(10);
      expect(labelled.map((i) => [i.entry.request_id, i.actual, i.anonymous])).toEqual([
        ['x', 1, false],
        ['y', 0, true],
      ]);
    });

    it('reads a time range', async () => {
      await r.store.record({ ...entry('early'), timestamp: '2024-01-01T00:00:00.000Z' });
      await r.store.record({ ...entry('late'), timestamp: '2024-06-01T00:00:00.000Z' });
      await r.settle();
      expect(r.store.between('2024-03-01T00:00:00.000Z', null).map((i) => i.entry.request_id)).toEqual(['late']);
    });
  });
}
