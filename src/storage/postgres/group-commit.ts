/** One caller's share of a group: its rows, and how it learns its fate. */
interface Waiting<T> {
  rows: readonly T[];
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * What a write of a group says of each request: null when its rows are committed, or the error
 * that request gets (a clash of ids); throwing fails every request of the group.
 */
export type GroupWrite<T> = (requests: ReadonlyArray<readonly T[]>) => Promise<Array<Error | null>>;

/** Refused at once: more rows wait for the database than DATABASE_MAX_PENDING_ROWS. */
export class QueueFull extends Error {
  readonly name = 'QueueFull';
}

/**
 * Group commit: requests that arrive while a write is under way wait and go together in the next
 * one (one transaction, one round trip per group), so throughput grows with load while each
 * request still resolves only once its own rows are committed. At most `maxPendingRows` rows
 * wait; beyond that a request is refused at once (QueueFull), never dropped silently.
 */
export class GroupCommit<T> {
  private queue: Array<Waiting<T>> = [];
  private queuedRows = 0;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly write: GroupWrite<T>,
    private readonly maxPendingRows: number,
  ) {}

  /** Rows waiting or being written. */
  get pending(): number {
    return this.queuedRows;
  }

  /** Resolves once `rows` are committed; rejects with the request's own error or the group's. */
  submit(rows: readonly T[]): Promise<void> {
    if (this.queuedRows + rows.length > this.maxPendingRows && this.queuedRows > 0) {
      return Promise.reject(new QueueFull(`${this.queuedRows} rows already wait for the database (DATABASE_MAX_PENDING_ROWS ${this.maxPendingRows})`));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      this.queuedRows += rows.length;
      if (!this.writing) this.writing = this.drain();
    });
  }

  /** Resolves once nothing waits. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the requests of this turn of the event loop join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      try {
        const results = await this.write(group.map((w) => w.rows));
        group.forEach((w, i) => (results[i] ? w.reject(results[i]!) : w.resolve()));
      } catch (err) {
        for (const w of group) w.reject(err as Error);
      } finally {
        for (const w of group) this.queuedRows -= w.rows.length;
      }
    }
    this.writing = null;
  }
}
