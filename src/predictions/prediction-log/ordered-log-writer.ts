import { AppendOnlyLog } from '../../common/logs/append-only-log';

/** What the writer needs of an AppendOnlyLog. */
export type EncodedLinesLog = Pick<AppendOnlyLog, 'file' | 'appendEncodedLines' | 'flush' | 'close'>;

interface Slot {
  bytes: Buffer | null;
  /** Settles once this slot's lines are written (or their write failed). */
  written: Promise<void>;
  settle: (result: Promise<void>) => void;
}

/**
 * Writes encoded lines to a log in the order they were handed in, though some arrive later (from
 * the encoder thread): lines handed in after a pending batch wait for it, so the log stays in
 * serving order. With nothing pending, a write goes straight through. Each write resolves once
 * its lines are written, and rejects when they could not be.
 */
export class OrderedLogWriter {
  private readonly queue: Slot[] = [];

  constructor(
    private readonly log: EncodedLinesLog,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  get file(): string {
    return this.log.file;
  }

  /** Whole lines, encoded, now or later (the promise of them must not reject: see OffloadWorker). */
  write(bytes: Buffer | Promise<Buffer>): Promise<void> {
    if (Buffer.isBuffer(bytes) && this.queue.length === 0) return this.log.appendEncodedLines(bytes);
    const slot = this.slot(Buffer.isBuffer(bytes) ? bytes : null);
    this.queue.push(slot);
    if (!Buffer.isBuffer(bytes)) {
      bytes.then(
        (encoded) => {
          slot.bytes = encoded;
          this.drain();
        },
        (err: Error) => {
          // Not expected (encoders fall back on their own); never let one batch stop the log.
          this.warn(`${this.log.file}: a batch's lines were lost: ${err.message}`);
          slot.settle(Promise.reject(err)); // first: the drain below settles it no more
          slot.bytes = Buffer.alloc(0);
          this.drain();
        },
      );
    }
    return slot.written;
  }

  /** Resolves once everything handed in before the call is written or has failed (never rejects). */
  async flush(): Promise<void> {
    const last = this.queue[this.queue.length - 1];
    if (last) await last.written.catch(() => undefined);
    await this.log.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.log.close();
  }

  private slot(bytes: Buffer | null): Slot {
    let settle!: (result: Promise<void>) => void;
    const written = new Promise<void>((resolve) => (settle = resolve));
    return { bytes, written, settle };
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0].bytes !== null) {
      const slot = this.queue.shift()!;
      // Appended in queue order: the log writes its appends in the order it is given them.
      slot.settle(this.log.appendEncodedLines(slot.bytes!));
    }
  }
}
