import { FeatureRecord } from '../data/dataset-schema';
import { PredictionHistory } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';

/** A served prediction whose timestamp is second `second` of a fixed minute. */
function entry(id: string, second = 0): PredictionLogEntry {
  return {
    request_id: id,
    timestamp: `2024-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
    model_version: 'v1',
    input: {} as FeatureRecord,
    prediction: 0,
    probability: 0.25,
    latency_ms: 1,
  };
}

const ids = (items: Array<{ entry: PredictionLogEntry }>) => items.map((i) => i.entry.request_id);
const sequences = (items: Array<{ sequence: number }>) => items.map((i) => i.sequence);

/** A history of `capacity` fed with ids "r0".."r{count-1}", timestamps second 0..count-1. */
function filled(capacity: number, count: number): PredictionHistory {
  const history = new PredictionHistory(capacity);
  for (let i = 0; i < count; i++) history.add(entry(`r${i}`, i));
  return history;
}

describe('PredictionHistory', () => {
  describe('constructor', () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects capacity %p', (capacity) => {
      expect(() => new PredictionHistory(capacity)).toThrow('history capacity must be a positive integer');
    });

    it('accepts a capacity of 1 and starts empty', () => {
      const history = new PredictionHistory(1);
      expect(history.capacity).toBe(1);
      expect(history.size).toBe(0);
      expect(history.totalAdded).toBe(0);
      expect(history.labelledCount).toBe(0);
      expect(history.latest(5)).toEqual([]);
      expect(history.latestLabelled(5)).toEqual([]);
      expect(history.between(null, null)).toEqual([]);
    });
  });

  describe('add and get', () => {
    it('returns the new item, unlabelled, numbered in serving order', () => {
      const history = new PredictionHistory(3);
      const a = history.add(entry('a'));
      const b = history.add(entry('b'));
      expect(a).toEqual({ entry: entry('a'), actual: null, sequence: 0, anonymous: false });
      expect(b.sequence).toBe(1);
      expect(history.get('a')).toEqual(a);
      expect(history.get('b')).toEqual(b);
      expect(history.get('nope')).toBeUndefined();
      expect(history.size).toBe(2);
      expect(history.totalAdded).toBe(2);
    });

    it('evicts the oldest item once full: size stays at capacity, totalAdded keeps counting', () => {
      const history = filled(3, 4); // r0 evicted by r3
      expect(history.size).toBe(3);
      expect(history.totalAdded).toBe(4);
      expect(history.get('r0')).toBeUndefined();
      expect(history.get('r1')?.sequence).toBe(1);
      expect(history.get('r3')?.sequence).toBe(3);
      expect(ids(history.latest(10))).toEqual(['r1', 'r2', 'r3']);
    });

    it('keeps going round the ring many times over', () => {
      const history = filled(3, 10);
      expect(history.size).toBe(3);
      expect(history.totalAdded).toBe(10);
      expect(ids(history.latest(3))).toEqual(['r7', 'r8', 'r9']);
      expect(sequences(history.latest(3))).toEqual([7, 8, 9]);
      for (let i = 0; i < 7; i++) expect(history.get(`r${i}`)).toBeUndefined();
    });

    it('with capacity 1 holds only the newest item', () => {
      const history = filled(1, 3);
      expect(ids(history.latest(5))).toEqual(['r2']);
      expect(history.get('r1')).toBeUndefined();
      expect(history.get('r2')?.sequence).toBe(2);
    });
  });

  describe('trust, unlabel and held ids', () => {
    it('keeps whether an outcome was anonymous, and forgets it when the slot is reused', () => {
      const history = filled(2, 2);
      history.label('r0', 1, true);
      history.label('r1', 0);
      expect(history.latestLabelled(2).map((i) => i.anonymous)).toEqual([true, false]);
      history.add(entry('r2', 2)); // takes r0's slot
      expect(history.get('r2')?.anonymous).toBe(false);
    });

    it('unlabel takes an outcome back, so the id can be labelled again', () => {
      const history = filled(3, 2);
      expect(history.label('r1', 1, true)).toBe('recorded');
      history.unlabel('r1');
      expect(history.get('r1')).toMatchObject({ actual: null, anonymous: false });
      expect(history.labelledCount).toBe(0);
      expect(history.label('r1', 0)).toBe('recorded');
      history.unlabel('nope'); // unknown: nothing happens
      expect(history.labelledCount).toBe(1);
    });

    it('heldBatchId names a held id a batch would reuse, as a batch or as single predictions', () => {
      const history = new PredictionHistory(5);
      history.addBatch('b', [entry('b-0'), entry('b-1'), entry('b-2')]);
      expect(history.heldBatchId('b', 1)).toBe('b-0');
      expect(history.heldBatchId('c', 3)).toBeNull();
      history.add(entry('c-2'));
      expect(history.heldBatchId('c', 2)).toBeNull();
      expect(history.heldBatchId('c', 3)).toBe('c-2');
      history.addBatch('d', [entry('d-0'), entry('d-1'), entry('d-2')]); // evicts b-0, b-1
      expect(history.heldBatchId('b', 2)).toBeNull();
      expect(history.heldBatchId('b', 3)).toBe('b-2');
    });
  });

  describe('label', () => {
    it('records an outcome once, then reports duplicates and keeps the first value', () => {
      const history = filled(3, 2);
      expect(history.label('r0', 1)).toBe('recorded');
      expect(history.get('r0')?.actual).toBe(1);
      expect(history.labelledCount).toBe(1);
      expect(history.label('r0', 0)).toBe('duplicate');
      expect(history.label('r0', 1)).toBe('duplicate');
      expect(history.get('r0')?.actual).toBe(1);
      expect(history.labelledCount).toBe(1);
      expect(history.label('r1', 0)).toBe('recorded');
      expect(history.get('r1')?.actual).toBe(0);
      expect(history.labelledCount).toBe(2);
    });

    it('reports an id never served as unknown and counts nothing', () => {
      const history = filled(3, 2);
      expect(history.label('missing', 1)).toBe('unknown');
      expect(history.labelledCount).toBe(0);
    });

    it('reports an evicted id as unknown, but keeps counting outcomes recorded before eviction', () => {
      const history = filled(2, 2);
      expect(history.label('r0', 1)).toBe('recorded');
      history.add(entry('r2', 2)); // evicts r0
      history.add(entry('r3', 3)); // evicts r1 (never labelled)
      expect(history.get('r0')).toBeUndefined();
      expect(history.label('r0', 0)).toBe('unknown');
      expect(history.label('r1', 0)).toBe('unknown');
      expect(history.labelledCount).toBe(1);
      expect(history.latestLabelled(10)).toEqual([]);
    });

    it('labels the newest item when an id is re-added, and an eviction of the old copy does not forget it', () => {
      const history = new PredictionHistory(3);
      history.add(entry('x', 0)); // slot 0
      history.add(entry('y', 1)); // slot 1
      const second = history.add(entry('x', 2)); // slot 2
      expect(history.get('x')).toEqual(second);
      expect(history.label('x', 1)).toBe('recorded');
      expect(history.get('x')).toEqual({ ...second, actual: 1 });
      expect(history.latest(3).map((i) => i.actual)).toEqual([null, null, 1]);
      expect(history.label('x', 0)).toBe('duplicate');

      history.add(entry('z', 3)); // evicts the first x: the id still points at the second
      expect(history.get('x')).toEqual({ ...second, actual: 1 });
      expect(ids(history.latest(3))).toEqual(['y', 'x', 'z']);

      history.add(entry('w', 4)); // evicts y
      history.add(entry('v', 5)); // evicts the second x
      expect(history.get('x')).toBeUndefined();
      expect(history.label('x', 1)).toBe('unknown');
      expect(history.get('y')).toBeUndefined();
    });

    it('a re-added id can be labelled again when the first copy was labelled', () => {
      const history = new PredictionHistory(4);
      history.add(entry('x', 0));
      expect(history.label('x', 0)).toBe('recorded');
      const again = history.add(entry('x', 1));
      expect(history.label('x', 1)).toBe('recorded');
      expect(history.get('x')).toEqual({ ...again, actual: 1 });
      expect(history.labelledCount).toBe(2);
      expect(history.latestLabelled(5).map((i) => [i.sequence, i.actual])).toEqual([
        [0, 0],
        [1, 1],
      ]);
    });
  });

  describe('addBatch', () => {
    const batch = (id: string, count: number, second = 0) => Array.from({ length: count }, (_, i) => entry(`${id}-${i}`, second));

    it('finds and labels every row by `<batchId>-<i>`, in serving order after earlier adds', () => {
      const history = filled(10, 2);
      history.addBatch('b', batch('b', 3));
      expect(history.size).toBe(5);
      expect(ids(history.latest(5))).toEqual(['r0', 'r1', 'b-0', 'b-1', 'b-2']);
      expect(history.get('b-1')).toEqual({ entry: entry('b-1'), actual: null, sequence: 3, anonymous: false });
      expect(history.label('b-2', 1)).toBe('recorded');
      expect(history.label('b-2', 0)).toBe('duplicate');
      expect(history.latestLabelled(10).map((i) => [i.entry.request_id, i.actual])).toEqual([['b-2', 1]]);
    });

    it.each(['b-3', 'b-', 'b', 'b-01', 'b-+1', 'b-1.0', 'c-0', '-0', 'b-99999999999'])('does not know %p', (id) => {
      const history = new PredictionHistory(10);
      history.addBatch('b', batch('b', 3));
      expect(history.get(id)).toBeUndefined();
      expect(history.label(id, 1)).toBe('unknown');
    });

    it('handles batch ids that contain dashes (UUIDs)', () => {
      const history = new PredictionHistory(10);
      const id = '0b5c1b1e-1f2a-4c3d-9e8f-123456789abc';
      history.addBatch(id, batch(id, 2));
      expect(history.get(`${id}-1`)?.sequence).toBe(1);
    });

    it('forgets rows as they are evicted, the batch once all its rows are', () => {
      const history = new PredictionHistory(4);
      history.addBatch('b', batch('b', 3));
      history.addBatch('c', batch('c', 2)); // evicts b-0
      expect(history.get('b-0')).toBeUndefined();
      expect(history.label('b-0', 1)).toBe('unknown');
      expect(history.get('b-1')?.sequence).toBe(1);
      expect(ids(history.latest(4))).toEqual(['b-1', 'b-2', 'c-0', 'c-1']);
      history.addBatch('d', batch('d', 3)); // evicts b-1, b-2, c-0
      expect(history.get('b-2')).toBeUndefined();
      expect(history.get('c-0')).toBeUndefined();
      expect(history.get('c-1')?.sequence).toBe(4);
      expect(ids(history.latest(4))).toEqual(['c-1', 'd-0', 'd-1', 'd-2']);
    });

    it('a batch larger than the capacity keeps its newest rows', () => {
      const history = new PredictionHistory(3);
      history.addBatch('b', batch('b', 5));
      expect(ids(history.latest(3))).toEqual(['b-2', 'b-3', 'b-4']);
      expect(history.get('b-1')).toBeUndefined();
      expect(history.get('b-4')?.sequence).toBe(4);
    });

    it('the newer of a single prediction and a batch row with the same id wins, as with one map', () => {
      const history = new PredictionHistory(10);
      history.addBatch('x', batch('x', 2));
      history.add(entry('x-1', 5));
      expect(history.get('x-1')?.sequence).toBe(2);
      history.addBatch('x', batch('x', 2, 9));
      expect(history.get('x-1')?.sequence).toBe(4);
      expect(history.get('x-1')?.entry.timestamp).toBe(entry('x', 9).timestamp);
    });

    it('a reused batch id keeps the older rows the newer batch does not cover', () => {
      const history = new PredictionHistory(20);
      history.addBatch('b', batch('b', 5, 1));
      history.addBatch('b', batch('b', 2, 2));
      expect(history.get('b-1')?.sequence).toBe(6);
      expect(history.get('b-3')?.sequence).toBe(3);
      expect(history.label('b-4', 1)).toBe('recorded');
      history.addBatch('c', batch('c', 14)); // evicts the first b's rows 0..0
      expect(history.get('b-0')?.sequence).toBe(5);
      history.addBatch('d', batch('d', 4)); // evicts the first b entirely
      expect(history.get('b-3')).toBeUndefined();
      expect(history.get('b-1')?.sequence).toBe(6);
    });

    it('adds nothing for an empty batch', () => {
      const history = new PredictionHistory(3);
      history.addBatch('b', []);
      expect(history.size).toBe(0);
    });

    it('keeps its index bounded over many rounds of the ring', () => {
      const history = new PredictionHistory(50);
      for (let round = 0; round < 2000; round++) {
        history.addBatch(`b${round}`, batch(`b${round}`, 7));
        history.add(entry(`s${round}`));
      }
      expect(history.size).toBe(50);
      expect(history.get('b1999-6')?.entry.request_id).toBe('b1999-6');
      expect(history.get('b1990-0')).toBeUndefined();
      const internals = history as unknown as { singles: Map<string, number>; batches: Map<string, unknown>; keyQueue: unknown[] };
      expect(internals.singles.size + internals.batches.size).toBeLessThanOrEqual(51);
      expect(internals.keyQueue.length).toBeLessThan(3000);
    });
  });

  describe('latest', () => {
    it('returns the last n oldest first, all when n exceeds the size, none for n = 0', () => {
      const history = filled(5, 3);
      expect(ids(history.latest(2))).toEqual(['r1', 'r2']);
      expect(ids(history.latest(3))).toEqual(['r0', 'r1', 'r2']);
      expect(ids(history.latest(100))).toEqual(['r0', 'r1', 'r2']);
      expect(history.latest(0)).toEqual([]);
    });

    it('keeps serving order across the wrap-around', () => {
      const history = filled(3, 5); // slots hold r3, r4, r2
      expect(ids(history.latest(1))).toEqual(['r4']);
      expect(ids(history.latest(2))).toEqual(['r3', 'r4']);
      expect(ids(history.latest(3))).toEqual(['r2', 'r3', 'r4']);
      expect(sequences(history.latest(3))).toEqual([2, 3, 4]);
    });

    it('returns snapshots: a later label shows when read again', () => {
      const history = filled(3, 2);
      const [item] = history.latest(1);
      history.label('r1', 1);
      expect(item.actual).toBeNull();
      expect(history.latest(1)[0]).toEqual({ ...item, actual: 1 });
    });
  });

  describe('latestLabelled', () => {
    // capacity 5, r0..r6 added: r2..r6 held (sequences 2..6); r2, r4, r5 labelled
    function labelled(): PredictionHistory {
      const history = filled(5, 7);
      expect(history.label('r2', 1)).toBe('recorded');
      expect(history.label('r4', 0)).toBe('recorded');
      expect(history.label('r5', 1)).toBe('recorded');
      return history;
    }

    it('returns only labelled items, oldest first', () => {
      expect(ids(labelled().latestLabelled(10))).toEqual(['r2', 'r4', 'r5']);
    });

    it('returns the newest n labelled ones', () => {
      const history = labelled();
      expect(ids(history.latestLabelled(2))).toEqual(['r4', 'r5']);
      expect(ids(history.latestLabelled(1))).toEqual(['r5']);
      expect(history.latestLabelled(0)).toEqual([]);
    });

    it('returns only items served after the given sequence', () => {
      const history = labelled();
      expect(ids(history.latestLabelled(10, -1))).toEqual(['r2', 'r4', 'r5']);
      expect(ids(history.latestLabelled(10, 1))).toEqual(['r2', 'r4', 'r5']);
      expect(ids(history.latestLabelled(10, 2))).toEqual(['r4', 'r5']);
      expect(ids(history.latestLabelled(10, 3))).toEqual(['r4', 'r5']);
      expect(ids(history.latestLabelled(10, 4))).toEqual(['r5']);
      expect(history.latestLabelled(10, 5)).toEqual([]);
      expect(history.latestLabelled(10, 6)).toEqual([]);
      expect(history.latestLabelled(10, 99)).toEqual([]);
    });

    it('combines n and afterSequence: the newest n of those after it', () => {
      const history = labelled();
      history.label('r6', 0);
      expect(ids(history.latestLabelled(2, 2))).toEqual(['r5', 'r6']);
      expect(ids(history.latestLabelled(3, 2))).toEqual(['r4', 'r5', 'r6']);
    });

    it('forgets labelled items once they are evicted', () => {
      const history = labelled();
      history.add(entry('r7', 7)); // evicts r2
      expect(ids(history.latestLabelled(10))).toEqual(['r4', 'r5']);
      expect(history.labelledCount).toBe(3);
    });
  });

  describe('between', () => {
    const second = (s: number) => `2024-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;

    it('returns held items within [from, to], bounds included, oldest first', () => {
      const history = filled(10, 6);
      expect(ids(history.between(null, null))).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
      expect(ids(history.between(second(2), second(4)))).toEqual(['r2', 'r3', 'r4']);
      expect(ids(history.between(second(3), null))).toEqual(['r3', 'r4', 'r5']);
      expect(ids(history.between(null, second(1)))).toEqual(['r0', 'r1']);
      expect(ids(history.between(second(2), second(2)))).toEqual(['r2']);
    });

    it('compares ISO timestamps as strings, so a bound between two items works', () => {
      const history = filled(10, 4);
      expect(ids(history.between('2024-01-01T00:00:01.500Z', '2024-01-01T00:00:02.999Z'))).toEqual(['r2']);
    });

    it('is empty when from > to or the range misses every item', () => {
      const history = filled(10, 4);
      expect(history.between(second(3), second(1))).toEqual([]);
      expect(history.between(second(30), null)).toEqual([]);
      expect(history.between(null, '2023-12-31T23:59:59.999Z')).toEqual([]);
    });

    it('sees only items still held', () => {
      const history = filled(3, 6); // r3..r5 held
      expect(ids(history.between(null, null))).toEqual(['r3', 'r4', 'r5']);
      expect(history.between(second(0), second(2))).toEqual([]);
    });
  });
});
