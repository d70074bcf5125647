import { WriteStream, createWriteStream, mkdirSync } from 'node:fs';
import * as path from 'node:path';

/**
 * An append-only JSON-lines file. Appends are buffered by the stream and written in batches
 * (writev), so the request path never waits on the disk; `close()` flushes everything.
 * Each line is written whole by one append, so a reader never sees half a record from us.
 */
export class AppendOnlyLog {
  private stream: WriteStream | null = null;

  constructor(readonly file: string) {}

  open(): void {
    if (this.stream) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.stream = createWriteStream(this.file, { flags: 'a' });
    this.stream.on('error', (err) => {
      // Losing the log must be loud, but must not take the service down with it.
      process.stderr.write(`cannot write ${this.file}: ${err.message}\n`);
    });
  }

  append(record: unknown): void {
    if (!this.stream) this.open();
    this.stream!.write(`${JSON.stringify(record)}\n`);
  }

  /** Resolves once everything appended so far is handed to the OS. */
  flush(): Promise<void> {
    const stream = this.stream;
    if (!stream || stream.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => stream.write('', () => resolve()));
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (!stream) return;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}
