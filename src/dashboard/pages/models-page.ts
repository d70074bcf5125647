import { ModelEvent } from '../../model-registry/model-event';
import { ModelMetadata } from '../../model-registry/model-version';
import { VersionStatus } from '../../model-registry/registry-state';
import { SafeHtml, figure, html } from '../html/html';
import { decisionsTable } from './decisions-table';

export interface VersionRow {
  version: string;
  status: VersionStatus;
  metadata: ModelMetadata;
}

export interface ModelsPageData {
  versions: VersionRow[];
  /** Newest first. */
  events: ModelEvent[];
  active: string | null;
}

/** The model spec in a few words: `{"encoding":"one_hot",...}` as `one_hot, none, C 1, none`, with its features when it names them. */
export function describeSpec(spec: unknown): string {
  if (typeof spec !== 'object' || spec === null) return 'original (before specs were recorded)';
  const s = spec as { encoding?: unknown; class_weight?: unknown; C?: unknown; calibration?: unknown; features?: unknown };
  const parts = [`${String(s.encoding)}, ${String(s.class_weight)} weights, C ${String(s.C)}, calibration ${String(s.calibration)}`];
  if (Array.isArray(s.features)) parts.push(`${s.features.length} features`);
  return parts.join('; ');
}

/** The chain of parents from the first version to `version` (v1 → v2 → v5). */
export function lineage(version: string, versions: readonly VersionRow[]): string[] {
  const parent = new Map(versions.map((v) => [v.version, v.metadata.parent_version]));
  const chain: string[] = [];
  for (let v: string | null | undefined = version; v && !chain.includes(v); v = parent.get(v)) chain.unshift(v);
  return chain;
}

export function renderModels(d: ModelsPageData): SafeHtml {
  const newest = [...d.versions].reverse();
  return html`${d.active ? html`<p data-lineage>Lineage of the active version: <strong>${lineage(d.active, d.versions).join(' → ')}</strong></p>` : ''}
    <table data-table="versions">
      <thead>
        <tr>
          <th>version</th>
          <th>status</th>
          <th>created</th>
          <th>parent</th>
          <th>spec</th>
          <th class="num">train rows</th>
          <th class="num">val ROC-AUC</th>
          <th class="num">val Brier</th>
          <th class="num">val F1</th>
          <th class="num">test ROC-AUC</th>
          <th>trained until</th>
          <th>why</th>
        </tr>
      </thead>
      <tbody>
        ${newest.map((v) => {
          const m = v.metadata;
          return html`<tr data-version="${v.version}">
            <td><strong>${v.version}</strong></td>
            <td><span class="badge ${v.status}">${v.status}</span></td>
            <td>${m.created_at}</td>
            <td>${m.parent_version ?? '–'}</td>
            <td>${describeSpec(m.params.spec)}</td>
            <td class="num">${m.rows.train.toLocaleString('en')}</td>
            <td class="num">${figure(m.metrics.validation.roc_auc)}</td>
            <td class="num">${figure(m.metrics.validation.brier_score)}</td>
            <td class="num">${figure(m.metrics.validation.f1_score)}</td>
            <td class="num">${figure(m.metrics.test.roc_auc)}</td>
            <td>${m.trained_until ? m.trained_until.slice(0, 19).replace('T', ' ') : '–'}</td>
            <td>${m.reason}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    <h2>Decisions, with each gate's and watch's scores</h2>
    ${decisionsTable(d.events, true)}`;
}
