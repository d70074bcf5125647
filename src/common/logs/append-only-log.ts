import { WriteStream, createWriteStream, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
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
 * The lines, each followed by a newline, as UTF-8: measured, then encoded one by one into a buffer
 * of exactly that size, which is cheaper than joining them into one more string and encoding that
 * (and than a worst-case-sized buffer, whose external memory makes V8 collect more often).
 */
export function encodeLines(lines: readonly string[]): Buffer {
  let size = 0;
  for (const line of lines) size += Buffer.byteLength(line) + 1;
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const line of lines) {
    offset += bytes.write(line, offset);
    bytes[offset++] = 0x0a;
  }
  return bytes;
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
    const fd = openSync(this.file, 'a+');
    const size = fstatSync(fd).size;
    const stream = createWriteStream(this.file, { fd, flags: 'a' });
    stream.on('error', (err) => {
      // Losing the log must be loud, but must not take the service down with it; the next
      // append opens the file afresh, so logging resumes once the disk has room again.
      this.complain(err);
      if (this.stream === stream) this.stream = null;
    });
    this.stream = stream;
    this.bytes = size;
    // A write cut short (a full disk, a crash) leaves half a line: start on a line of our own.
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) {
        stream.write('\n');
        this.bytes += 1;
      }
    }
  }

  private lastComplaint = 0;

  /** One line on stderr, at most every 10 s, for a log that cannot be written. */
  private complain(err: Error): void {
    if (Date.now() - this.lastComplaint < 10_000) return;
    this.lastComplaint = Date.now();
    process.stderr.write(`cannot write ${this.file}: ${err.message}\n`);
  }

  append(record: unknown): void {
    this.appendLine(JSON.stringify(record));
  }

  /** Appends one record already serialised as a line of JSON (without its newline). */
  appendLine(json: string): void {
    // Encoded once: the byte count for rotation and the bytes the stream writes.
    this.write(Buffer.from(`${json}\n`));
  }

  /**
   * Appends whole lines already encoded (each ending with a newline) in one write, or line by
   * line when the chunk would cross the rotation size, so rotation still happens between lines.
   */
  appendEncodedLines(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.bytes + chunk.length <= this.rotation.maxBytes) {
      this.write(chunk);
      return;
    }
    for (let start = 0; start < chunk.length;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline === -1 ? chunk.length : newline + 1;
      this.write(chunk.subarray(start, end));
      start = end;
    }
  }

  private write(bytes: Buffer): void {
    try {
      if (!this.stream) this.open();
      if (this.bytes > 0 && this.bytes + bytes.length > this.rotation.maxBytes) this.rotate();
    } catch (err) {
      // The folder is gone or not a folder, the disk is read-only: the prediction was still
      // served; say so loudly and try again on the next append.
      this.complain(err as Error);
      this.stream = null;
      return;
    }
    this.stream!.write(bytes);
    this.bytes += bytes.length;
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
