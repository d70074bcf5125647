import { WriteStream, createWriteStream, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';

export interface RotationPolicy {
  /** Rotate once the file would grow past this many bytes. */
  maxBytes: number;
  /** Rotated files kept: file.1 (newest) .. file.K; older ones are deleted. */
  keep: number;
}

const NO_ROTATION: RotationPolicy = { maxBytes: Number.POSITIVE_INFINITY, keep: 0 };

/** The log and its rotated files, newest first: file, file.1, file.2, ... */
export function rotatedFiles(file: string, keep: number): string[] {
  return [file, ...Array.from({ length: keep }, (_, i) => `${file}.${i + 1}`)];
}

/**
 * An append-only JSON-lines file with size-based rotation. Appends are buffered by the stream and
 * written in batches (writev), so the request path never waits on the disk; `close()` flushes
 * everything. Each record is one write of one whole line, so no reader sees half a record from us.
 * Rotation renames the file while its old stream may still be writing: pending writes go to the
 * renamed file through the open descriptor, so nothing is lost or interleaved.
 */
export class AppendOnlyLog {
  private stream: WriteStream | null = null;
  private bytes = 0;

  constructor(
    readonly file: string,
    private readonly rotation: RotationPolicy = NO_ROTATION,
  ) {}

  open(): void {
    if (this.stream) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    // Open the descriptor now (createWriteStream alone opens it later, by path): a rotation
    // renames the file, and the old stream's pending writes must follow the descriptor.
    const fd = openSync(this.file, 'a');
    this.bytes = fstatSync(fd).size;
    this.stream = createWriteStream(this.file, { fd, flags: 'a' });
    this.stream.on('error', (err) => {
      // Losing the log must be loud, but must not take the service down with it.
      process.stderr.write(`cannot write ${this.file}: ${err.message}\n`);
    });
  }

  append(record: unknown): void {
    const line = `${JSON.stringify(record)}\n`;
    if (!this.stream) this.open();
    const size = Buffer.byteLength(line);
    if (this.bytes > 0 && this.bytes + size > this.rotation.maxBytes) this.rotate();
    this.stream!.write(line);
    this.bytes += size;
  }

  private rotate(): void {
    this.stream!.end();
    this.stream = null;
    const files = rotatedFiles(this.file, this.rotation.keep);
    if (this.rotation.keep === 0) {
      rmSync(this.file, { force: true });
    } else {
      rmSync(files[files.length - 1], { force: true });
      for (let i = files.length - 2; i >= 0; i--) {
        if (existsSync(files[i])) renameSync(files[i], files[i + 1]);
      }
    }
    this.open();
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
