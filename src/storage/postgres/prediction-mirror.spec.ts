import { Pool } from 'pg';
import { BANK_SCHEMA, EXAMPLE_CLIENT } from '../../data/testing/bank-schema';
import { PredictionMirror } from './prediction-mirror';

/** A pool that answers the mirror's two refresh queries from a script, and records what it was asked. */
function fakePool(pages: Array<{ top: number | null; seqs: number[] }>) {
  const asked: Array<{ since: number; replica: string }> = [];
  const query = (sql: string, params: unknown[]) => {
    if (/FROM outcomes/.test(sql)) return Promise.resolve({ rows: [] });
    asked.push({ since: Number(params[0]), replica: String(params[2]) });
    const page = pages.shift() ?? { top: null, seqs: [] };
    const top = page.top === null ? null : String(page.top);
    const rows = page.seqs.map((seq) => ({
      top,
      seq: String(seq),
      request_id: `other-${seq}`,
      served_at: new Date('2024-05-01T10:00:00.000Z'),
      model_version: 'v1',
      inputs: { ...EXAMPLE_CLIENT },
      prediction: 0,
      probability: 0.2,
      latency_ms: 1,
    }));
    // The LEFT JOIN's one row of NULLs when no other replica's row is new.
    return Promise.resolve({ rows: rows.length > 0 ? rows : [{ top, seq: null }] });
  };
  return { pool: { query } as unknown as Pool, asked };
}

describe('PredictionMirror.refresh', () => {
  const mirror = (pool: Pool) => new PredictionMirror(pool, BANK_SCHEMA, 100, () => undefined, 'a');

  it("starts the next refresh after this replica's own rows, not before them (no rescan of what it wrote)", async () => {
    // Rows 1-500 are this replica's own (never returned), then another replica writes 501 and 502.
    const { pool, asked } = fakePool([
      { top: 500, seqs: [] },
      { top: 502, seqs: [501, 502] },
      { top: 900, seqs: [] },
    ]);
    const m = mirror(pool);
    await m.refresh();
    await m.refresh();
    await m.refresh();
    await m.refresh();
    expect(asked).toEqual([
      { since: 0, replica: 'a' },
      { since: 500, replica: 'a' },
      { since: 502, replica: 'a' },
      { since: 900, replica: 'a' },
    ]);
    expect(m.history.latest(10).map((i) => i.entry.request_id)).toEqual(['other-501', 'other-502']);
  });

  it('follows a full page from its last row, then the last page up to the top', async () => {
    const full = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const { pool, asked } = fakePool([
      { top: 30_000, seqs: full },
      { top: 30_000, seqs: [25_000] },
      { top: null, seqs: [] },
    ]);
    const m = mirror(pool);
    await m.refresh();
    await m.refresh();
    expect(asked.map((a) => a.since)).toEqual([0, 20_000, 30_000]);
  });
});
