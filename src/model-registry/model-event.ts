/** What an event records (see ModelEvent.type). */
export const MODEL_EVENT_TYPES = [
  'trained',
  'promoted',
  'rejected',
  'rolled_back',
  'heal_skipped',
  'heal_failed',
  'watch_passed',
  'held',
  'artifacts_deleted',
] as const;

/** Who decided: the healing loop, a CLI command or an API call. */
export const EVENT_ACTORS = ['auto', 'cli', 'api'] as const;

/** One line of storage/registry/events.jsonl: a decision about models, and why. */
export interface ModelEvent {
  time: string;
  /**
   * held: a change the loop would have made on its own (a promotion, or a watch's rollback) waits
   * for an admin; artifacts_deleted: a rejected challenger's files went (RETAIN_REJECTED).
   */
  type: (typeof MODEL_EVENT_TYPES)[number];
  actor: (typeof EVENT_ACTORS)[number];
  version?: string | null;
  from_version?: string | null;
  to_version?: string | null;
  reason: string;
  /** What set it off (the monitoring verdict and its figures). */
  trigger?: Record<string, unknown>;
  /** The promotion gate's or the watch's scores. */
  gate?: Record<string, unknown>;
}

export type EventActor = ModelEvent['actor'];
