import type { ReplayReport } from '../../replay/replay-report';
import { SafeHtml, figure, html } from '../html/html';

/** A replay report folder under storage/reports/, as listed. */
export interface ReplayEntry {
  name: string;
  /** report.json, read leniently (a report from an older or newer version may lack parts); null when absent or unreadable. */
  report: Partial<ReplayReport> | null;
  problem: string | null;
  hasChart: boolean;
}

const POLICY_ORDER = ['healed', 'static', 'always_retrain', 'always_retrain_best'];
type Figures = { roc_auc?: number | null; brier_score?: number | null; log_loss?: number | null; f1_score?: number | null };

export const replayHref = (name: string) => `/dashboard/replays/${encodeURIComponent(name)}`;

function policies(rows: Record<string, Figures | null> | undefined): string[] {
  const names = Object.keys(rows ?? {});
  return [...POLICY_ORDER.filter((p) => names.includes(p)), ...names.filter((p) => !POLICY_ORDER.includes(p))];
}

function figuresTable(title: string, rows: Record<string, Figures | null> | undefined): SafeHtml {
  if (!rows) return html``;
  return html`<h2>${title}</h2>
    <table data-table="policies">
      <thead>
        <tr>
          <th>policy</th>
          <th class="num">ROC-AUC</th>
          <th class="num">Brier</th>
          <th class="num">log loss</th>
          <th class="num">F1</th>
        </tr>
      </thead>
      <tbody>
        ${policies(rows).map((p) => {
          const m = rows[p];
          return html`<tr>
            <td>${p}</td>
            <td class="num">${figure(m?.roc_auc)}</td>
            <td class="num">${figure(m?.brier_score)}</td>
            <td class="num">${figure(m?.log_loss)}</td>
            <td class="num">${figure(m?.f1_score)}</td>
          </tr>`;
        })}
      </tbody>
    </table>`;
}

export function renderReplayList(entries: readonly ReplayEntry[], reportsDir: string): SafeHtml {
  if (entries.length === 0) {
    return html`<p class="notice">
      No replay report in <code>${reportsDir}</code> yet: <code>node dist/cli replay</code> writes one there.
    </p>`;
  }
  return html`<p>Reports in <code>${reportsDir}</code>, newest first.</p>
    <table data-table="replays">
      <thead>
        <tr>
          <th>report</th>
          <th>generated</th>
          <th>data</th>
          <th class="num">rows replayed</th>
          <th class="num">chunks</th>
          <th class="num">decisions</th>
          <th class="num">healed ROC-AUC</th>
          <th class="num">healed Brier</th>
        </tr>
      </thead>
      <tbody>
        ${entries.map((e) => {
          const r = e.report;
          const healed = (r?.after_first_chunk?.healed ?? r?.overall?.healed ?? null) as Figures | null;
          return html`<tr data-replay="${e.name}">
              <td><a href="${replayHref(e.name)}">${e.name}</a></td>
              <td>${r?.generated_at?.slice(0, 19).replace('T', ' ') ?? '–'}</td>
              <td>${r?.data_file ?? '–'}</td>
              <td class="num">${r?.options?.rows_replayed ?? '–'}</td>
              <td class="num">${r?.chunks?.length ?? '–'}</td>
              <td class="num">${r?.decisions?.length ?? '–'}</td>
              <td class="num">${figure(healed?.roc_auc)}</td>
              <td class="num">${figure(healed?.brier_score)}</td>
            </tr>
            ${
              e.problem
                ? html`<tr>
                    <td colspan="8" class="muted">${e.problem}</td>
                  </tr>`
                : ''
            }`;
        })}
      </tbody>
    </table>`;
}

export function renderReplay(entry: ReplayEntry, chartHref: string): SafeHtml {
  const r = entry.report;
  return html`${entry.problem ? html`<p class="notice">${entry.problem}</p>` : ''}
    ${
      r
        ? html`<p>
            ${r.options?.rows_replayed ?? '?'} rows of <code>${r.data_file ?? '?'}</code> in ${r.chunks?.length ?? '?'} chunks of
            ${r.options?.chunk ?? '?'} (${r.mode ?? '?'}), after an initial champion ${r.initial_version ?? ''} trained on
            ${r.options?.initial ?? '?'} rows; generated ${r.generated_at?.slice(0, 19).replace('T', ' ') ?? '?'} UTC in
            ${typeof r.duration_ms === 'number' ? (r.duration_ms / 1000).toFixed(1) : '?'} s.
          </p>`
        : ''
    }
    ${entry.hasChart ? html`<p><img class="replay-chart" src="${chartHref}" alt="ROC-AUC and Brier per chunk for each policy, with promotions, rollbacks and rejected challengers" /></p>` : html`<p class="muted">no chart.svg in this report</p>`}
    ${figuresTable('After the first chunk (where the targets are judged)', r?.after_first_chunk as Record<string, Figures | null> | undefined)}
    ${figuresTable('All replayed rows', r?.overall as Record<string, Figures | null> | undefined)}
    ${
      r?.targets
        ? html`<h2>Targets for the healed policy</h2>
            <ul>
              ${r.targets.map((t) => html`<li>${t.met ? 'met' : 'not met'}: ${t.target} (${figure(t.value)})</li>`)}
            </ul>`
        : ''
    }
    ${
      r?.decisions
        ? html`<h2>Decisions</h2>
            ${
              r.decisions.length === 0
                ? html`<p class="muted">no promotion, rejection or rollback</p>`
                : html`<table data-table="replay-decisions">
                    <thead>
                      <tr>
                        <th class="num">chunk</th>
                        <th>decision</th>
                        <th>version</th>
                        <th>active after</th>
                        <th>why</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${r.decisions.map(
                        (d) =>
                          html`<tr>
                            <td class="num">${d.chunk + 1}</td>
                            <td><span class="badge ${d.action}">${d.action}</span></td>
                            <td>${d.version ?? '–'}</td>
                            <td>${d.active ?? '–'}</td>
                            <td>${d.reason}</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
            }`
        : ''
    }
    <p class="muted">The same report as Markdown: <code>report.md</code> in the folder; every figure in <code>report.json</code>.</p>`;
}
