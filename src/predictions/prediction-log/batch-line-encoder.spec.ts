import { EXAMPLE_CLIENT } from '../../data/testing/bank-schema';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

import { PredictionLogEntry } from '../prediction-log-entry';
import { BatchLineEncoder } from './batch-line-encoder';
import { encodeEntries } from './encode-entries';

function batch(batchId: string, n: number): PredictionLogEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    request_id: `${batchId}-${i}`,
    timestamp: '2026-11-26T12:00:00.000Z',
    model_version: 'v3',
    input: { ...EXAMPLE_CLIENT, age: 18 + (i % 70), cons_conf_idx: -36.4 - i / 10 },
    prediction: (i % 3 === 0 ? 1 : 0) as 0 | 1,
    probability: Math.sin(i) ** 2,
    latency_ms: i / 7,
  }));
}

describe('BatchLineEncoder', () => {
  let encoder: BatchLineEncoder;

  afterEach(async () => {
    await encoder?.close();
  });

  it('encodes a large batch in its worker thread, to the same bytes as on this thread', async () => {
    encoder = new BatchLineEncoder({ minRows: 10 });
    const entries = batch('0b5c1b1e-1f2a-4c3d', 500);
    const encoded = encoder.encode('0b5c1b1e-1f2a-4c3d', entries);
    expect(encoded).toBeInstanceOf(Promise);
    const bytes = await encoded;
    expect(bytes.equals(encodeEntries(entries))).toBe(true);
    expect(bytes.toString('utf8').split('\n')).toHaveLength(501);
  }, 30_000);

  it('keeps many batches apart', async () => {
    encoder = new BatchLineEncoder({ minRows: 10 });
    const batches = Array.from({ length: 8 }, (_, k) => batch(`b${k}`, 50 + k));
    const results = await Promise.all(batches.map((entries, k) => encoder.encode(`b${k}`, entries)));
    results.forEach((bytes, k) => expect(bytes.equals(encodeEntries(batches[k]))).toBe(true));
  }, 30_000);

  it('encodes a small batch here and now', () => {
    encoder = new BatchLineEncoder({ minRows: 64 });
    const entries = batch('s', 63);
    const encoded = encoder.encode('s', entries);
    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect((encoded as Buffer).equals(encodeEntries(entries))).toBe(true);
  });

  it('encodes here when the worker is behind (maxPending batches waiting)', async () => {
    encoder = new BatchLineEncoder({ minRows: 1, maxPending: 1 });
    const first = encoder.encode('a', batch('a', 5));
    const second = encoder.encode('b', batch('b', 5));
    expect(first).toBeInstanceOf(Promise);
    expect(Buffer.isBuffer(second)).toBe(true);
    await first;
  }, 30_000);

  it('when its worker fails, says so once and encodes here, the waiting batch included', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'encoder-'));
    const script = path.join(dir, 'broken.worker.js');
    writeFileSync(script, "throw new Error('cannot load');\n");
    const warnings: string[] = [];
    encoder = new BatchLineEncoder({ minRows: 1, script: { file: script, execArgv: [] } }, (m) => warnings.push(m));
    const waiting = encoder.encode('a', batch('a', 5));
    expect(waiting).toBeInstanceOf(Promise);
    expect((await waiting).equals(encodeEntries(batch('a', 5)))).toBe(true);
    const after = encoder.encode('b', batch('b', 5));
    expect(Buffer.isBuffer(after)).toBe(true);
    expect((after as Buffer).equals(encodeEntries(batch('b', 5)))).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the log encoder thread .*inference\.log lines are now written on the request thread/);
  }, 30_000);

  it('after close, encodes here', async () => {
    encoder = new BatchLineEncoder({ minRows: 1 });
    await encoder.close();
    expect(Buffer.isBuffer(encoder.encode('a', batch('a', 5)))).toBe(true);
  });
});
