import { EXAMPLE_CLIENT } from '../../data/testing/bank-schema';

import { PredictionLogEntry } from '../prediction-log-entry';
import { packBatch, transferList, unpackBatch } from './packed-batch';
import { predictionLogLine } from './prediction-log-line';

function batch(batchId: string, n: number): PredictionLogEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    request_id: `${batchId}-${i}`,
    timestamp: `2026-11-26T12:00:0${Math.floor(i / 4)}.000Z`,
    model_version: i < 5 ? 'v1' : 'v2',
    input: { ...EXAMPLE_CLIENT, age: 20 + i, euribor3m: 4.857 - i / 1000, job: i % 2 ? 'admin.' : 'blue-collar', month: 'dé"c' },
    prediction: (i % 2) as 0 | 1,
    probability: i / (n + 1) + 1e-13,
    latency_ms: 0.1 * i,
  }));
}

describe('packBatch / unpackBatch', () => {
  it('gives back entries that log exactly the same lines', () => {
    const entries = batch('5c1b1e-1f2a', 11);
    const packed = packBatch('5c1b1e-1f2a', entries)!;
    const unpacked = unpackBatch(packed);
    expect(unpacked.map(predictionLogLine)).toEqual(entries.map(predictionLogLine));
    expect(unpacked.map((e) => e.request_id)).toEqual(entries.map((e) => e.request_id));
  });

  it('keeps the shared strings as runs', () => {
    const packed = packBatch('b', batch('b', 11))!;
    expect(packed.timestamps).toEqual([
      ['2026-11-26T12:00:00.000Z', 4],
      ['2026-11-26T12:00:01.000Z', 4],
      ['2026-11-26T12:00:02.000Z', 3],
    ]);
    expect(packed.versions).toEqual([
      ['v1', 5],
      ['v2', 6],
    ]);
  });

  it('lists every typed array for transfer', () => {
    const packed = packBatch('b', batch('b', 3))!;
    expect(transferList(packed)).toHaveLength(9 + 10 + 3);
    // (jest's realm has its own ArrayBuffer, so no instanceof)
    expect(transferList(packed).every((b) => Object.prototype.toString.call(b) === '[object ArrayBuffer]')).toBe(true);
  });

  it.each([
    ['a NaN probability', { probability: Number.NaN }],
    ['a prediction other than 0 or 1', { prediction: 2 as 0 }],
    ['a numeric feature that is a string', { input: { ...EXAMPLE_CLIENT, age: '30' as unknown as number } }],
    ['an infinite feature', { input: { ...EXAMPLE_CLIENT, pdays: Number.POSITIVE_INFINITY } }],
  ])('declines a batch with %s (its lines are written by the caller)', (_, change) => {
    const entries = batch('b', 3);
    entries[1] = { ...entries[1], ...change };
    expect(packBatch('b', entries)).toBeNull();
  });

  it('refuses runs that do not cover the rows', () => {
    const packed = packBatch('b', batch('b', 3))!;
    expect(() => unpackBatch({ ...packed, timestamps: [['t', 2]] })).toThrow('packed batch: timestamps cover 2 rows, not 3');
  });
});
