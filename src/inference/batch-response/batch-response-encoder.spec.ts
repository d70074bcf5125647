import { EXAMPLE_CLIENT } from '../../data/testing/bank-schema';

import { PredictionLogEntry } from '../../predictions/prediction-log-entry';
import { batchResponseText } from '../prediction-response';
import { BatchResponseEncoder } from './batch-response-encoder';

function batch(batchId: string, n: number) {
  const entries: PredictionLogEntry[] = Array.from({ length: n }, (_, i) => ({
    request_id: `${batchId}-${i}`,
    timestamp: '2026-11-26T12:00:00.000Z',
    model_version: 'v2',
    input: EXAMPLE_CLIENT,
    prediction: (i % 3 === 0 ? 1 : 0) as 0 | 1,
    probability: Math.cos(i) ** 2,
    latency_ms: 1,
  }));
  return { batchId, entries, model_version: 'v2', labels: { positive: 'yes', negative: 'no' } };
}

describe('BatchResponseEncoder', () => {
  let encoder: BatchResponseEncoder;

  beforeEach(() => {
    encoder = new BatchResponseEncoder();
  });

  afterEach(async () => {
    await encoder.onApplicationShutdown();
  });

  it.each([1, 63, 64, 1000])(
    'answers a batch of %i rows with the JSON text of its responses',
    async (n) => {
      const b = batch('0b5c1b1e-1f2a', n);
      const bytes = await encoder.encode(b);
      expect(bytes.toString('utf8')).toBe(batchResponseText(b));
    },
    30_000,
  );

  it('keeps concurrent batches apart', async () => {
    const batches = Array.from({ length: 20 }, (_, k) => batch(`b${k}`, 100 + k));
    const answers = await Promise.all(batches.map((b) => encoder.encode(b)));
    answers.forEach((bytes, k) => expect(bytes.toString('utf8')).toBe(batchResponseText(batches[k])));
  }, 30_000);

  it('answers from this thread once shut down', async () => {
    await encoder.onApplicationShutdown();
    const b = batch('b', 200);
    expect((await encoder.encode(b)).toString('utf8')).toBe(batchResponseText(b));
  });
});
