import { ModelEvent } from '../model-registry/model-event';
import { pastSearchEvidence, pooledLoss } from './search-evidence';

const searchEvent = (
  type: ModelEvent['type'],
  rows: number,
  candidates: Array<{ procedures: string[]; loss: number | null; status?: string }>,
  score = 'brier',
): ModelEvent => ({
  time: '2026-01-01T00:00:00.000Z',
  type,
  actor: 'auto',
  reason: 'x',
  gate: {
    search: {
      score,
      validation_rows: rows,
      candidates: candidates.map((c) => ({ status: c.status ?? 'scored', validation_loss: c.loss, procedures: c.procedures })),
    },
  },
});

describe('pastSearchEvidence', () => {
  it('sums each procedure’s loss over the rows of the searches that scored it, newest first', () => {
    const events = [
      searchEvent('rejected', 100, [
        { procedures: ['a'], loss: 0.3 },
        { procedures: ['b', 'c'], loss: 0.1 },
      ]),
      { time: 't', type: 'heal_skipped', actor: 'auto', reason: 'too few' } as ModelEvent,
      searchEvent('promoted', 300, [
        { procedures: ['a'], loss: 0.1 },
        { procedures: ['b'], loss: 0.2 },
        { procedures: ['c'], loss: null, status: 'failed' },
      ]),
    ];
    const evidence = pastSearchEvidence(events, 'brier', 10_000);
    expect(evidence.a).toEqual({ loss_sum: expect.closeTo(0.3 * 100 + 0.1 * 300, 12), rows: 400, searches: 2 });
    expect(evidence.b).toEqual({ loss_sum: expect.closeTo(0.1 * 100 + 0.2 * 300, 12), rows: 400, searches: 2 });
    // A failed fit adds nothing: c has the one search that scored it.
    expect(evidence.c).toEqual({ loss_sum: expect.closeTo(10, 12), rows: 100, searches: 1 });
  });

  it('remembers only the newest searches whose rows fit in maxRows, and only those judged by the same score', () => {
    const events = [
      searchEvent('held', 500, [{ procedures: ['a'], loss: 0.9 }]),
      searchEvent('rejected', 300, [{ procedures: ['a'], loss: 0.5 }], 'log_loss'),
      searchEvent('promoted', 300, [{ procedures: ['a'], loss: 0.1 }]),
    ];
    expect(pastSearchEvidence(events, 'brier', 600)).toEqual({ a: { loss_sum: expect.closeTo(30, 12), rows: 300, searches: 1 } });
    expect(pastSearchEvidence(events, 'brier', 800).a.rows).toBe(800);
    expect(pastSearchEvidence(events, 'brier', 0)).toEqual({});
  });

  it('passes over events without a search, or whose candidates name no procedures (older versions)', () => {
    const old: ModelEvent = {
      time: 't',
      type: 'promoted',
      actor: 'auto',
      reason: 'x',
      gate: { search: { score: 'brier', validation_rows: 100, candidates: [{ status: 'scored', validation_loss: 0.1 }] } },
    };
    const admin: ModelEvent = { time: 't', type: 'promoted', actor: 'api', reason: 'by hand' };
    expect(pastSearchEvidence([old, admin], 'brier', 10_000)).toEqual({});
  });
});

describe('pooledLoss', () => {
  const past = { a: { loss_sum: 30, rows: 300, searches: 3 }, b: { loss_sum: 10, rows: 100, searches: 1 } };

  it('adds this search’s rows to the past ones', () => {
    expect(pooledLoss(['a'], 0.2, 100, past)).toEqual({ loss: (30 + 20) / 400, rows: 400, searches: 4 });
  });

  it('is this search’s loss without past evidence', () => {
    expect(pooledLoss(['z'], 0.2, 100, past)).toEqual({ loss: 0.2, rows: 100, searches: 1 });
    expect(pooledLoss(undefined, 0.2, 100, undefined)).toEqual({ loss: 0.2, rows: 100, searches: 1 });
  });

  it('a fit that stands for several procedures speaks with the longest history among them', () => {
    expect(pooledLoss(['b', 'a'], 0.2, 100, past)).toEqual({ loss: (30 + 20) / 400, rows: 400, searches: 4 });
  });
});
