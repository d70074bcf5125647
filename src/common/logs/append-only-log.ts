import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writev } from 'node:fs';
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

/** A failed write: the lines it carried may be missing from the log (or cut short). */
export class LogWriteError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    cause: Error,
  ) {
    super(`cannot write ${file}: ${cause.message}`, { cause });
    this.name = 'LogWriteError';
  }
}

interface Pending {
  bytes: Buffer;
  resolve: () => void;
  reject: (err: LogWriteError) => void;
}

/**
 * An append-only JSON-lines file with size-based rotation, whose appends resolve once their lines
 * are handed to the operating system (written, not fsynced): a caller that waits for it before it
 * confirms anything loses nothing when the process is killed afterwards.
 *
 * Group commit: appends made while a write is in flight, or in the same event-loop turn, go out
 * together in one writev, so many concurrent requests cost one system call rather than one each.
 * One write is in flight at a time, so lines land in the order they were appended, and rotation
 * happens between writes, between two lines. A failed write rejects the appends it carried (and
 * is said on stderr, at most every 10 s); the next append opens the file afresh, so logging
 * resumes once the disk has room again.
 */
export class AppendOnlyLog {
  private fd: number | null = null;
  private bytes = 0;
  private pending: Pending[] = [];
  private writing = false;
  private scheduled = false;
  private idle: Array<() => void> = [];
  private failure: LogWriteError | null = null;
  private lastComplaint = 0;
  /** The file opened ends in half a line: the next write starts with a newline. */
  private cutShort = false;

  constructor(
    readonly file: string,
    private readonly rotation: RotationPolicy = NO_ROTATION,
  ) {}

  /** Why the last write failed, or null when it succeeded (or none was made yet). */
  get lastFailure(): LogWriteError | null {
    return this.failure;
  }

  /** Appends one record as a line of JSON. */
  append(record: unknown): Promise<void> {
    return this.appendLine(JSON.stringify(record));
  }

  /** Appends one record already serialised as a line of JSON (without its newline). */
  appendLine(json: string): Promise<void> {
    return this.appendEncodedLines(Buffer.from(`${json}\n`));
  }

  /** Appends whole lines already encoded (each ending with a newline); resolves once they are written. */
  appendEncodedLines(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ bytes: chunk, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything appended so far has been written or has failed (never rejects). */
  flush(): Promise<void> {
    if (!this.writing && !this.scheduled && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // The rest of this turn's appends join the group.
    setImmediate(() => {
      this.scheduled = false;
      void this.writeGroup();
    });
  }

  private async writeGroup(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    this.writing = true;
    try {
      await this.writeAll(group.map((p) => p.bytes));
      this.failure = null;
      for (const p of group) p.resolve();
    } catch (err) {
      const failure = this.asWriteError(err as NodeJS.ErrnoException);
      this.failure = failure;
      this.complain(failure);
      this.closeQuietly();
      for (const p of group) p.reject(failure);
    } finally {
      this.writing = false;
    }
    if (this.pending.length > 0) {
      void this.writeGroup();
      return;
    }
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }

  /** Writes the chunks in order, rotating between two lines whenever the file would pass its size. */
  private async writeAll(chunks: Buffer[]): Promise<void> {
    // A file deleted or moved away under us (its folder removed, another process rotating it)
    // would swallow the lines: open it again by its path.
    if (this.fd !== null && fstatSync(this.fd).nlink === 0) this.closeQuietly();
    this.open();
    let batch: Buffer[] = [];
    let batchBytes = 0;
    if (this.cutShort) {
      batch.push(Buffer.from('\n'));
      batchBytes = 1;
      this.cutShort = false;
    }
    const max = this.rotation.maxBytes;
    for (const chunk of chunks) {
      if (this.bytes + batchBytes + chunk.length <= max) {
        batch.push(chunk);
        batchBytes += chunk.length;
        continue;
      }
      for (const line of splitLines(chunk)) {
        if (this.bytes + batchBytes > 0 && this.bytes + batchBytes + line.length > max) {
          await this.writeFully(batch);
          batch = [];
          batchBytes = 0;
          this.rotate();
        }
        batch.push(line);
        batchBytes += line.length;
      }
    }
    await this.writeFully(batch);
  }

  /** One writev of the buffers, continued until every byte is written. */
  private async writeFully(buffers: Buffer[]): Promise<void> {
    let rest = buffers;
    while (rest.length > 0) {
      const fd = this.fd!;
      const written = await new Promise<number>((resolve, reject) =>
        writev(fd, rest, (err, bytesWritten) => (err ? reject(err) : resolve(bytesWritten))),
      );
      this.bytes += written;
      rest = dropBytes(rest, written);
    }
  }

  private open(): void {
    if (this.fd !== null) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const fd = openSync(this.file, 'a+');
    try {
      const size = fstatSync(fd).size;
      this.bytes = size;
      // A write cut short (a full disk, a crash) leaves half a line: start on a line of our own.
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, size - 1);
        this.cutShort = last[0] !== 0x0a;
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }

  private rotate(): void {
    this.closeQuietly();
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

  private closeQuietly(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // already unusable: the next write opens the file afresh
    }
    this.fd = null;
  }

  private asWriteError(err: NodeJS.ErrnoException): LogWriteError {
    return err instanceof LogWriteError ? err : new LogWriteError(this.file, err.code ?? 'EIO', err);
  }

  /** One line on stderr, at most every 10 s, for a log that cannot be written. */
  private complain(err: LogWriteError): void {
    if (Date.now() - this.lastComplaint < 10_000) return;
    this.lastComplaint = Date.now();
    process.stderr.write(`${err.message}\n`);
  }
}

/** The lines of a chunk of whole lines, as views of it. */
function splitLines(chunk: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  for (let start = 0; start < chunk.length;) {
    const newline = chunk.indexOf(0x0a, start);
    const end = newline === -1 ? chunk.length : newline + 1;
    lines.push(chunk.subarray(start, end));
    start = end;
  }
  return lines;
}

/** The buffers without their first `count` bytes. */
function dropBytes(buffers: Buffer[], count: number): Buffer[] {
  let i = 0;
  let left = count;
  while (i < buffers.length && left >= buffers[i].length) left -= buffers[i++].length;
  if (i === buffers.length) return [];
  return [buffers[i].subarray(left), ...buffers.slice(i + 1)];
}
