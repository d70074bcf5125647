import { MODEL_SPEC_PRESETS, ModelSpec } from '../training/model-spec';
import { Marker, renderChart } from './svg-chart';
import { monthLabel, monthSpan, shortMonthLabel } from './replay-calendar';
import { POLICIES, Policy, ReplayDecision, ReplayFigures } from './replay-runner';
import { PolicyMetrics } from './replay-metrics';

/** One of the issue's targets for the healed policy: what was measured and whether it is met. */
export interface TargetCheck {
  target: string;
  /** The measured figure the target bounds (a difference for the comparisons); null when undefined. */
  value: number | null;
  met: boolean;
}

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
  /** Judged on the rows after the first chunk (all rows when there is only one chunk). */
  targets: TargetCheck[];
}

const COLORS: Record<Policy, string> = { healed: '#1b7837', static: '#777777', always_retrain: '#d95f02', always_retrain_best: '#7570b3' };

/** The rows the targets are judged on: after the first chunk, or all of them when there is only one chunk. */
export function targetRows(figures: Pick<ReplayFigures, 'overall' | 'after_first_chunk'>): Record<Policy, PolicyMetrics> {
  return figures.after_first_chunk.healed === null ? figures.overall : (figures.after_first_chunk as Record<Policy, PolicyMetrics>);
}

/**
 * Issue 14's targets for the healed policy: pooled ROC-AUC and Brier, mean per-chunk ROC-AUC (all
 * chunks), no worse than always_retrain_best (Brier within 0.005, ROC-AUC within 0.01) and better
 * than static on both. The absolute figures were set for the bank-marketing replay
 * (`absolute`); any other history is judged only against the baselines it ran beside.
 */
export function evaluateTargets(
  figures: Pick<ReplayFigures, 'overall' | 'after_first_chunk' | 'mean_chunk_roc_auc'>,
  { absolute = true }: { absolute?: boolean } = {},
): TargetCheck[] {
  const rows = targetRows(figures);
  const { healed, always_retrain_best: best } = rows;
  // Rounded to 1e-12, so 0.755 - 0.745 is the 0.01 it is, not 0.010000000000000009.
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : Math.round((a - b) * 1e12) / 1e12);
  const check = (target: string, value: number | null, ok: (v: number) => boolean): TargetCheck => ({
    target,
    value,
    met: value !== null && ok(value),
  });
  const bankTargets = [
    check('healed ROC-AUC >= 0.74', healed.roc_auc, (v) => v >= 0.74),
    check('healed Brier <= 0.11', healed.brier_score, (v) => v <= 0.11),
    check('healed mean per-chunk ROC-AUC (all chunks) >= 0.56', figures.mean_chunk_roc_auc.healed, (v) => v >= 0.56),
  ];
  return [
    ...(absolute ? bankTargets : []),
    check('healed Brier - always_retrain_best Brier <= 0.005', diff(healed.brier_score, best.brier_score), (v) => v <= 0.005),
    check('always_retrain_best ROC-AUC - healed ROC-AUC <= 0.01', diff(best.roc_auc, healed.roc_auc), (v) => v <= 0.01),
    check('static Brier - healed Brier > 0', diff(rows.static.brier_score, healed.brier_score), (v) => v > 0),
    check('healed ROC-AUC - static ROC-AUC > 0', diff(healed.roc_auc, rows.static.roc_auc), (v) => v > 0),
  ];
}

const f4 = (v: number | null) => (v === null ? '-' : v.toFixed(4));

/** "prior", "one_hot without euribor3m, nr_employed", or the fields of a spec that is no preset. */
export function describeSpec(spec: ModelSpec, featureNames: readonly string[]): string {
  const sameFit = (p: Readonly<ModelSpec>) =>
    p.encoding === spec.encoding && p.class_weight === spec.class_weight && p.C === spec.C && p.calibration === spec.calibration;
  const preset = Object.entries(MODEL_SPEC_PRESETS).find(([, p]) => sameFit(p))?.[0];
  const fit = preset ?? `${spec.encoding}, ${spec.class_weight}, C ${spec.C}, ${spec.calibration}`;
  const dropped = spec.features ? featureNames.filter((name) => !spec.features!.includes(name)) : [];
  return dropped.length === 0 ? fit : `${fit} without ${dropped.join(', ')}`;
}

function describeDecision(d: ReplayDecision, months: string, featureNames: readonly string[]): string {
  const made = [d.spec ? `spec ${describeSpec(d.spec, featureNames)}` : null, d.candidate ? `candidate ${d.candidate}` : null].filter(
    Boolean,
  );
  return `- chunk ${d.chunk + 1} (${months}): **${d.action}** ${d.version ?? ''} (active after: ${d.active ?? '-'})${made.length ? `, ${made.join(', ')}` : ''}: ${d.reason}`;
}

function metricsTable(rows: Record<Policy, PolicyMetrics | null>, meanChunkAuc?: Record<Policy, number | null>): string[] {
  const extra = meanChunkAuc ? ' mean per-chunk ROC-AUC |' : '';
  return [
    `| policy | ROC-AUC | Brier | log loss | F1 | precision | recall |${extra}`,
    `| --- | --- | --- | --- | --- | --- | --- |${meanChunkAuc ? ' --- |' : ''}`,
    ...POLICIES.map((p) => {
      const m = rows[p];
      const cells = m ? [m.roc_auc, m.brier_score, m.log_loss, m.f1_score, m.precision, m.recall] : [null, null, null, null, null, null];
      return `| ${p} | ${cells.map(f4).join(' | ')} |${meanChunkAuc ? ` ${f4(meanChunkAuc[p])} |` : ''}`;
    }),
  ];
}

const CHUNK_METRICS = [
  ['roc_auc', 'ROC-AUC'],
  ['brier_score', 'Brier'],
  ['log_loss', 'Log loss'],
  ['f1_score', 'F1'],
] as const;

export function renderMarkdown(report: ReplayReport): string {
  const chunks = report.chunks;
  const spanOf = (c: ReplayReport['chunks'][number]) => monthSpan(c.months.first, c.months.last);
  const afterFirst = chunks.length > 1 ? chunks.slice(1) : null;
  const best = report.always_retrain_best.candidate;
  const lines = [
    `# Replay report`,
    '',
    `${report.options.rows_replayed} rows of \`${report.data_file}\` after an initial champion (${report.initial_version}) trained on the first ${report.options.initial},`,
    `in ${chunks.length} chunks of ${report.options.chunk}, ${report.mode}; healing policy: ${JSON.stringify(report.policy)}.`,
    `\`static\` serves the initial champion throughout; \`always_retrain\` retrains after every chunk on the latest ${report.options.initial} labelled rows, calibrated as the policy's challengers are (${report.options.calibration}), and replaces its model with no gate.`,
    `\`always_retrain_best\` is the best of the healing search's ${report.candidates.length} candidates (specs ${report.options.specs.join(', ')} x feature sets, resolved at each step as the search resolves them: the time-level features and the drift of the chunk just labelled against the rows before it), each retrained after every chunk on the latest ${report.candidates[0]?.window ?? '-'} labelled rows and promoted with no gate: \`${best}\`, chosen by ${report.always_retrain_best.chosen_by}.`,
    'The first chunk is served by the initial champion under every policy: no outcome exists yet.',
    ...(report.mode === 'http'
      ? [
          "Over HTTP: the healed side started from what the server served; the baselines were trained by this CLI, and the policy shown is its environment, not necessarily the server's.",
        ]
      : []),
    `Dates: ${report.calendar.method}. The rows read span ${monthLabel(report.calendar.data.first)} to ${monthLabel(report.calendar.data.last)}; the initial champion's, ${monthSpan(report.calendar.initial.first, report.calendar.initial.last)}.`,
    `Generated ${report.generated_at} in ${(report.duration_ms / 1000).toFixed(1)} s.`,
    '',
    '## Overall (all replayed rows)',
    '',
    ...metricsTable(report.overall, report.mean_chunk_roc_auc),
    '',
    afterFirst
      ? `## After the first chunk (rows ${afterFirst[0].rows[0] + 1}-${afterFirst[afterFirst.length - 1].rows[1]}, ${monthSpan(afterFirst[0].months.first, afterFirst[afterFirst.length - 1].months.last)})`
      : '## After the first chunk (none: there is only one chunk)',
    '',
    ...metricsTable(report.after_first_chunk),
    '',
    `Targets for the healed policy (on ${afterFirst ? 'the rows after the first chunk' : 'all rows'}):`,
    ...report.targets.map((t) => `- ${t.target}: ${f4(t.value)}, ${t.met ? 'yes' : 'NO'}`),
    '',
    "## always_retrain_best's candidates",
    '',
    'Each retrained after every chunk on the latest labelled rows, with the features of its set (resolved at each step as the search would, from the rows themselves), promoted with no gate.',
    '',
    '| candidate | ROC-AUC after chunk 1 | Brier after chunk 1 | log loss after chunk 1 | F1 after chunk 1 | ROC-AUC overall | Brier overall | mean per-chunk ROC-AUC | failed fits |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.candidates.map((c) => {
      const a = c.after_first_chunk;
      const name = c.name === best ? `**${c.name}**` : c.name;
      return `| ${name} | ${f4(a?.roc_auc ?? null)} | ${f4(a?.brier_score ?? null)} | ${f4(a?.log_loss ?? null)} | ${f4(a?.f1_score ?? null)} | ${f4(c.overall.roc_auc)} | ${f4(c.overall.brier_score)} | ${f4(c.mean_chunk_roc_auc)} | ${c.failed_fits} |`;
    }),
    '',
    '## Per chunk',
    '',
    '| chunk | months | rows | base rate | served by | drift | drifted features | status | decision |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...chunks.map((c) => {
      const decision = ['skipped', 'watching'].includes(c.heal.action)
        ? ''
        : `${c.heal.action}${c.heal.challenger ? ` ${c.heal.challenger}` : ''}`;
      const servedBy = Object.entries(c.served_by)
        .map(([v, n]) => `${v}×${n}`)
        .join(' ');
      return `| ${c.index + 1} | ${spanOf(c)} | ${c.rows[0] + 1}-${c.rows[1]} | ${c.positive_rate.toFixed(3)} | ${servedBy} | ${c.drift.verdict} | ${c.drift.drifted_features.join(', ') || '-'} | ${c.status} | ${decision} |`;
    }),
    ...CHUNK_METRICS.flatMap(([key, title]) => [
      '',
      `### ${title} per chunk`,
      '',
      `| chunk | months | base rate | ${POLICIES.join(' | ')} |`,
      `| --- | --- | --- | ${POLICIES.map(() => '---').join(' | ')} |`,
      ...chunks.map(
        (c) =>
          `| ${c.index + 1} | ${spanOf(c)} | ${c.positive_rate.toFixed(3)} | ${POLICIES.map((p) => f4(c.metrics[p][key])).join(' | ')} |`,
      ),
    ]),
    '',
    '## Decisions',
    '',
    ...(report.decisions.length === 0
      ? ['No promotion, rejection or rollback.']
      : report.decisions.map((d) => describeDecision(d, spanOf(chunks[d.chunk]), report.schema.feature_names))),
    '',
  ];
  return lines.join('\n');
}

/** Drawn in this order, so the healed line is on top; each its own dash, so lines that overlap stay apart. */
const CHART_STYLE: Array<[Policy, { dashed?: string; width?: number }]> = [
  ['static', { dashed: '6 3' }],
  ['always_retrain', { dashed: '2 3' }],
  ['always_retrain_best', { dashed: '9 3 2 3' }],
  ['healed', { width: 3 }],
];

const MARKERS: Record<string, { kind: string; color: string; minor?: boolean }> = {
  promoted: { kind: 'promotion', color: '#2166ac' },
  rolled_back: { kind: 'rollback', color: '#b2182b' },
  rejected: { kind: 'rejected', color: '#999999', minor: true },
};

export function renderReplayChart(report: ReplayReport): string {
  const n = report.chunks.length;
  const series = (metric: 'roc_auc' | 'brier_score') =>
    CHART_STYLE.map(([p, style]) => ({
      name: `${p} ${metric === 'roc_auc' ? 'ROC-AUC' : 'Brier'}`,
      color: COLORS[p],
      ...style,
      values: report.chunks.map((c) => c.metrics[p][metric]),
    }));
  // Promotions are tagged with the version promoted, rollbacks with the version returned to.
  const markers: Marker[] = report.decisions
    .filter((d) => d.action in MARKERS)
    .map((d) => {
      const { kind, color, minor } = MARKERS[d.action];
      const version = d.action === 'rolled_back' ? d.active : d.version;
      return { index: d.chunk, label: `${kind} ${version}`, color, ...(minor ? { minor } : { tag: version ?? '' }) };
    });
  return renderChart(
    `Replay of ${report.data_file}: ${report.options.rows_replayed} rows in ${n} chunks`,
    n,
    [
      {
        title: 'ROC-AUC per chunk (higher is better)',
        series: series('roc_auc'),
        references: [{ value: 0.5, label: 'chance (0.5)' }],
      },
      { title: 'Brier score per chunk (lower is better)', series: series('brier_score'), yMin: 0 },
      {
        title: 'Base rate ("yes" share) and share of drifted features',
        kind: 'bars',
        yRange: [0, 1],
        series: [
          { name: 'drifted share', color: '#9e9ac8', values: report.chunks.map((c) => c.drift.share_drifted_features) },
          { name: 'base rate', color: '#000000', kind: 'lines', values: report.chunks.map((c) => c.positive_rate) },
        ],
      },
    ],
    markers,
    {
      labels: report.chunks.map((c) => [String(c.index + 1), shortMonthLabel(c.months.first)]),
      title: 'chunk (and the month of its first row)',
    },
  );
}
