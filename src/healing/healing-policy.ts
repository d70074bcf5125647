import { ModelEvent } from '../model-registry/model-event';
import { WatchState } from '../model-registry/registry-state';
import { HistoryItem } from '../predictions/prediction-history';

/**
 * The healing loop's decisions that need no I/O: whether to heal, what counts as new evidence,
 * which watch rows are ready, when a skip is worth recording. The service runs them.
 */

/** Why a run should not train a challenger now, or null when it should. */
export function reasonNotToHeal(status: string, newLabels: number, minLabels: number): string | null {
  if (status !== 'drifting' && status !== 'degraded') return `monitoring says ${status}: nothing to heal`;
  if (newLabels < minLabels) {
    return `${status}, but only ${newLabels} labelled predictions are new since the last run (HEAL_MIN_LABELS is ${minLabels})`;
  }
  return null;
}

/** Labelled predictions served after `since` (all of them when null), in serving order. */
export function labelledAfter(labelled: readonly HistoryItem[], since: string | null): HistoryItem[] {
  return since === null ? [...labelled] : labelled.filter((item) => item.entry.timestamp > since);
}

/**
 * Skips are recorded when their reason changes, not on every tick of the loop: the key ignores
 * the counts in the reason, so "only 3 new" and "only 4 new" are one skip.
 */
export function skipKey(status: string, reason: string): string {
  return `${status}|${reason.replace(/\d+/g, '#')}`;
}

/** Events that end a run that considered labels, recording how far (trigger.labels_until). */
const CONSIDERING_EVENTS: ReadonlySet<ModelEvent['type']> = new Set(['promoted', 'rejected', 'heal_failed']);

/**
 * Where the last run stopped considering labels, recovered from the audit trail after a restart:
 * the `labels_until` of the newest event of a run that trained (or tried to). Undefined when no
 * such event exists (every label is new).
 */
export function labelsConsideredUntil(events: readonly ModelEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (CONSIDERING_EVENTS.has(event.type) && event.trigger) {
      const until = event.trigger.labels_until;
      return typeof until === 'string' ? until : null;
    }
  }
  return null;
}

export type WatchEvidence = { ready: false; reason: string } | { ready: true; rows: HistoryItem[] };

/**
 * The rows a watch judges: the first `labels_needed` labelled predictions the new champion served
 * since its promotion. Not ready until there are that many and both outcomes occur among them
 * (ROC-AUC needs both).
 */
export function watchEvidence(watch: WatchState, labelled: readonly HistoryItem[]): WatchEvidence {
  const rows = labelled
    .filter((item) => item.entry.model_version === watch.champion && item.entry.timestamp >= watch.started_at)
    .slice(0, watch.labels_needed);
  const positives = rows.reduce((sum, item) => sum + item.actual!, 0);
  if (rows.length < watch.labels_needed || positives === 0 || positives === rows.length) {
    return { ready: false, reason: `watching ${watch.champion}: ${rows.length} of ${watch.labels_needed} labelled predictions` };
  }
  return { ready: true, rows };
}
