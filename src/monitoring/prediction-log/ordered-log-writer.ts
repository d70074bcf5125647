import { AppendOnlyLog } from '../../common/logs/append-only-log';

/** What the writer needs of an AppendOnlyLog. */
export type EncodedLinesLog = Pick<AppendOnlyLog, 'file' | 'appendEncodedLines' | 'flush' | 'close'>;

interface Slot {
  bytes: Buffer | null;
}

/**
 * Writes encoded lines to a log in the order they were handed in, though some arrive later (from
 * the encoder thread): lines handed in after a pending batch wait for it, so the log stays in
 * serving order. With nothing pending, a write goes straight through.
 */
export class OrderedLogWriter {
  private readonly queue: Slot[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly log: EncodedLinesLog) {}

  get file(): string {
    return this.log.file;
  }

  /** Whole lines, encoded; for promised ones, `fallback` gives the same bytes if they never come. */
  write(bytes: Buffer): void;
  write(bytes: Buffer | Promise<Buffer>, fallback: () => Buffer): void;
  write(bytes: Buffer | Promise<Buffer>, fallback?: () => Buffer): void {
    if (Buffer.isBuffer(bytes)) {
      if (this.queue.length === 0) this.log.appendEncodedLines(bytes);
      else this.queue.push({ bytes });
      return;
    }
    const slot: Slot = { bytes: null };
    this.queue.push(slot);
    bytes.then(
      (encoded) => {
        slot.bytes = encoded;
        this.drain();
      },
      () => {
        slot.bytes = fallback!();
        this.drain();
      },
    );
  }

  /** Resolves once everything handed in so far is written and handed to the OS. */
  async flush(): Promise<void> {
    if (this.queue.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.log.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.log.close();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0].bytes !== null) this.log.appendEncodedLines(this.queue.shift()!.bytes!);
    if (this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
