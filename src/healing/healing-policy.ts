import { ModelEvent } from '../model-registry/model-event';
import { WatchState } from '../model-registry/registry-state';
import { HistoryItem } from '../predictions/prediction-history';

/**
 * The healing loop's decisions that need no I/O: whether to heal, what counts as new evidence,
 * which watch rows are ready, when a skip is worth recording. The service runs them.
 */

/**
 * Why a run should not train a challenger now, or null when it should. Two needs start one:
 * - monitoring saw change (drifting or degraded) and HEAL_MIN_LABELS outcomes are new;
 * - a scheduled refresh: HEAL_REFRESH_LABELS outcomes are new (0: never), whatever monitoring
 *   says. Monitoring judges the champion against its own baseline, so a model whose baseline is
 *   itself poor (a balanced fit's P(yes) far from the base rate), or whose loss of ranking the
 *   drift tests cannot see, is "healthy" for ever; new labels are new evidence either way. The
 *   refresh is gated like any challenger: it is promoted only when not shown worse.
 */
export function reasonNotToHeal(status: string, newLabels: number, minLabels: number, refreshLabels = 0): string | null {
  if (refreshLabels > 0 && newLabels >= refreshLabels && newLabels >= minLabels) return null;
  if (status !== 'drifting' && status !== 'degraded') {
    if (refreshLabels === 0) return `monitoring says ${status}: nothing to heal`;
    return `monitoring says ${status}: nothing to heal before a refresh (${newLabels} labelled predictions are new since the last run, HEAL_REFRESH_LABELS is ${refreshLabels})`;
  }
  if (newLabels < minLabels) {
    return `${status}, but only ${newLabels} labelled predictions are new since the last run (HEAL_MIN_LABELS is ${minLabels})`;
  }
  return null;
}

/** Whether a run that trains does so as a scheduled refresh (monitoring saw no change) or to heal one. */
export function healNeed(status: string): 'heal' | 'refresh' {
  return status === 'drifting' || status === 'degraded' ? 'heal' : 'refresh';
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
const CONSIDERING_EVENTS: ReadonlySet<ModelEvent['type']> = new Set(['promoted', 'rejected', 'held', 'heal_failed']);

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
 * The rows a watch judges: the labelled predictions the new champion served since its promotion,
 * oldest first, as many as it takes to have `labels_needed` rows and the minimum of each outcome
 * (a watch whose first rows hold one outcome only waits for more, rather than never settling).
 */
export function watchEvidence(
  watch: WatchState,
  labelled: readonly HistoryItem[],
  minimum: { positives: number; negatives: number },
): WatchEvidence {
  const served = labelled.filter((item) => item.entry.model_version === watch.champion && item.entry.timestamp >= watch.started_at);
  let positives = 0;
  for (let n = 0; n < served.length; n++) {
    positives += served[n].actual!;
    const negatives = n + 1 - positives;
    if (n + 1 >= watch.labels_needed && positives >= minimum.positives && negatives >= minimum.negatives) {
      return { ready: true, rows: served.slice(0, n + 1) };
    }
  }
  const negatives = served.length - positives;
  return {
    ready: false,
    reason:
      `watching ${watch.champion}: ${served.length} of ${watch.labels_needed} labelled predictions` +
      ` (${positives} yes, ${negatives} no; at least ${minimum.positives} and ${minimum.negatives} needed)`,
  };
}

/** Whether a holdout holds enough of each outcome for the gate to decide anything. */
export function holdoutShortfall(labels: ArrayLike<number>, minimum: { positives: number; negatives: number }): string | null {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const negatives = labels.length - positives;
  if (positives >= minimum.positives && negatives >= minimum.negatives) return null;
  return (
    `the holdout of the newest labels holds ${positives} yes and ${negatives} no, fewer than` +
    ` HEAL_MIN_POSITIVES (${minimum.positives}) or HEAL_MIN_NEGATIVES (${minimum.negatives}): waiting for more labels`
  );
}

/** What decides whether a model change the loop would make on its own waits for an admin instead. */
export interface HoldEvidence {
  /** Labelled predictions the decision rests on, and how many of their outcomes came from anonymous feedback. */
  labels: number;
  anonymousLabels: number;
  /** The champion's live ROC-AUC over the performance window (null: too few labels), and its validation one. */
  liveRocAuc: number | null;
  baselineRocAuc: number;
  /** Whether monitoring saw the inputs move: a drifted feature, or dataset (or prediction) drift. */
  inputsDrifted: boolean;
}

/** ROC-AUC of a model that ranks no better than a coin. */
const CHANCE_ROC_AUC = 0.5;

/**
 * Why a promotion or rollback the loop would make on its own must wait for an admin, or null
 * when it may go ahead:
 * - outcomes from anonymous feedback: anyone could have sent them (no FEEDBACK_TOKEN), so they may
 *   teach, but a person decides what serves;
 * - a collapse without drift: the champion now ranks below chance, or far below its baseline
 *   (`maxAucDrop`), while its inputs look as they did. Real change moves the inputs too (the
 *   replay's crisis does); outcomes that turn against an unchanged world are more likely
 *   poisoned or broken (flipped labels, a join on the wrong key) than a new world.
 */
export function reasonToHold(evidence: HoldEvidence, maxAucDrop: number): string | null {
  const reasons: string[] = [];
  if (evidence.anonymousLabels > 0) {
    reasons.push(
      `${evidence.anonymousLabels} of the ${evidence.labels} outcomes it rests on came from anonymous feedback (no FEEDBACK_TOKEN)`,
    );
  }
  const live = evidence.liveRocAuc;
  if (live !== null && !evidence.inputsDrifted) {
    const drop = evidence.baselineRocAuc - live;
    if (live < CHANCE_ROC_AUC || drop > maxAucDrop) {
      const how =
        live < CHANCE_ROC_AUC ? 'below chance (0.5)' : `${drop.toFixed(4)} below its baseline ${evidence.baselineRocAuc.toFixed(4)}`;
      reasons.push(
        `the champion's live ROC-AUC ${live.toFixed(4)} is ${how} while its inputs have not drifted: the outcomes may be poisoned or broken`,
      );
    }
  }
  return reasons.length > 0 ? `held for an admin: ${reasons.join('; ')}` : null;
}
