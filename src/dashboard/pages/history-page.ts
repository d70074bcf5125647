import { ModelEvent } from '../../model-registry/model-event';
import { MonitoringSnapshot } from '../../monitoring-history/monitoring-snapshot';
import { TimeMarker, TimePanel, renderTimeSeries } from '../charts/time-series-chart';
import { SafeHtml, html, trusted } from '../html/html';

export interface HistoryPageData {
  snapshots: readonly MonitoringSnapshot[];
  /** Promotions and rollbacks (any time; those inside the series are drawn). */
  events: readonly ModelEvent[];
  intervalSeconds: number;
  keep: number;
  problem: string | null;
}

const MARKERS: Record<string, { kind: string; color: string }> = {
  promoted: { kind: 'promotion', color: '#0969da' },
  rolled_back: { kind: 'rollback', color: '#cf222e' },
};

/** The charts' panels from the snapshots: drift share, ROC-AUC, Brier, and the rates. */
export function historyPanels(snapshots: readonly MonitoringSnapshot[]): TimePanel[] {
  const at = (pick: (s: MonitoringSnapshot) => number | null) => snapshots.map((s) => ({ t: Date.parse(s.time), v: pick(s) }));
  return [
    {
      title: 'Share of features drifted',
      fixed: [0, 1],
      series: [{ name: 'drift share', color: '#8e6c8a', points: at((s) => s.drift_share) }],
    },
    {
      title: 'ROC-AUC (higher is better)',
      series: [
        { name: 'live', color: '#1a7f37', points: at((s) => s.roc_auc) },
        { name: 'label-free estimate', color: '#6e7781', dashed: true, points: at((s) => s.expected_roc_auc) },
        { name: 'baseline', color: '#222', dashed: true, points: at((s) => s.baseline_roc_auc) },
      ],
    },
    {
      title: 'Brier score (lower is better)',
      include: [0],
      series: [
        { name: 'live', color: '#d1242f', points: at((s) => s.brier) },
        { name: 'label-free estimate', color: '#6e7781', dashed: true, points: at((s) => s.expected_brier) },
        { name: 'baseline', color: '#222', dashed: true, points: at((s) => s.baseline_brier) },
      ],
    },
    {
      title: 'Base rate and predicted positive rate',
      fixed: [0, 1],
      series: [
        { name: 'base rate (outcomes)', color: '#000', points: at((s) => s.base_rate) },
        { name: 'predicted positive rate', color: '#f28e2b', points: at((s) => s.predicted_positive_rate) },
      ],
    },
  ];
}

export function renderHistory(d: HistoryPageData): SafeHtml {
  const intro = html`<p>
      A snapshot of monitoring every ${d.intervalSeconds} s (MONITOR_INTERVAL_S), the newest ${d.keep} kept (MONITOR_SNAPSHOTS) in
      <code>storage/monitoring/snapshots.json</code> across restarts; promotions and rollbacks marked.
    </p>
    ${d.problem ? html`<p class="notice">${d.problem}</p>` : ''}`;
  if (d.intervalSeconds === 0)
    return html`${intro}
      <p class="notice">MONITOR_INTERVAL_S is 0: no snapshots are taken.</p>`;
  if (d.snapshots.length === 0)
    return html`${intro}
      <p class="notice">No snapshot yet: the first comes ${d.intervalSeconds} s after start.</p>`;
  const t0 = Date.parse(d.snapshots[0].time);
  const t1 = Date.parse(d.snapshots[d.snapshots.length - 1].time);
  const markers: TimeMarker[] = d.events
    .filter((e) => e.type in MARKERS)
    .map((e) => ({ e, t: Date.parse(e.time) }))
    .filter(({ t }) => t >= t0 && t <= t1)
    .map(({ e, t }) => ({ t, kind: MARKERS[e.type].kind, color: MARKERS[e.type].color, tag: e.to_version ?? e.version ?? '' }));
  const last = d.snapshots[d.snapshots.length - 1];
  return html`${intro}
    <p>
      ${d.snapshots.length} snapshots from ${d.snapshots[0].time.slice(0, 19).replace('T', ' ')} to
      ${last.time.slice(0, 19).replace('T', ' ')} UTC; the last: ${last.status.replace('_', ' ')}, serving ${last.model_version}.
    </p>
    ${trusted(renderTimeSeries(historyPanels(d.snapshots), markers, [t0, t1], Math.max(3 * d.intervalSeconds * 1000, 1)))}`;
}
