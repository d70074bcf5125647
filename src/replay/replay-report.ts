import { Marker, renderChart } from './svg-chart';
import { POLICIES, Policy, ReplayFigures } from './replay-runner';
import { PolicyMetrics } from './replay-metrics';

export interface ReplayReport extends ReplayFigures {
  generated_at: string;
  mode: 'in-process' | 'http';
  data_file: string;
  data_sha256: string;
  /** The healing settings the replay ran with (the production policy). */
  policy: Record<string, unknown>;
  /** Where the replay's service wrote its models and logs (in-process mode). */
  service_storage: string | null;
  duration_ms: number;
  targets: { brier_better_than_static: boolean; roc_auc_within_001_of_static: boolean; roc_auc_above_always_retrain: boolean };
}

const COLORS: Record<Policy, string> = { healed: '#1b7837', static: '#777777', always_retrain: '#d95f02' };

export function evaluateTargets(overall: Record<Policy, PolicyMetrics>): ReplayReport['targets'] {
  const auc = (p: Policy) => overall[p].roc_auc ?? 0;
  return {
    brier_better_than_static: overall.healed.brier_score < overall.static.brier_score,
    roc_auc_within_001_of_static: auc('healed') >= auc('static') - 0.01,
    roc_auc_above_always_retrain: auc('healed') > auc('always_retrain'),
  };
}

const f4 = (v: number | null) => (v === null ? '-' : v.toFixed(4));

export function renderMarkdown(report: ReplayReport): string {
  const o = report.overall;
  const lines = [
    `# Replay report`,
    '',
    `${report.options.rows_replayed} rows of \`${report.data_file}\` after an initial champion (${report.initial_version}) trained on the first ${report.options.initial},`,
    `in ${report.chunks.length} chunks of ${report.options.chunk}, ${report.mode}; healing policy: ${JSON.stringify(report.policy)}.`,
    `\`static\` serves the initial champion throughout; \`always_retrain\` retrains after every chunk on the latest ${report.options.initial} labelled rows, calibrated as the policy's challengers are (${report.options.calibration}), and replaces its model with no gate.`,
    ...(report.mode === 'http'
      ? [
          'Over HTTP: the healed side started from what the server served; `static` and `always_retrain` were trained by this CLI, and the policy shown is its environment, not necessarily the server\'s.',
        ]
      : []),
    `Generated ${report.generated_at} in ${(report.duration_ms / 1000).toFixed(1)} s.`,
    '',
    '## Overall (all replayed rows)',
    '',
    '| policy | ROC-AUC | Brier | F1 | precision | recall | mean per-chunk ROC-AUC |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...POLICIES.map(
      (p) =>
        `| ${p} | ${f4(o[p].roc_auc)} | ${f4(o[p].brier_score)} | ${f4(o[p].f1_score)} | ${f4(o[p].precision)} | ${f4(o[p].recall)} | ${f4(report.mean_chunk_roc_auc[p])} |`,
    ),
    '',
    'Targets for the healed policy:',
    `- Brier better than static: ${report.targets.brier_better_than_static ? 'yes' : 'NO'}`,
    `- ROC-AUC not below static by more than 0.01: ${report.targets.roc_auc_within_001_of_static ? 'yes' : 'NO'}`,
    `- ROC-AUC above always_retrain: ${report.targets.roc_auc_above_always_retrain ? 'yes' : 'NO'}`,
    '',
    '## Per chunk',
    '',
    '| chunk | rows | yes rate | served by | drift | drifted features | status | ROC-AUC healed / static / always | Brier healed / static / always | decision |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.chunks.map((c) => {
      const m = c.metrics;
      const decision = ['skipped', 'watching'].includes(c.heal.action) ? '' : `${c.heal.action}${c.heal.challenger ? ` ${c.heal.challenger}` : ''}`;
      return `| ${c.index + 1} | ${c.rows[0] + 1}-${c.rows[1]} | ${c.positive_rate.toFixed(3)} | ${Object.entries(c.served_by)
        .map(([v, n]) => `${v}×${n}`)
        .join(' ')} | ${c.drift.verdict} | ${c.drift.drifted_features.join(', ') || '-'} | ${c.status} | ${f4(m.healed.roc_auc)} / ${f4(m.static.roc_auc)} / ${f4(m.always_retrain.roc_auc)} | ${f4(m.healed.brier_score)} / ${f4(m.static.brier_score)} / ${f4(m.always_retrain.brier_score)} | ${decision} |`;
    }),
    '',
    '## Decisions',
    '',
    ...(report.decisions.length === 0
      ? ['No promotion, rejection or rollback.']
      : report.decisions.map((d) => `- chunk ${d.chunk + 1}: **${d.action}** ${d.version ?? ''} (active after: ${d.active ?? '-'}): ${d.reason}`)),
    '',
  ];
  return lines.join('\n');
}

export function renderReplayChart(report: ReplayReport): string {
  const n = report.chunks.length;
  const series = (metric: 'roc_auc' | 'brier_score') =>
    POLICIES.map((p) => ({
      name: `${p} ${metric === 'roc_auc' ? 'ROC-AUC' : 'Brier'}`,
      color: COLORS[p],
      dashed: p === 'static',
      values: report.chunks.map((c) => c.metrics[p][metric]),
    }));
  const markers: Marker[] = report.decisions
    .filter((d) => d.action === 'promoted' || d.action === 'rolled_back')
    .map((d) => ({
      index: d.chunk,
      label: `${d.action === 'promoted' ? 'promotion' : 'rollback'} ${d.action === 'promoted' ? d.version : d.active}`,
      color: d.action === 'promoted' ? '#2166ac' : '#b2182b',
    }));
  return renderChart(
    `Replay of ${report.data_file}: ${report.options.rows_replayed} rows in ${n} chunks`,
    n,
    [
      { title: 'ROC-AUC per chunk (higher is better)', series: series('roc_auc') },
      { title: 'Brier score per chunk (lower is better)', series: series('brier_score') },
      {
        title: 'Share of drifted features',
        kind: 'bars',
        yRange: [0, 1],
        series: [{ name: 'drifted share', color: '#9e9ac8', values: report.chunks.map((c) => c.drift.share_drifted_features) }],
      },
    ],
    markers,
  );
}
