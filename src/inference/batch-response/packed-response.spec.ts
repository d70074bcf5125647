import { EXAMPLE_CLIENT } from '../../data/testing/bank-schema';
import { batchResponseText } from '../prediction-response';
import { packResponse, transferList, unpackResponse } from './packed-response';

import { PredictionLogEntry } from '../../predictions/prediction-log-entry';

function batch(batchId: string, n: number, version = 'v7') {
  const entries: PredictionLogEntry[] = Array.from({ length: n }, (_, i) => ({
    request_id: `${batchId}-${i}`,
    timestamp: `2026-11-26T12:00:0${i < 3 ? 0 : 1}.000Z`,
    model_version: version,
    input: EXAMPLE_CLIENT,
    prediction: (i % 2) as 0 | 1,
    probability: [0, 1, 0.5, 0.49995, 0.50005, 1e-9, 1 - 1e-9, 1 / 3][i % 8] + i * 1e-12,
    latency_ms: 1,
  }));
  return { batchId, entries, model_version: version, labels: { positive: 'yes', negative: 'no' } };
}

describe('packResponse / unpackResponse', () => {
  it('give back an answer with exactly the same JSON text', () => {
    const original = batch('0b5c1b1e-1f2a-4c3d', 9);
    expect(batchResponseText(unpackResponse(packResponse(original)))).toBe(batchResponseText(original));
  });

  it('escape a batch id and a version that need it as JSON.stringify does', () => {
    const batchId = 'quote" back\\slash é \u2028';
    const original = batch(batchId, 3, 'v"1');
    const text = batchResponseText(unpackResponse(structuredClone(packResponse(original))));
    expect(text).toBe(batchResponseText(original));
    expect(JSON.parse(text).predictions[2].request_id).toBe(`${batchId}-2`);
  });

  it('keep the timestamps as runs and list both arrays for transfer', () => {
    const packed = packResponse(batch('b', 5));
    expect(packed.timestamps).toEqual([
      ['2026-11-26T12:00:00.000Z', 3],
      ['2026-11-26T12:00:01.000Z', 2],
    ]);
    expect(transferList(packed)).toHaveLength(2);
  });

  it('refuse columns of different lengths', () => {
    const packed = packResponse(batch('b', 3));
    expect(() => unpackResponse({ ...packed, probabilities: new Float64Array(2) })).toThrow('packed batch: 2 probabilities for 3 rows');
    expect(() => unpackResponse({ ...packed, timestamps: [['t', 1]] })).toThrow('packed batch: timestamps cover 1 rows, not 3');
  });
});
