import { AppendOnlyLog } from '../../common/logs/append-only-log';

/** What the writer needs of an AppendOnlyLog. */
export type EncodedLinesLog = Pick<AppendOnlyLog, 'file' | 'appendEncodedLines' | 'flush' | 'close'>;

interface Slot {
  bytes: Buffer | null;
  /** Resolves once this slot's lines are handed to the log. */
  written: Promise<void>;
  markWritten: () => void;
}

/**
 * Writes encoded lines to a log in the order they were handed in, though some arrive later (from
 * the encoder thread): lines handed in after a pending batch wait for it, so the log stays in
 * serving order. With nothing pending, a write goes straight through.
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

  /** Whole lines, encoded, now or later (the promise must not reject: see OffloadWorker). */
  write(bytes: Buffer | Promise<Buffer>): void {
    if (Buffer.isBuffer(bytes) && this.queue.length === 0) {
      this.log.appendEncodedLines(bytes);
      return;
    }
    const slot = this.slot(Buffer.isBuffer(bytes) ? bytes : null);
    this.queue.push(slot);
    if (Buffer.isBuffer(bytes)) return;
    bytes.then(
      (encoded) => {
        slot.bytes = encoded;
        this.drain();
      },
      (err: Error) => {
        // Not expected (encoders fall back on their own); never let one batch stop the log.
        this.warn(`${this.log.file}: a batch's lines were lost: ${err.message}`);
        slot.bytes = Buffer.alloc(0);
        this.drain();
      },
    );
  }

  /** Resolves once everything handed in before the call is written and handed to the OS. */
  async flush(): Promise<void> {
    const last = this.queue[this.queue.length - 1];
    if (last) await last.written;
    await this.log.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.log.close();
  }

  private slot(bytes: Buffer | null): Slot {
    let markWritten!: () => void;
    const written = new Promise<void>((resolve) => (markWritten = resolve));
    return { bytes, written, markWritten };
  }

  private drain(): void {
    while (this.queue.length > 0 && this.queue[0].bytes !== null) {
      const slot = this.queue.shift()!;
      this.log.appendEncodedLines(slot.bytes!);
      slot.markWritten();
    }
  }
}
