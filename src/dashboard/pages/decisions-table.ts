import { ModelEvent } from '../../model-registry/model-event';
import { SafeHtml, figure, html } from '../html/html';

type Scores = { brier?: number; log_loss?: number; roc_auc?: number | null };

/** The two models a gate or a watch scored, as stored in the event (champion/challenger, previous/current). */
function scoredPair(gate: Record<string, unknown>): Array<[string, Scores]> {
  const pairs: Array<[string, string]> = [
    ['champion', 'challenger'],
    ['previous', 'current'],
  ];
  for (const [a, b] of pairs) {
    if (typeof gate[a] === 'object' && gate[a] !== null && typeof gate[b] === 'object' && gate[b] !== null) {
      return [
        [a, gate[a] as Scores],
        [b, gate[b] as Scores],
      ];
    }
  }
  return [];
}

/** A gate's or a watch's scores in a few words: each model's Brier, log loss, ROC-AUC, the loss gain and its interval, DeLong. */
export function gateSummary(gate: Record<string, unknown> | undefined): SafeHtml {
  if (!gate) return html``;
  const pair = scoredPair(gate);
  const loss = gate.loss as { score?: string; gain?: number; interval?: { lower: number; upper: number } } | null | undefined;
  const auc = gate.roc_auc as { difference?: number; p_value?: number } | null | undefined;
  const search = gate.search as { chosen?: string } | undefined;
  return html`<table class="gate" data-gate>
      <thead>
        <tr>
          <th></th>
          <th class="num">Brier</th>
          <th class="num">log loss</th>
          <th class="num">ROC-AUC</th>
        </tr>
      </thead>
      <tbody>
        ${pair.map(
          ([name, s]) =>
            html`<tr>
              <td>${name}</td>
              <td class="num">${figure(s.brier)}</td>
              <td class="num">${figure(s.log_loss)}</td>
              <td class="num">${figure(s.roc_auc)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <div class="muted">
      ${gate.verdict ? `verdict ${String(gate.verdict)}` : ''}${typeof gate.n === 'number' ? `, ${gate.n} rows (${String(gate.positives)} positives)` : ''}${
        loss && typeof loss.gain === 'number'
          ? `; ${loss.score ?? 'loss'} gain ${figure(loss.gain)}${loss.interval ? ` [${figure(loss.interval.lower)}, ${figure(loss.interval.upper)}]` : ''}`
          : ''
      }${auc && typeof auc.difference === 'number' ? `; ROC-AUC difference ${figure(auc.difference)}${typeof auc.p_value === 'number' ? ` (DeLong p ${figure(auc.p_value, 3)})` : ''}` : ''}${
        search?.chosen ? `; search chose ${search.chosen}` : ''
      }
    </div>`;
}

function versions(e: ModelEvent): string {
  if (e.version) return e.version;
  if (e.from_version || e.to_version) return `${e.from_version ?? '–'} → ${e.to_version ?? '–'}`;
  return '–';
}

/** Decisions, newest first; with `withScores`, each gate's or watch's scores under its reason. */
export function decisionsTable(events: readonly ModelEvent[], withScores: boolean): SafeHtml {
  if (events.length === 0) return html`<p class="muted">no decision yet</p>`;
  return html`<table data-table="decisions">
    <thead>
      <tr>
        <th>time (UTC)</th>
        <th>decision</th>
        <th>by</th>
        <th>version</th>
        <th>why</th>
      </tr>
    </thead>
    <tbody>
      ${events.map(
        (e) =>
          html`<tr data-event="${e.type}">
            <td>${e.time.slice(0, 19).replace('T', ' ')}</td>
            <td><span class="badge ${e.type}">${e.type.replace('_', ' ')}</span></td>
            <td>${e.actor}</td>
            <td>${versions(e)}</td>
            <td>${e.reason}${withScores && e.gate ? gateSummary(e.gate) : ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
