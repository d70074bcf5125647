import { ModelEvent } from '../../model-registry/model-event';
import { RegistryState } from '../../model-registry/registry-state';
import { MonitoringStatus } from '../../monitoring/monitoring-status.service';
import { PerformanceReport } from '../../monitoring/performance.service';
import { SafeHtml, change, figure, html, percent } from '../html/html';
import { decisionsTable } from './decisions-table';
import { describeSpec } from './models-page';

export interface ActiveVersion {
  version: string;
  created_at: string;
  reason: string;
  parent_version: string | null;
  spec: unknown;
}

export interface OverviewData {
  /** Why nothing can be judged (no model serves), or null. */
  unavailable: string | null;
  status: MonitoringStatus | null;
  performance: PerformanceReport | null;
  active: ActiveVersion | null;
  /** The decision that made the active version serve (its promotion, or the rollback to it), if recorded. */
  madeActive: ModelEvent | null;
  registry: RegistryState | null;
  traffic: {
    /** Predictions this process served since it started, per version. */
    servedByVersion: Array<{ version: string; count: number }>;
    /** Over the last few minutes of monitoring snapshots, or null before there are two. */
    perMinute: number | null;
    /** Requests this process answered, per route (the busiest first). */
    requests: Array<{ route: string; count: number }>;
  };
  /** The latest decisions, newest first. */
  decisions: ModelEvent[];
}

const FIGURES = [
  ['roc_auc', 'ROC-AUC'],
  ['brier_score', 'Brier score (lower is better)'],
  ['accuracy', 'accuracy'],
  ['f1_score', 'F1'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['positive_rate', 'share decided positive'],
] as const;

function statusCard(d: OverviewData): SafeHtml {
  const status = d.status?.status ?? 'unavailable';
  const reasons = d.unavailable ? [d.unavailable] : (d.status?.reasons ?? []);
  return html`<section class="card" data-card="status">
    <h3>Status</h3>
    <div class="big status-${status}" data-status="${status}">${status.replace('_', ' ')}</div>
    ${
      reasons.length > 0
        ? html`<ul class="reasons">
            ${reasons.map((r) => html`<li>${r}</li>`)}
          </ul>`
        : html`<p class="muted">no reason to worry</p>`
    }
  </section>`;
}

function activeCard(d: OverviewData): SafeHtml {
  if (!d.active)
    return html`<section class="card">
      <h3>Active version</h3>
      <p class="muted">none serves</p>
    </section>`;
  const made = d.madeActive;
  const replaced = made?.from_version ?? null;
  const watch = d.registry?.watch;
  return html`<section class="card" data-card="active">
    <h3>Active version</h3>
    <div class="big" data-active-version="${d.active.version}">${d.active.version}</div>
    <p>
      ${
        made
          ? html`${made.type === 'rolled_back' ? 'rolled back to' : 'promoted'} ${made.time.slice(0, 19).replace('T', ' ')} by
              ${made.actor}${replaced ? html`, replacing <strong data-replaced="${replaced}">${replaced}</strong>` : ''}:
              <span class="muted">${made.reason}</span>`
          : html`trained ${d.active.created_at}: <span class="muted">${d.active.reason}</span>`
      }
    </p>
    <p class="muted">${d.active.parent_version ? `parent ${d.active.parent_version}; ` : ''}spec: ${describeSpec(d.active.spec)}</p>
    ${watch ? html`<p class="notice">watched against ${watch.previous} since ${watch.started_at.slice(0, 19).replace('T', ' ')} (over ${watch.labels_needed} labelled predictions)</p>` : ''}
  </section>`;
}

function trafficCard(d: OverviewData): SafeHtml {
  const total = d.traffic.servedByVersion.reduce((sum, v) => sum + v.count, 0);
  const labelled = d.performance?.n_labelled ?? 0;
  return html`<section class="card" data-card="traffic">
    <h3>Traffic (since this process started)</h3>
    <div class="big" data-served="${total}">${total.toLocaleString('en')}</div>
    <p>
      predictions
      served${d.traffic.perMinute === null ? '' : html`, ${Math.round(d.traffic.perMinute).toLocaleString('en')} a minute over the last few minutes`};
      ${labelled.toLocaleString('en')} with an outcome in the performance window
    </p>
    <table>
      <thead>
        <tr>
          <th>version</th>
          <th class="num">served</th>
        </tr>
      </thead>
      <tbody>
        ${d.traffic.servedByVersion.map(
          (v) =>
            html`<tr>
              <td>${v.version}</td>
              <td class="num">${v.count.toLocaleString('en')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

function performanceTable(p: PerformanceReport): SafeHtml {
  const live = p.live as Record<string, number> | null;
  const base = p.baseline as unknown as Record<string, number>;
  const expected = p.expected.estimate as Record<string, number | null> | null;
  const expectedBase = p.expected.baseline as Record<string, number> | null;
  return html`<table data-table="performance">
      <thead>
        <tr>
          <th>figure</th>
          <th class="num">live (last ${p.n_labelled} labelled)</th>
          <th class="num">baseline (validation)</th>
          <th class="num">change</th>
          <th class="num">label-free estimate (last ${p.expected.window_size})</th>
          <th class="num">estimate on validation</th>
        </tr>
      </thead>
      <tbody>
        ${FIGURES.map(
          ([key, name]) =>
            html`<tr>
              <td>${name}</td>
              <td class="num">${figure(live?.[key])}</td>
              <td class="num">${figure(base[key])}</td>
              <td class="num">${change(live ? live[key] - base[key] : null)}</td>
              <td class="num">${figure(expected?.[key])}</td>
              <td class="num">${figure(expectedBase?.[key])}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      Verdict ${p.verdict}; calibration
      ${p.calibration.verdict}${
        p.calibration.live
          ? html` (base rate ${percent(p.calibration.live.base_rate)}, mean P(positive) ${percent(p.calibration.live.mean_predicted)}, ECE
            ${figure(p.calibration.live.ece, 3)})`
          : ''
      }.
      The label-free estimate (CBPE) assumes P(positive) is calibrated and never triggers a heal; only its change from the estimate on
      validation means something.
    </p>`;
}

export function renderOverview(d: OverviewData): SafeHtml {
  return html`<div class="cards">${statusCard(d)}${activeCard(d)}${trafficCard(d)}</div>
    <h2>Performance against the baseline</h2>
    ${d.performance ? performanceTable(d.performance) : html`<p class="muted">no model to judge</p>`}
    <h2>Requests</h2>
    <table>
      <thead>
        <tr>
          <th>route</th>
          <th class="num">requests</th>
        </tr>
      </thead>
      <tbody>
        ${d.traffic.requests.map(
          (r) =>
            html`<tr>
              <td><code>${r.route}</code></td>
              <td class="num">${r.count.toLocaleString('en')}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>Last decisions of the healer</h2>
    ${decisionsTable(d.decisions, false)}
    <p><a href="/dashboard/models">Every version and decision, with the gate's scores →</a></p>`;
}
