import { Worker } from 'node:worker_threads';

/** What an offload worker is sent and answers (see answerWithBytes). */
export type OffloadRequest<T> = { id: number; payload: T };
export type OffloadReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; error: string };

export interface OffloadOptions {
  /** With this many requests waiting for the worker, `send` declines: the worker is behind. */
  maxPending: number;
  /** The worker's script, as workerScript() gives it; asked for on first use (a missing one is a failure then). */
  script: () => { file: string; execArgv: string[] };
  /** What the worker does, for the one warning when it fails ("the log encoder"). */
  what: string;
  /** What happens instead once it has failed ("inference.log lines are written on the request thread"). */
  instead: string;
}

/**
 * One worker thread that turns payloads into bytes off the request thread (started on first use,
 * and not keeping the process alive). `send` returns null when the caller should do the work
 * itself: the worker is behind, closed, or has failed. A failure is said once, and rejects what
 * was waiting, so the caller can redo it.
 */
export class OffloadWorker<T> {
  private worker: Worker | null = null;
  private broken: string | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (bytes: Buffer) => void; reject: (err: Error) => void }>();

  constructor(
    private readonly options: OffloadOptions,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  send(payload: T, transfer: () => ArrayBuffer[]): Promise<Buffer> | null {
    if (this.broken !== null || this.pending.size >= this.options.maxPending) return null;
    const worker = this.startedWorker();
    if (!worker) return null;
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: OffloadRequest<T> = { id, payload };
      worker.postMessage(request, transfer());
    });
  }

  /** Stops the worker; requests still waiting are rejected (their callers redo them). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = 'closed';
    this.failPending(new Error(`${this.options.what} was closed`));
    if (worker) await worker.terminate();
  }

  private startedWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const { file, execArgv } = this.options.script();
      const worker = new Worker(file, { execArgv });
      worker.unref();
      worker.on('message', (reply: OffloadReply) => this.settle(reply));
      worker.once('error', (err) => this.fail(`${this.options.what} thread failed: ${err.message}`));
      worker.once('exit', (code) => this.fail(`${this.options.what} thread exited with code ${code}`));
      this.worker = worker;
      return worker;
    } catch (err) {
      this.fail(`${this.options.what} thread cannot start: ${(err as Error).message}`);
      return null;
    }
  }

  private settle(reply: OffloadReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
    else waiting.reject(new Error(reply.error));
  }

  private fail(reason: string): void {
    if (this.broken !== null) return;
    this.broken = reason;
    this.worker = null;
    this.warn(`${reason}; ${this.options.instead}`);
    this.failPending(new Error(reason));
  }

  private failPending(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
