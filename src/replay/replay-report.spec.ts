import { PolicyMetrics } from './replay-metrics';
import { ReplayReport, evaluateTargets, renderMarkdown, renderReplayChart } from './replay-report';
import { ChunkReport, Policy } from './replay-runner';

const pm = (roc_auc: number | null, brier_score: number, extra: Partial<PolicyMetrics> = {}): PolicyMetrics => ({
  n: 500,
  positives: 60,
  roc_auc,
  brier_score,
  f1_score: 0.4,
  precision: 0.5,
  recall: 1 / 3,
  ...extra,
});

const overall = (healed: PolicyMetrics, stat: PolicyMetrics, always: PolicyMetrics): Record<Policy, PolicyMetrics> => ({
  healed,
  static: stat,
  always_retrain: always,
});

function chunk(index: number, overrides: Partial<ChunkReport> = {}): ChunkReport {
  return {
    index,
    rows: [1000 + index * 500, 1500 + index * 500],
    positive_rate: 0.12,
    metrics: { healed: pm(0.8, 0.1), static: pm(0.7, 0.12), always_retrain: pm(0.6, 0.13) },
    served_by: { v1: 500 },
    drift: { verdict: 'no_drift', dataset_drift: false, drifted_features: [], share_drifted_features: 0 },
    status: 'healthy',
    heal: { action: 'skipped', reason: 'healthy', challenger: null, active: 'v1', gate: null },
    ...overrides,
  };
}

/** A small replay, by hand: promotion of v2 in chunk 1, rejection of v3 in chunk 2, rollback to v1 in chunk 3. */
function report(): ReplayReport {
  return {
    generated_at: '2024-05-01T12:00:00.000Z',
    mode: 'in-process',
    data_file: 'data/bank-additional-full.csv',
    data_sha256: 'abc123',
    policy: { strategy: 'append', min_gain: 0.01 },
    service_storage: '/tmp/replay-storage',
    duration_ms: 12_345,
    options: { initial: 1000, chunk: 500, seed: 42, calibration: 'prior', rows_replayed: 1800 },
    initial_version: 'v1',
    chunks: [
      chunk(0, {
        positive_rate: 0.1234,
        served_by: { v1: 400, v2: 100 },
        drift: { verdict: 'drift', dataset_drift: true, drifted_features: ['euribor3m', 'nr_employed'], share_drifted_features: 2 / 19 },
        status: 'degraded',
        heal: { action: 'promoted', reason: 'challenger won', challenger: 'v2', active: 'v2', gate: {} },
      }),
      chunk(1, {
        served_by: { v2: 500 },
        metrics: { healed: pm(null, 0.05), static: pm(0.65432, 0.2), always_retrain: pm(0.5, 0.25) },
        drift: { verdict: 'no_drift', dataset_drift: false, drifted_features: [], share_drifted_features: 0 },
        heal: { action: 'rejected', reason: 'Brier worse', challenger: 'v3', active: 'v2', gate: {} },
      }),
      chunk(2, { heal: { action: 'watching', reason: 'watch in progress', challenger: null, active: 'v2', gate: null } }),
      chunk(3, {
        rows: [2500, 2800],
        heal: { action: 'rolled_back', reason: 'watch failed', challenger: null, active: 'v1', gate: null },
      }),
    ],
    overall: overall(pm(0.81234, 0.1, { f1_score: 0.45, recall: 0.409 }), pm(null, 0.12), pm(0.7, 0.11)),
    mean_chunk_roc_auc: { healed: 0.8, static: null, always_retrain: 0.61 },
    decisions: [
      { chunk: 0, action: 'promoted', version: 'v2', active: 'v2', reason: 'challenger won' },
      { chunk: 1, action: 'rejected', version: 'v3', active: 'v2', reason: 'Brier worse' },
      { chunk: 3, action: 'rolled_back', version: null, active: 'v1', reason: 'watch failed' },
    ],
    targets: { brier_better_than_static: true, roc_auc_within_001_of_static: false, roc_auc_above_always_retrain: true },
  };
}

describe('evaluateTargets', () => {
  it.each([
    // healed brier vs static brier
    ['healed Brier lower than static', pm(0.8, 0.1), pm(0.8, 0.12), pm(0.7, 0.1), { brier_better_than_static: true }],
    ['healed Brier equal to static', pm(0.8, 0.1), pm(0.8, 0.1), pm(0.7, 0.1), { brier_better_than_static: false }],
    ['healed Brier higher than static', pm(0.8, 0.2), pm(0.8, 0.1), pm(0.7, 0.1), { brier_better_than_static: false }],
    // healed ROC-AUC vs static - 0.01
    ['healed ROC-AUC above static', pm(0.8, 0.1), pm(0.75, 0.1), pm(0.7, 0.1), { roc_auc_within_001_of_static: true }],
    ['healed ROC-AUC equal to static', pm(0.75, 0.1), pm(0.75, 0.1), pm(0.7, 0.1), { roc_auc_within_001_of_static: true }],
    ['healed ROC-AUC 0.005 below static', pm(0.745, 0.1), pm(0.75, 0.1), pm(0.7, 0.1), { roc_auc_within_001_of_static: true }],
    ['healed ROC-AUC exactly 0.01 below static (0.75 - 0.01 === 0.74)', pm(0.74, 0.1), pm(0.75, 0.1), pm(0.7, 0.1), { roc_auc_within_001_of_static: true }],
    ['healed ROC-AUC 0.02 below static', pm(0.73, 0.1), pm(0.75, 0.1), pm(0.7, 0.1), { roc_auc_within_001_of_static: false }],
    // healed ROC-AUC vs always_retrain
    ['healed ROC-AUC above always_retrain', pm(0.8, 0.1), pm(0.8, 0.1), pm(0.79, 0.1), { roc_auc_above_always_retrain: true }],
    ['healed ROC-AUC equal to always_retrain', pm(0.8, 0.1), pm(0.8, 0.1), pm(0.8, 0.1), { roc_auc_above_always_retrain: false }],
    ['healed ROC-AUC below always_retrain', pm(0.7, 0.1), pm(0.7, 0.1), pm(0.8, 0.1), { roc_auc_above_always_retrain: false }],
    // null ROC-AUC counts as 0
    ['healed ROC-AUC null', pm(null, 0.1), pm(0.8, 0.2), pm(0.7, 0.1), { roc_auc_within_001_of_static: false, roc_auc_above_always_retrain: false }],
    ['static ROC-AUC null', pm(0.8, 0.1), pm(null, 0.2), pm(0.7, 0.1), { roc_auc_within_001_of_static: true }],
    ['always_retrain ROC-AUC null', pm(0.6, 0.1), pm(0.6, 0.2), pm(null, 0.1), { roc_auc_above_always_retrain: true }],
    ['every ROC-AUC null', pm(null, 0.1), pm(null, 0.2), pm(null, 0.1), { roc_auc_within_001_of_static: true, roc_auc_above_always_retrain: false }],
  ])('%s', (_case, healed, stat, always, expected) => {
    expect(evaluateTargets(overall(healed, stat, always))).toMatchObject(expected);
  });

  it('returns all three targets, met together or missed together', () => {
    expect(evaluateTargets(overall(pm(0.8, 0.1), pm(0.79, 0.12), pm(0.7, 0.1)))).toEqual({
      brier_better_than_static: true,
      roc_auc_within_001_of_static: true,
      roc_auc_above_always_retrain: true,
    });
    expect(evaluateTargets(overall(pm(0.6, 0.3), pm(0.8, 0.12), pm(0.7, 0.1)))).toEqual({
      brier_better_than_static: false,
      roc_auc_within_001_of_static: false,
      roc_auc_above_always_retrain: false,
    });
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report());
  const lines = md.split('\n');

  it('opens with the run summary', () => {
    expect(lines[0]).toBe('# Replay report');
    expect(md).toContain(
      '1800 rows of `data/bank-additional-full.csv` after an initial champion (v1) trained on the first 1000,\n' +
        'in 4 chunks of 500, in-process; healing policy: {"strategy":"append","min_gain":0.01}.\n' +
        "`static` serves the initial champion throughout; `always_retrain` retrains after every chunk on the latest 1000 labelled rows, calibrated as the policy's challengers are (prior), and replaces its model with no gate.\n" +
        'Generated 2024-05-01T12:00:00.000Z in 12.3 s.',
    );
  });

  it('has the overall table with a row per policy, four decimals and "-" for null', () => {
    const start = lines.indexOf('| policy | ROC-AUC | Brier | F1 | precision | recall | mean per-chunk ROC-AUC |');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start + 1, start + 5)).toEqual([
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| healed | 0.8123 | 0.1000 | 0.4500 | 0.5000 | 0.4090 | 0.8000 |',
      '| static | - | 0.1200 | 0.4000 | 0.5000 | 0.3333 | - |',
      '| always_retrain | 0.7000 | 0.1100 | 0.4000 | 0.5000 | 0.3333 | 0.6100 |',
    ]);
  });

  it('states each target as yes or NO', () => {
    expect(lines).toContain('- Brier better than static: yes');
    expect(lines).toContain('- ROC-AUC not below static by more than 0.01: NO');
    expect(lines).toContain('- ROC-AUC above always_retrain: yes');
  });

  it('has a row per chunk, with the decision only for real decisions', () => {
    const start = lines.findIndex((l) => l.startsWith('| chunk | rows |'));
    expect(lines.slice(start + 2, start + 6)).toEqual([
      '| 1 | 1001-1500 | 0.123 | v1×400 v2×100 | drift | euribor3m, nr_employed | degraded | 0.8000 / 0.7000 / 0.6000 | 0.1000 / 0.1200 / 0.1300 | promoted v2 |',
      '| 2 | 1501-2000 | 0.120 | v2×500 | no_drift | - | healthy | - / 0.6543 / 0.5000 | 0.0500 / 0.2000 / 0.2500 | rejected v3 |',
      '| 3 | 2001-2500 | 0.120 | v1×500 | no_drift | - | healthy | 0.8000 / 0.7000 / 0.6000 | 0.1000 / 0.1200 / 0.1300 |  |',
      '| 4 | 2501-2800 | 0.120 | v1×500 | no_drift | - | healthy | 0.8000 / 0.7000 / 0.6000 | 0.1000 / 0.1200 / 0.1300 | rolled_back |',
    ]);
  });

  it('lists the decisions with the active version after each', () => {
    const start = lines.indexOf('## Decisions');
    expect(lines.slice(start + 2, start + 5)).toEqual([
      '- chunk 1: **promoted** v2 (active after: v2): challenger won',
      '- chunk 2: **rejected** v3 (active after: v2): Brier worse',
      '- chunk 4: **rolled_back**  (active after: v1): watch failed',
    ]);
  });

  it('over HTTP, says where the healed side and the baselines came from; in process, does not', () => {
    const note = /Over HTTP: the healed side started from what the server served/;
    expect(renderMarkdown({ ...report(), mode: 'http' })).toMatch(note);
    expect(md).not.toMatch(note);
  });

  it('says so when there were no decisions', () => {
    const quiet = { ...report(), decisions: [] };
    expect(renderMarkdown(quiet)).toContain('## Decisions\n\nNo promotion, rejection or rollback.\n');
  });

  it('writes "-" for an unknown active version after a decision', () => {
    const r = { ...report(), decisions: [{ chunk: 0, action: 'failed', version: null, active: null, reason: 'worker died' }] };
    expect(renderMarkdown(r)).toContain('- chunk 1: **failed**  (active after: -): worker died');
  });
});

describe('renderReplayChart', () => {
  const svg = renderReplayChart(report());
  const seriesNames = [...svg.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1]);
  const markers = [...svg.matchAll(/<line data-marker="([^"]*)" x1="([^"]*)"[^>]*stroke="([^"]*)"/g)].map((m) => [m[1], m[2], m[3]]);

  it('titles the chart with the data file, rows and chunks', () => {
    expect(svg).toContain('<title>Replay of data/bank-additional-full.csv: 1800 rows in 4 chunks</title>');
  });

  it('has a series per policy and metric, and the drifted-share bars', () => {
    expect(seriesNames).toEqual([
      'healed ROC-AUC',
      'static ROC-AUC',
      'always_retrain ROC-AUC',
      'healed Brier',
      'static Brier',
      'always_retrain Brier',
      'drifted share',
    ]);
    for (const title of ['ROC-AUC per chunk (higher is better)', 'Brier score per chunk (lower is better)', 'Share of drifted features']) {
      expect(svg).toContain(`data-panel="${title}"`);
    }
  });

  it('draws the policies in their colours, static dashed', () => {
    const polyline = (name: string) => {
      const start = svg.indexOf(`<g data-series="${name}">`);
      return svg.slice(start, svg.indexOf('</g>', start)).match(/<polyline [^>]*\/>/)![0];
    };
    expect(polyline('healed ROC-AUC')).toContain('stroke="#1b7837"');
    expect(polyline('static Brier')).toContain('stroke="#777777"');
    expect(polyline('static Brier')).toContain('stroke-dasharray="6 3"');
    expect(polyline('always_retrain ROC-AUC')).toContain('stroke="#d95f02"');
    expect(polyline('healed Brier')).not.toContain('stroke-dasharray');
  });

  it('leaves a gap where a chunk has no ROC-AUC (healed, chunk 2)', () => {
    const start = svg.indexOf('<g data-series="healed ROC-AUC">');
    const group = svg.slice(start, svg.indexOf('</g>', start));
    expect(group.match(/<polyline /g)).toHaveLength(2);
  });

  it('marks promotions (with the new version) and rollbacks (with the version returned to), not rejections, in all three panels', () => {
    // x(i) = 60 + (i + 0.5) / 4 * 730: chunk 0 -> 151.25, chunk 3 -> 698.75
    const one = [
      ['promotion v2', '151.25', '#2166ac'],
      ['rollback v1', '698.75', '#b2182b'],
    ];
    expect(markers).toEqual([...one, ...one, ...one]);
    expect(svg).not.toContain('data-marker="rejected');
  });

  it('has no markers without promotions or rollbacks', () => {
    const quiet = renderReplayChart({ ...report(), decisions: [report().decisions[1]] });
    expect(quiet).not.toContain('data-marker');
  });
});
