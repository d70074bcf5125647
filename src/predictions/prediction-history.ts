import { PredictionLogEntry } from './prediction-log-entry';

/** A served prediction and, when it was read, its outcome (a snapshot: a later label is not seen). */
export interface HistoryItem {
  entry: PredictionLogEntry;
  /** 1 = "yes", 0 = "no", null = no feedback yet. */
  actual: 0 | 1 | null;
  /** Position in serving order since start-up (0-based): later items have larger numbers. */
  sequence: number;
  /** The outcome came from anonymous feedback (no token): it may not change the model on its own. */
  anonymous: boolean;
}

export type LabelOutcome = 'recorded' | 'unknown' | 'duplicate';

const NO_OUTCOME = -1;

/** Consecutive predictions whose request ids are `<batchId>-0` .. `<batchId>-<count-1>`. */
interface BatchRun {
  first: number;
  count: number;
}

/**
 * The most recent predictions and their outcomes, in a fixed-size ring. Feeding it as
 * predictions are served keeps every monitoring report O(window), whatever the log's size;
 * request ids index into it for feedback.
 *
 * Built for the /predict/batch hot path: the ring holds the entries and a byte per outcome (no
 * object per item), and a batch is indexed once by its id rather than once per row, so adding
 * 1,000 rows costs 1,000 array stores and one map entry.
 */
export class PredictionHistory {
  private readonly entries: Array<PredictionLogEntry | undefined>;
  /** Outcome per slot: 1, 0, or NO_OUTCOME. */
  private readonly outcomes: Int8Array;
  /** 1 where the slot's outcome came from anonymous feedback. */
  private readonly anonymous: Uint8Array;
  /** Request id -> sequence, for predictions added one by one. */
  private readonly singles = new Map<string, number>();
  /** Batch id -> its runs, oldest first (a client may reuse a batch id), for predictions added as a batch. */
  private readonly batches = new Map<string, BatchRun[]>();
  /** Index keys in the order added, to forget them once their predictions are evicted. */
  private readonly keyQueue: Array<{ key: string; batch: BatchRun | null; last: number }> = [];
  private keyQueueHead = 0;
  private next = 0;
  private labelled = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('history capacity must be a positive integer');
    this.entries = new Array(capacity);
    this.outcomes = new Int8Array(capacity).fill(NO_OUTCOME);
    this.anonymous = new Uint8Array(capacity);
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

  /** Adds one prediction, found again by its request id (the newest of that id wins). */
  add(entry: PredictionLogEntry): HistoryItem {
    const sequence = this.store(entry);
    this.singles.set(entry.request_id, sequence);
    this.keyQueue.push({ key: entry.request_id, batch: null, last: sequence });
    this.forgetEvictedKeys();
    return { entry, actual: null, sequence, anonymous: false };
  }

  /**
   * Adds a batch whose row i has request id `<batchId>-<i>`, as PredictionService names them,
   * indexed once by `batchId`.
   */
  addBatch(batchId: string, entries: readonly PredictionLogEntry[]): void {
    if (entries.length === 0) return;
    const run: BatchRun = { first: this.next, count: entries.length };
    for (let i = 0; i < entries.length; i++) this.store(entries[i]);
    const runs = this.batches.get(batchId);
    if (runs) runs.push(run);
    else this.batches.set(batchId, [run]);
    this.keyQueue.push({ key: batchId, batch: run, last: run.first + run.count - 1 });
    this.forgetEvictedKeys();
  }

  get(requestId: string): HistoryItem | undefined {
    const sequence = this.find(requestId);
    if (sequence === undefined) return undefined;
    return this.itemAt(sequence);
  }

  /** Records an outcome: 'unknown' when the id is not held, 'duplicate' when it has one already. */
  label(requestId: string, actual: 0 | 1, anonymous = false): LabelOutcome {
    const sequence = this.find(requestId);
    if (sequence === undefined) return 'unknown';
    const slot = sequence % this.capacity;
    if (this.outcomes[slot] !== NO_OUTCOME) return 'duplicate';
    this.outcomes[slot] = actual;
    this.anonymous[slot] = anonymous ? 1 : 0;
    this.labelled++;
    return 'recorded';
  }

  /** Takes back an outcome just recorded (its write failed), so it can be sent again. */
  unlabel(requestId: string): void {
    const sequence = this.find(requestId);
    if (sequence === undefined) return;
    const slot = sequence % this.capacity;
    if (this.outcomes[slot] === NO_OUTCOME) return;
    this.outcomes[slot] = NO_OUTCOME;
    this.anonymous[slot] = 0;
    this.labelled--;
  }

  /**
   * The first request id of a batch `<batchId>-0` .. `<batchId>-<count-1>` that a held prediction
   * already has, or null: a batch id held as a batch clashes at its row 0 at least.
   */
  heldBatchId(batchId: string, count: number): string | null {
    const oldest = this.next - this.size;
    for (const run of this.batches.get(batchId) ?? []) {
      const firstHeldRow = Math.max(0, oldest - run.first);
      if (firstHeldRow < run.count && firstHeldRow < count) return `${batchId}-${firstHeldRow}`;
    }
    if (this.singles.size === 0) return null;
    // Single predictions named like its rows (a batch's own rows were checked above).
    for (let i = 0; i < count; i++) {
      const id = `${batchId}-${i}`;
      const sequence = this.singles.get(id);
      if (sequence !== undefined && this.isHeld(sequence) && this.entries[sequence % this.capacity]!.request_id === id) return id;
    }
    return null;
  }

  /** The last `n` predictions, oldest first. */
  latest(n: number): HistoryItem[] {
    const count = Math.max(0, Math.min(n, this.size));
    const out = new Array<HistoryItem>(count);
    for (let k = 0; k < count; k++) out[k] = this.itemAt(this.next - count + k);
    return out;
  }

  /** The last `n` predictions that have an outcome, oldest first, optionally after a sequence. */
  latestLabelled(n: number, afterSequence = -1): HistoryItem[] {
    const out: HistoryItem[] = [];
    const oldest = this.next - this.size;
    for (let sequence = this.next - 1; sequence >= oldest && out.length < n; sequence--) {
      if (sequence <= afterSequence) break;
      if (this.outcomes[sequence % this.capacity] !== NO_OUTCOME) out.push(this.itemAt(sequence));
    }
    return out.reverse();
  }

  /** Predictions served within [from, to] (ISO timestamps compare as strings), oldest first. */
  between(from: string | null, to: string | null): HistoryItem[] {
    return this.latest(this.size).filter(
      (item) => (from === null || item.entry.timestamp >= from) && (to === null || item.entry.timestamp <= to),
    );
  }

  private store(entry: PredictionLogEntry): number {
    const sequence = this.next++;
    const slot = sequence % this.capacity;
    this.entries[slot] = entry;
    this.outcomes[slot] = NO_OUTCOME;
    this.anonymous[slot] = 0;
    return sequence;
  }

  private itemAt(sequence: number): HistoryItem {
    const slot = sequence % this.capacity;
    const outcome = this.outcomes[slot];
    return {
      entry: this.entries[slot]!,
      actual: outcome === NO_OUTCOME ? null : (outcome as 0 | 1),
      sequence,
      anonymous: this.anonymous[slot] === 1,
    };
  }

  private isHeld(sequence: number): boolean {
    return sequence >= this.next - this.size && sequence < this.next;
  }

  /** The sequence of the newest held prediction with this request id. */
  private find(requestId: string): number | undefined {
    let found = -1;
    const single = this.singles.get(requestId);
    if (single !== undefined && this.isHeld(single)) found = single;
    const dash = requestId.lastIndexOf('-');
    if (dash > 0 && this.batches.size > 0) {
      const runs = this.batches.get(requestId.slice(0, dash));
      const index = runs ? rowIndex(requestId, dash + 1) : -1;
      // An id could name a single prediction and rows of batches: the newest wins, as it would
      // in one map keyed by id.
      for (let k = (runs?.length ?? 0) - 1; k >= 0 && index >= 0; k--) {
        const run = runs![k];
        if (index < run.count && this.isHeld(run.first + index)) {
          found = Math.max(found, run.first + index);
          break;
        }
      }
    }
    if (found < 0 || this.entries[found % this.capacity]!.request_id !== requestId) return undefined;
    return found;
  }

  /** Drops index keys all of whose predictions are evicted (unless a newer add took the key over). */
  private forgetEvictedKeys(): void {
    const oldest = this.next - this.size;
    while (this.keyQueueHead < this.keyQueue.length && this.keyQueue[this.keyQueueHead].last < oldest) {
      const { key, batch, last } = this.keyQueue[this.keyQueueHead++];
      if (batch === null) {
        if (this.singles.get(key) === last) this.singles.delete(key);
      } else {
        const runs = this.batches.get(key);
        const at = runs ? runs.indexOf(batch) : -1;
        if (at >= 0) runs!.splice(at, 1);
        if (runs && runs.length === 0) this.batches.delete(key);
      }
    }
    // Compact now and then, so the queue stays O(capacity).
    if (this.keyQueueHead > 1024 && this.keyQueueHead * 2 > this.keyQueue.length) {
      this.keyQueue.splice(0, this.keyQueueHead);
      this.keyQueueHead = 0;
    }
  }
}

/** The row index written in decimal from `start` to the end of `id`, or -1 when it is not one. */
function rowIndex(id: string, start: number): number {
  if (start >= id.length || id.length - start > 9) return -1;
  if (id.length - start > 1 && id.charCodeAt(start) === 0x30) return -1; // no leading zeros
  let value = 0;
  for (let i = start; i < id.length; i++) {
    const digit = id.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
