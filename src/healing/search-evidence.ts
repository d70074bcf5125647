import { ModelEvent } from '../model-registry/model-event';
import { ProperScore } from '../training/evaluation/scoring-rules';

/**
 * The challenger search's evidence, added up across runs (prequential model selection).
 *
 * One search scores its candidates on the labels new since the last run: on the bank replay about
 * 1,400 rows with 5-10% positives, where the candidates' Brier scores differ in the fourth decimal.
 * Choosing on those rows alone picks a different procedure (spec, feature set, window) almost
 * every run, by noise, and each choice is then judged against a champion fitted by another
 * procedure. But every past search scored the same procedures, each on labels that came after its
 * training rows: together they are a forward (prequential) validation of each procedure over many
 * periods. So each procedure's validation loss is summed over the recent searches, weighted by
 * their rows, and the search chooses by that sum with its own rows added: the procedure that has
 * served best lately, not the one that won the last 1,400 rows by a fourth decimal.
 *
 * The memory is bounded by rows, not runs: the searches whose validation rows, newest first, fit
 * in the longest training window the search may use (HEAL_SEARCH_WINDOWS). Evidence older than
 * any row a candidate could train on says little about which procedure suits the world now.
 */

/** One procedure's validation loss, summed over the rows of the searches that scored it. */
export interface ProcedureEvidence {
  loss_sum: number;
  rows: number;
  searches: number;
}

/** Per procedure ("<spec>/<feature set>/<window asked for>"), what past searches showed. */
export type SearchEvidence = Record<string, ProcedureEvidence>;

/** What a search records of itself in its event (gate.search), as far as the evidence needs it. */
interface RecordedSearch {
  score?: unknown;
  validation_rows?: unknown;
  candidates?: unknown;
}

interface RecordedCandidate {
  status?: unknown;
  validation_loss?: unknown;
  procedures?: unknown;
}

/** Events that record a search: a run that trained a challenger and judged it. */
const SEARCH_EVENTS: ReadonlySet<ModelEvent['type']> = new Set(['promoted', 'rejected', 'held']);

/**
 * The evidence of the newest searches in `events` (oldest first, as the audit trail keeps them)
 * judged by `score`, newest first until their validation rows would exceed `maxRows`. Events
 * without a search, or from a search that recorded no procedures (older versions), are passed over.
 */
export function pastSearchEvidence(events: readonly ModelEvent[], score: ProperScore, maxRows: number): SearchEvidence {
  const evidence: SearchEvidence = {};
  let rowsSoFar = 0;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!SEARCH_EVENTS.has(event.type)) continue;
    const search = event.gate?.search as RecordedSearch | undefined;
    if (!search || search.score !== score || typeof search.validation_rows !== 'number' || !Array.isArray(search.candidates)) continue;
    const rows = search.validation_rows;
    if (rows <= 0) continue;
    if (rowsSoFar + rows > maxRows) break;
    rowsSoFar += rows;
    for (const candidate of search.candidates as RecordedCandidate[]) {
      if (candidate.status !== 'scored' || typeof candidate.validation_loss !== 'number' || !Array.isArray(candidate.procedures)) continue;
      for (const procedure of candidate.procedures) {
        if (typeof procedure !== 'string') continue;
        const entry = (evidence[procedure] ??= { loss_sum: 0, rows: 0, searches: 0 });
        entry.loss_sum += candidate.validation_loss * rows;
        entry.rows += rows;
        entry.searches++;
      }
    }
  }
  return evidence;
}

/**
 * A candidate's loss over the past searches and this one: the past evidence of the procedures it
 * stands for (the best of them, when it stands for several) with this search's `rows` at `loss`.
 * With no past evidence it is this search's loss.
 */
export function pooledLoss(
  procedures: readonly string[] | undefined,
  loss: number,
  rows: number,
  past: SearchEvidence | undefined,
): { loss: number; rows: number; searches: number } {
  let best = { loss, rows, searches: 1 };
  for (const procedure of procedures ?? []) {
    const before = past?.[procedure];
    if (!before || before.rows === 0) continue;
    const pooled = {
      loss: (before.loss_sum + loss * rows) / (before.rows + rows),
      rows: before.rows + rows,
      searches: before.searches + 1,
    };
    // Several procedures behind one fit (a clipped window): each has its own history; the one
    // with the most of it speaks for the fit, so the choice does not favour the shortest history.
    if (best.searches === 1 || pooled.rows > best.rows) best = pooled;
  }
  return best;
}
