import { BANK_SCHEMA } from '../data/testing/bank-schema';

import { ModelSpec } from '../training/model-spec';
import { PolicyMetrics } from './replay-metrics';
import { ReplayReport, describeSpec, evaluateTargets, renderMarkdown, renderReplayChart } from './replay-report';
import { CandidateReport, ChunkReport, Policy } from './replay-runner';

const pm = (roc_auc: number | null, brier_score: number, extra: Partial<PolicyMetrics> = {}): PolicyMetrics => ({
  n: 500,
  positives: 60,
  roc_auc,
  brier_score,
  log_loss: 0.35,
  f1_score: 0.4,
  precision: 0.5,
  recall: 1 / 3,
  ...extra,
});

const byPolicy = <T>(healed: T, stat: T, always: T, best: T): Record<Policy, T> => ({
  healed,
  static: stat,
  always_retrain: always,
  always_retrain_best: best,
});

const PRIOR: ModelSpec = { encoding: 'ordinal', class_weight: 'balanced', C: 1, calibration: 'prior' };
const ONE_HOT_NO_EURIBOR: ModelSpec = {
  encoding: 'one_hot',
  class_weight: 'none',
  C: 1,
  calibration: 'none',
  features: BANK_SCHEMA.featureNames.filter((name) => name !== 'euribor3m'),
};

function chunk(index: number, overrides: Partial<ChunkReport> = {}): ChunkReport {
  return {
    index,
    rows: [1000 + index * 500, 1500 + index * 500],
    months: { first: '2008-06', last: '2008-06' },
    positive_rate: 0.12,
    metrics: byPolicy(pm(0.8, 0.1), pm(0.7, 0.12), pm(0.6, 0.13), pm(0.75, 0.09, { log_loss: 0.3, f1_score: 0.2 })),
    served_by: { v1: 500 },
    drift: { verdict: 'no_drift', dataset_drift: false, drifted_features: [], share_drifted_features: 0 },
    status: 'healthy',
    heal: { action: 'skipped', reason: 'healthy', challenger: null, active: 'v1', gate: null, spec: null, candidate: null },
    ...overrides,
  };
}

function candidate(name: string, afterFirst: PolicyMetrics, overrides: Partial<CandidateReport> = {}): CandidateReport {
  const [spec_name, feature_set] = name.split('/') as [string, CandidateReport['feature_set']];
  return {
    name,
    spec_name,
    feature_set,
    window: 10_000,
    overall: pm(0.7, 0.11),
    after_first_chunk: afterFirst,
    mean_chunk_roc_auc: 0.6,
    chunks: [pm(0.8, 0.1), pm(0.7, 0.12), pm(0.6, 0.13), pm(0.75, 0.09)],
    dropped_features: [[], ['euribor3m'], ['euribor3m'], []],
    failed_fits: 0,
    ...overrides,
  };
}

/** A small replay, by hand: promotion of v2 in chunk 1, rejection of v3 in chunk 2, rollback to v1 in chunk 4. */
function report(): ReplayReport {
  const figures = {
    overall: byPolicy(pm(0.81234, 0.1, { f1_score: 0.45, recall: 0.409, log_loss: 0.31 }), pm(null, 0.12), pm(0.7, 0.11), pm(0.76, 0.098)),
    after_first_chunk: byPolicy(pm(0.75, 0.104), pm(0.6, 0.2), pm(0.7, 0.15), pm(0.755, 0.1, { log_loss: 0.29 })),
    mean_chunk_roc_auc: byPolicy(0.8, null, 0.61, 0.7),
  };
  return {
    generated_at: '2024-05-01T12:00:00.000Z',
    mode: 'in-process',
    data_file: 'data/bank-additional-full.csv',
    data_sha256: 'abc123',
    policy: { strategy: 'append', min_gain: 0.01 },
    service_storage: '/tmp/replay-storage',
    duration_ms: 12_345,
    options: {
      initial: 1000,
      chunk: 500,
      seed: 42,
      calibration: 'prior',
      specs: ['prior', 'one_hot'],
      search_windows: [5000, 10_000, 20_000],
      rows_replayed: 1800,
    },
    schema: { name: 'bank-marketing', sha256: BANK_SCHEMA.hash, feature_names: [...BANK_SCHEMA.featureNames] },
    initial_version: 'v1',
    calendar: {
      method: 'from the month column',
      initial: { first: '2008-05', last: '2008-06' },
      data: { first: '2008-05', last: '2009-04' },
    },
    chunks: [
      chunk(0, {
        positive_rate: 0.1234,
        served_by: { v1: 400, v2: 100 },
        drift: { verdict: 'drift', dataset_drift: true, drifted_features: ['euribor3m', 'nr_employed'], share_drifted_features: 2 / 19 },
        status: 'degraded',
        heal: {
          action: 'promoted',
          reason: 'challenger won',
          challenger: 'v2',
          active: 'v2',
          gate: {},
          spec: ONE_HOT_NO_EURIBOR,
          candidate: 'one_hot/without_drifted_numeric/10000',
        },
      }),
      chunk(1, {
        months: { first: '2008-06', last: '2008-08' },
        served_by: { v2: 500 },
        metrics: byPolicy(pm(null, 0.05), pm(0.65432, 0.2), pm(0.5, 0.25), pm(0.61, 0.04)),
        heal: { action: 'rejected', reason: 'Brier worse', challenger: 'v3', active: 'v2', gate: {}, spec: PRIOR, candidate: null },
      }),
      chunk(2, {
        months: { first: '2008-12', last: '2009-03' },
        heal: { action: 'watching', reason: 'watch in progress', challenger: null, active: 'v2', gate: null, spec: null, candidate: null },
      }),
      chunk(3, {
        rows: [2500, 2800],
        months: { first: '2009-04', last: '2009-04' },
        heal: { action: 'rolled_back', reason: 'watch failed', challenger: null, active: 'v1', gate: null, spec: null, candidate: null },
      }),
    ],
    ...figures,
    always_retrain_best: {
      candidate: 'one_hot/all/10000',
      chosen_by: 'lowest Brier over the rows after the first chunk, in hindsight, among 2 candidates',
    },
    candidates: [
      candidate('prior/all/10000', pm(0.7, 0.15), { failed_fits: 1 }),
      candidate('one_hot/all/10000', pm(0.755, 0.1, { log_loss: 0.29 }), { after_first_chunk: pm(0.755, 0.1, { log_loss: 0.29 }) }),
    ],
    decisions: [
      {
        chunk: 0,
        action: 'promoted',
        version: 'v2',
        active: 'v2',
        reason: 'challenger won',
        spec: ONE_HOT_NO_EURIBOR,
        candidate: 'one_hot/without_drifted_numeric/10000',
      },
      { chunk: 1, action: 'rejected', version: 'v3', active: 'v2', reason: 'Brier worse', spec: PRIOR, candidate: null },
      { chunk: 3, action: 'rolled_back', version: null, active: 'v1', reason: 'watch failed', spec: null, candidate: null },
    ],
    targets: evaluateTargets(figures),
  };
}

describe('evaluateTargets', () => {
  const judge = (healed: PolicyMetrics, stat: PolicyMetrics, best: PolicyMetrics, meanChunkAuc: number | null = 0.6) => {
    const rows = byPolicy(healed, stat, pm(0.5, 0.3), best);
    const checks = evaluateTargets({
      overall: byPolicy(pm(0.1, 0.9), pm(0.1, 0.9), pm(0.1, 0.9), pm(0.1, 0.9)),
      after_first_chunk: rows,
      mean_chunk_roc_auc: byPolicy(meanChunkAuc, 0.5, 0.5, 0.5),
    });
    return Object.fromEntries(checks.map((c) => [c.target, c]));
  };

  it('names the seven targets of the issue, in order, with the measured figure', () => {
    const checks = evaluateTargets(report());
    expect(checks.map((c) => c.target)).toEqual([
      'healed ROC-AUC >= 0.74',
      'healed Brier <= 0.11',
      'healed mean per-chunk ROC-AUC (all chunks) >= 0.56',
      'healed Brier - always_retrain_best Brier <= 0.005',
      'always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01',
      'static Brier - healed Brier > 0',
      'healed ROC-AUC - static ROC-AUC > 0',
    ]);
    // after_first_chunk of report(): healed 0.75 / 0.104, static 0.6 / 0.2, best 0.755 / 0.1; healed mean chunk ROC-AUC 0.8
    expect(checks.map((c) => c.value)).toEqual([0.75, 0.104, 0.8, 0.004, 0.005, 0.096, 0.15]);
    expect(checks.every((c) => c.met)).toBe(true);
  });

  it('judges the rows after the first chunk, not all rows', () => {
    // all rows are terrible in judge(); only after_first_chunk decides
    expect(judge(pm(0.75, 0.1), pm(0.6, 0.2), pm(0.75, 0.1))['healed ROC-AUC >= 0.74'].met).toBe(true);
  });

  it.each([
    ['healed ROC-AUC >= 0.74', pm(0.74, 0.1), pm(0.6, 0.2), pm(0.7, 0.1), true],
    ['healed ROC-AUC >= 0.74', pm(0.7399, 0.1), pm(0.6, 0.2), pm(0.7, 0.1), false],
    ['healed ROC-AUC >= 0.74', pm(null, 0.1), pm(0.6, 0.2), pm(0.7, 0.1), false],
    ['healed Brier <= 0.11', pm(0.8, 0.11), pm(0.6, 0.2), pm(0.7, 0.1), true],
    ['healed Brier <= 0.11', pm(0.8, 0.1101), pm(0.6, 0.2), pm(0.7, 0.1), false],
    ['healed Brier - always_retrain_best Brier <= 0.005', pm(0.8, 0.104), pm(0.6, 0.2), pm(0.7, 0.1), true],
    ['healed Brier - always_retrain_best Brier <= 0.005', pm(0.8, 0.106), pm(0.6, 0.2), pm(0.7, 0.1), false],
    ['healed Brier - always_retrain_best Brier <= 0.005', pm(0.8, 0.05), pm(0.6, 0.2), pm(0.7, 0.1), true],
    ['always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01', pm(0.745, 0.1), pm(0.6, 0.2), pm(0.755, 0.1), true],
    ['always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01', pm(0.74, 0.1), pm(0.6, 0.2), pm(0.755, 0.1), false],
    ['always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01', pm(0.9, 0.1), pm(0.6, 0.2), pm(0.755, 0.1), true],
    ['always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01', pm(0.9, 0.1), pm(0.6, 0.2), pm(null, 0.1), false],
    ['static Brier - healed Brier > 0', pm(0.8, 0.1), pm(0.6, 0.1001), pm(0.7, 0.1), true],
    ['static Brier - healed Brier > 0', pm(0.8, 0.1), pm(0.6, 0.1), pm(0.7, 0.1), false],
    ['healed ROC-AUC - static ROC-AUC > 0', pm(0.8, 0.1), pm(0.79, 0.2), pm(0.7, 0.1), true],
    ['healed ROC-AUC - static ROC-AUC > 0', pm(0.8, 0.1), pm(0.8, 0.2), pm(0.7, 0.1), false],
  ])('%s (case %#)', (target, healed, stat, best, met) => {
    expect(judge(healed, stat, best)[target].met).toBe(met);
  });

  it('takes the mean per-chunk ROC-AUC over all chunks, and a null one misses', () => {
    const rows = [pm(0.8, 0.1), pm(0.6, 0.2), pm(0.7, 0.1)] as const;
    expect(judge(...rows, 0.56)['healed mean per-chunk ROC-AUC (all chunks) >= 0.56'].met).toBe(true);
    expect(judge(...rows, 0.559)['healed mean per-chunk ROC-AUC (all chunks) >= 0.56'].met).toBe(false);
    expect(judge(...rows, null)['healed mean per-chunk ROC-AUC (all chunks) >= 0.56']).toEqual({
      target: 'healed mean per-chunk ROC-AUC (all chunks) >= 0.56',
      value: null,
      met: false,
    });
  });

  it("judges another history only against its baselines: the absolute figures are the bank replay's", () => {
    const checks = evaluateTargets(report(), { absolute: false });
    expect(checks.map((c) => c.target)).toEqual([
      'healed Brier - always_retrain_best Brier <= 0.005',
      'always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01',
      'static Brier - healed Brier > 0',
      'healed ROC-AUC - static ROC-AUC > 0',
    ]);
  });

  it('judges all rows when there is only one chunk (no rows after it)', () => {
    const none = byPolicy<PolicyMetrics | null>(null, null, null, null);
    const checks = evaluateTargets({
      overall: byPolicy(pm(0.75, 0.1), pm(0.6, 0.2), pm(0.5, 0.3), pm(0.75, 0.1)),
      after_first_chunk: none,
      mean_chunk_roc_auc: byPolicy(0.6, 0.5, 0.5, 0.5),
    });
    expect(checks[0]).toEqual({ target: 'healed ROC-AUC >= 0.74', value: 0.75, met: true });
  });
});

describe('describeSpec', () => {
  it('names a preset, and lists the features a spec leaves out', () => {
    expect(describeSpec(PRIOR, BANK_SCHEMA.featureNames)).toBe('prior');
    expect(describeSpec({ ...PRIOR, calibration: 'none' }, BANK_SCHEMA.featureNames)).toBe('original');
    expect(describeSpec(ONE_HOT_NO_EURIBOR, BANK_SCHEMA.featureNames)).toBe('one_hot without euribor3m');
    expect(describeSpec({ ...PRIOR, features: ['age', 'job'] }, BANK_SCHEMA.featureNames)).toMatch(
      /^prior without marital, education, .*, nr_employed$/,
    );
  });

  it('spells out a spec that is no preset', () => {
    expect(describeSpec({ encoding: 'one_hot', class_weight: 'balanced', C: 0.5, calibration: 'platt' }, BANK_SCHEMA.featureNames)).toBe(
      'one_hot, balanced, C 0.5, platt',
    );
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(report());
  const lines = md.split('\n');
  const tableAfter = (heading: string, rows: number) => {
    const start = lines.findIndex((l) => l.startsWith(heading));
    expect(start).toBeGreaterThan(0);
    const header = lines.findIndex((l, i) => i > start && l.startsWith('|'));
    return lines.slice(header, header + 2 + rows);
  };

  it('opens with the run summary, the baselines, the chosen candidate and where the dates come from', () => {
    expect(lines[0]).toBe('# Replay report');
    expect(md).toContain(
      '1800 rows of `data/bank-additional-full.csv` after an initial champion (v1) trained on the first 1000,\n' +
        'in 4 chunks of 500, in-process; healing policy: {"strategy":"append","min_gain":0.01}.\n' +
        "`static` serves the initial champion throughout; `always_retrain` retrains after every chunk on the latest 1000 labelled rows, calibrated as the policy's challengers are (prior), and replaces its model with no gate.\n" +
        "`always_retrain_best` is the best of the healing search's 2 candidates (specs prior, one_hot x feature sets, resolved at each step as the search resolves them: the time-level features and the drift of the chunk just labelled against the rows before it), each retrained after every chunk on the latest 10000 labelled rows and promoted with no gate: `one_hot/all/10000`, chosen by lowest Brier over the rows after the first chunk, in hindsight, among 2 candidates.\n" +
        'The first chunk is served by the initial champion under every policy: no outcome exists yet.\n' +
        "Dates: from the month column. The rows read span May 2008 to Apr 2009; the initial champion's, May-Jun 2008.\n" +
        'Generated 2024-05-01T12:00:00.000Z in 12.3 s.',
    );
  });

  it('has the overall table with a row per policy, log loss, four decimals and "-" for null', () => {
    expect(tableAfter('## Overall (all replayed rows)', 4)).toEqual([
      '| policy | ROC-AUC | Brier | log loss | F1 | precision | recall | mean per-chunk ROC-AUC |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      '| healed | 0.8123 | 0.1000 | 0.3100 | 0.4500 | 0.5000 | 0.4090 | 0.8000 |',
      '| static | - | 0.1200 | 0.3500 | 0.4000 | 0.5000 | 0.3333 | - |',
      '| always_retrain | 0.7000 | 0.1100 | 0.3500 | 0.4000 | 0.5000 | 0.3333 | 0.6100 |',
      '| always_retrain_best | 0.7600 | 0.0980 | 0.3500 | 0.4000 | 0.5000 | 0.3333 | 0.7000 |',
    ]);
  });

  it('has the table after the first chunk, with its rows and months', () => {
    expect(tableAfter('## After the first chunk (rows 1501-2800, Jun 2008-Apr 2009)', 4)).toEqual([
      '| policy | ROC-AUC | Brier | log loss | F1 | precision | recall |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| healed | 0.7500 | 0.1040 | 0.3500 | 0.4000 | 0.5000 | 0.3333 |',
      '| static | 0.6000 | 0.2000 | 0.3500 | 0.4000 | 0.5000 | 0.3333 |',
      '| always_retrain | 0.7000 | 0.1500 | 0.3500 | 0.4000 | 0.5000 | 0.3333 |',
      '| always_retrain_best | 0.7550 | 0.1000 | 0.2900 | 0.4000 | 0.5000 | 0.3333 |',
    ]);
  });

  it('states each target with its figure, as yes or NO', () => {
    expect(lines).toContain('Targets for the healed policy (on the rows after the first chunk):');
    expect(lines).toContain('- healed ROC-AUC >= 0.74: 0.7500, yes');
    expect(lines).toContain('- healed Brier - always_retrain_best Brier <= 0.005: 0.0040, yes');
    const missed = renderMarkdown({ ...report(), targets: [{ target: 'healed Brier <= 0.11', value: 0.2, met: false }] });
    expect(missed).toContain('- healed Brier <= 0.11: 0.2000, NO');
  });

  it("lists always_retrain_best's candidates, the chosen one in bold", () => {
    expect(tableAfter("## always_retrain_best's candidates", 2).slice(2)).toEqual([
      '| prior/all/10000 | 0.7000 | 0.1500 | 0.3500 | 0.4000 | 0.7000 | 0.1100 | 0.6000 | 1 |',
      '| **one_hot/all/10000** | 0.7550 | 0.1000 | 0.2900 | 0.4000 | 0.7000 | 0.1100 | 0.6000 | 0 |',
    ]);
  });

  it('has a row per chunk with its months and base rate, and the decision only for real decisions', () => {
    expect(tableAfter('## Per chunk', 4).slice(2)).toEqual([
      '| 1 | Jun 2008 | 1001-1500 | 0.123 | v1×400 v2×100 | drift | euribor3m, nr_employed | degraded | promoted v2 |',
      '| 2 | Jun-Aug 2008 | 1501-2000 | 0.120 | v2×500 | no_drift | - | healthy | rejected v3 |',
      '| 3 | Dec 2008-Mar 2009 | 2001-2500 | 0.120 | v1×500 | no_drift | - | healthy |  |',
      '| 4 | Apr 2009 | 2501-2800 | 0.120 | v1×500 | no_drift | - | healthy | rolled_back |',
    ]);
  });

  it('has a table per metric (ROC-AUC, Brier, log loss, F1) with a column per policy', () => {
    expect(tableAfter('### ROC-AUC per chunk', 2)).toEqual([
      '| chunk | months | base rate | healed | static | always_retrain | always_retrain_best |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      '| 1 | Jun 2008 | 0.123 | 0.8000 | 0.7000 | 0.6000 | 0.7500 |',
      '| 2 | Jun-Aug 2008 | 0.120 | - | 0.6543 | 0.5000 | 0.6100 |',
    ]);
    expect(tableAfter('### Brier per chunk', 1)[2]).toBe('| 1 | Jun 2008 | 0.123 | 0.1000 | 0.1200 | 0.1300 | 0.0900 |');
    expect(tableAfter('### Log loss per chunk', 1)[2]).toBe('| 1 | Jun 2008 | 0.123 | 0.3500 | 0.3500 | 0.3500 | 0.3000 |');
    expect(tableAfter('### F1 per chunk', 1)[2]).toBe('| 1 | Jun 2008 | 0.123 | 0.4000 | 0.4000 | 0.4000 | 0.2000 |');
  });

  it('lists the decisions with their months, the active version after each, and the spec and candidate of a challenger', () => {
    const start = lines.indexOf('## Decisions');
    expect(lines.slice(start + 2, start + 5)).toEqual([
      '- chunk 1 (Jun 2008): **promoted** v2 (active after: v2), spec one_hot without euribor3m, candidate one_hot/without_drifted_numeric/10000: challenger won',
      '- chunk 2 (Jun-Aug 2008): **rejected** v3 (active after: v2), spec prior: Brier worse',
      '- chunk 4 (Apr 2009): **rolled_back**  (active after: v1): watch failed',
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
    const r = {
      ...report(),
      decisions: [{ chunk: 0, action: 'failed', version: null, active: null, reason: 'worker died', spec: null, candidate: null }],
    };
    expect(renderMarkdown(r)).toContain('- chunk 1 (Jun 2008): **failed**  (active after: -): worker died');
  });

  it('says when there are no rows after the first chunk', () => {
    const one = {
      ...report(),
      chunks: report().chunks.slice(0, 1),
      decisions: [],
      after_first_chunk: byPolicy<PolicyMetrics | null>(null, null, null, null),
    };
    const out = renderMarkdown(one);
    expect(out).toContain('## After the first chunk (none: there is only one chunk)');
    expect(out).toContain('| healed | - | - | - | - | - | - |');
    expect(out).toContain('Targets for the healed policy (on all rows):');
  });
});

describe('renderReplayChart', () => {
  const svg = renderReplayChart(report());
  const seriesNames = [...svg.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1]);
  const markers = [...svg.matchAll(/<line data-marker="([^"]*)" x1="([^"]*)"[^>]*stroke="([^"]*)"/g)].map((m) => [m[1], m[2], m[3]]);
  const panel = (title: string) => {
    const start = svg.indexOf(`<g data-panel="${title}">`);
    const next = svg.indexOf('<g data-panel=', start + 1);
    return svg.slice(start, next === -1 ? undefined : next);
  };
  const polyline = (name: string) => {
    const start = svg.indexOf(`<g data-series="${name}">`);
    return svg.slice(start, svg.indexOf('</g>', start)).match(/<polyline [^>]*\/>/)![0];
  };
  const ticks = (title: string) => [...panel(title).matchAll(/<text[^>]*text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);

  it('titles the chart with the data file, rows and chunks', () => {
    expect(svg).toContain('<title>Replay of data/bank-additional-full.csv: 1800 rows in 4 chunks</title>');
  });

  it('has a series per policy and metric, healed drawn last (on top), and the base rate over the drifted-share bars', () => {
    expect(seriesNames).toEqual([
      'static ROC-AUC',
      'always_retrain ROC-AUC',
      'always_retrain_best ROC-AUC',
      'healed ROC-AUC',
      'static Brier',
      'always_retrain Brier',
      'always_retrain_best Brier',
      'healed Brier',
      'drifted share',
      'base rate',
    ]);
    for (const title of [
      'ROC-AUC per chunk (higher is better)',
      'Brier score per chunk (lower is better)',
      'Base rate (&quot;yes&quot; share) and share of drifted features',
    ]) {
      expect(svg).toContain(`data-panel="${title}"`);
    }
    // base rates 0.1234, 0.12, 0.12, 0.12 on [0, 1]: third panel top = 40 + 2 * 230 + 20 = 520, y = 700 - 180 v
    expect(polyline('base rate')).toContain('points="151.25,677.79 333.75,678.4 516.25,678.4 698.75,678.4"');
  });

  it('draws the policies in their colours, each with its own dash so overlapping lines stay apart', () => {
    expect(polyline('healed ROC-AUC')).toContain('stroke="#1b7837"');
    expect(polyline('healed Brier')).toContain('stroke-width="3"');
    expect(polyline('healed Brier')).not.toContain('stroke-dasharray');
    expect(polyline('static Brier')).toContain('stroke="#777777"');
    expect(polyline('static Brier')).toContain('stroke-dasharray="6 3"');
    expect(polyline('always_retrain ROC-AUC')).toContain('stroke="#d95f02"');
    expect(polyline('always_retrain ROC-AUC')).toContain('stroke-dasharray="2 3"');
    expect(polyline('always_retrain_best Brier')).toContain('stroke="#7570b3"');
    expect(polyline('always_retrain_best Brier')).toContain('stroke-dasharray="9 3 2 3"');
  });

  it('draws a dashed chance line at ROC-AUC 0.5, and the Brier axis from 0, with round ticks', () => {
    expect(panel('ROC-AUC per chunk (higher is better)')).toContain('data-reference="chance (0.5)"');
    // ROC-AUC values 0.5..0.8 with the 0.5 line: pad 0.015 -> 0.33 / 5 -> step 0.1 -> 0.4..0.9
    expect(ticks('ROC-AUC per chunk (higher is better)')).toEqual(['0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    // Brier values 0.04..0.25 from 0: step 0.1 -> 0..0.3
    expect(ticks('Brier score per chunk (lower is better)')).toEqual(['0.0', '0.1', '0.2', '0.3']);
  });

  it('writes each chunk number and the month of its first row under it', () => {
    const texts = [...svg.matchAll(/<text[^>]*text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]).filter((t) => !/^v\d+$/.test(t));
    expect(texts).toEqual(['1', "Jun '08", '2', "Jun '08", '3', "Dec '08", '4', "Apr '09", 'chunk (and the month of its first row)']);
  });

  it('leaves a gap where a chunk has no ROC-AUC (healed, chunk 2)', () => {
    const start = svg.indexOf('<g data-series="healed ROC-AUC">');
    const group = svg.slice(start, svg.indexOf('</g>', start));
    expect(group.match(/<polyline /g)).toHaveLength(2);
  });

  it('marks promotions, rollbacks and (dotted) rejected challengers in all three panels', () => {
    // x(i) = 60 + (i + 0.5) / 4 * 730: chunk 0 -> 151.25, chunk 1 -> 333.75, chunk 3 -> 698.75
    const one = [
      ['promotion v2', '151.25', '#2166ac'],
      ['rejected v3', '333.75', '#999999'],
      ['rollback v1', '698.75', '#b2182b'],
    ];
    expect(markers).toEqual([...one, ...one, ...one]);
    expect(svg).toMatch(/<line data-marker="rejected v3"[^>]*stroke-dasharray="1 3"/);
  });

  it('labels promotions with the version promoted and rollbacks with the version returned to; rejections not', () => {
    const tags = [...svg.matchAll(/<text data-tag="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]]);
    expect(tags).toEqual([
      ['promotion v2', 'v2'],
      ['rollback v1', 'v1'],
    ]);
  });

  it('has no markers without decisions', () => {
    const quiet = renderReplayChart({ ...report(), decisions: [] });
    expect(quiet).not.toContain('data-marker');
  });
});
