/** One line of storage/registry/events.jsonl: a decision about models, and why. */
export interface ModelEvent {
  time: string;
  type: 'trained' | 'promoted' | 'rejected' | 'rolled_back' | 'heal_skipped' | 'heal_failed' | 'watch_passed';
  /** Who decided: the healing loop, a CLI command or an API call. */
  actor: 'auto' | 'cli' | 'api';
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
