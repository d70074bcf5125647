import { PredictionLogEntry } from './prediction-log-entry';

/** A served prediction and, once it arrives, its outcome. */
export interface HistoryItem {
  entry: PredictionLogEntry;
  /** 1 = "yes", 0 = "no", null = no feedback yet. */
  actual: 0 | 1 | null;
  /** Position in serving order since start-up (0-based): later items have larger numbers. */
  sequence: number;
}

export type LabelOutcome = 'recorded' | 'unknown' | 'duplicate';

/**
 * The most recent predictions and their outcomes, in a fixed-size ring. Feeding it as
 * predictions are served keeps every monitoring report O(window), whatever the log's size;
 * request ids index into it for feedback.
 */
export class PredictionHistory {
  private readonly items: Array<HistoryItem | undefined>;
  private readonly byId = new Map<string, HistoryItem>();
  private next = 0;
  private labelled = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('history capacity must be a positive integer');
    this.items = new Array(capacity);
  }

  /** Predictions held (at most `capacity`). */
  get size(): number {
    return Math.min(this.next, this.capacity);
  }

  /** Outcomes recorded since start-up (including ones since evicted). */
  get labelledCount(): number {
    return this.labelled;
  }

  /** Everything ever added since start-up, including evicted items. */
  get totalAdded(): number {
    return this.next;
  }

  add(entry: PredictionLogEntry): HistoryItem {
    const slot = this.next % this.capacity;
    const evicted = this.items[slot];
    if (evicted && this.byId.get(evicted.entry.request_id) === evicted) this.byId.delete(evicted.entry.request_id);
    const item: HistoryItem = { entry, actual: null, sequence: this.next++ };
    this.items[slot] = item;
    this.byId.set(entry.request_id, item);
    return item;
  }

  get(requestId: string): HistoryItem | undefined {
    return this.byId.get(requestId);
  }

  /** Records an outcome: 'unknown' when the id is not held, 'duplicate' when it has one already. */
  label(requestId: string, actual: 0 | 1): LabelOutcome {
    const item = this.byId.get(requestId);
    if (!item) return 'unknown';
    if (item.actual !== null) return 'duplicate';
    item.actual = actual;
    this.labelled++;
    return 'recorded';
  }

  /** The last `n` predictions, oldest first. */
  latest(n: number): HistoryItem[] {
    const count = Math.min(n, this.size);
    const out = new Array<HistoryItem>(count);
    for (let k = 0; k < count; k++) out[k] = this.items[(this.next - count + k) % this.capacity]!;
    return out;
  }

  /** The last `n` predictions that have an outcome, oldest first, optionally after a sequence. */
  latestLabelled(n: number, afterSequence = -1): HistoryItem[] {
    const out: HistoryItem[] = [];
    for (let k = 1; k <= this.size && out.length < n; k++) {
      const item = this.items[(this.next - k) % this.capacity]!;
      if (item.sequence <= afterSequence) break;
      if (item.actual !== null) out.push(item);
    }
    return out.reverse();
  }

  /** Predictions served within [from, to] (ISO timestamps compare as strings), oldest first. */
  between(from: string | null, to: string | null): HistoryItem[] {
    return this.latest(this.size).filter(
      (item) => (from === null || item.entry.timestamp >= from) && (to === null || item.entry.timestamp <= to),
    );
  }
}
