import { Worker } from 'node:worker_threads';

/** What an offload worker is sent and answers (see answerWithBytes). */
export type OffloadRequest<T> = { id: number; payload: T };
export type OffloadReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; error: string };

export interface OffloadOptions {
  /** Jobs of fewer rows are done on the calling thread: a message round trip costs more. */
  minRows: number;
  /** With this many jobs waiting for the worker, do the next ones here: the worker is behind. */
  maxPending: number;
  /** A worker that has not answered a job in this long is taken for stuck: it is stopped, and the job done here. */
  timeoutMs: number;
  /** The worker's script, as workerScript() gives it; asked for on first use (a missing one is a failure then). */
  script: () => { file: string; execArgv: string[] };
  /** What the worker does, for the one warning when it fails ("the log encoder"). */
  what: string;
  /** What happens instead once it has failed ("inference.log lines are written on the request thread"). */
  instead: string;
}

/** One job: the same bytes made by the worker from `pack()`'s payload, or here by `here()`. */
export interface OffloadJob<T> {
  rows: number;
  /** The payload and the buffers to move with it; null when this job cannot be packed. Called only when the job goes to the worker. */
  pack: () => { payload: T; transfer: ArrayBuffer[] } | null;
  here: () => Buffer;
}

interface Waiting {
  resolve: (bytes: Buffer) => void;
  timer: NodeJS.Timeout;
  here: () => Buffer;
}

/**
 * One worker thread that turns payloads into bytes off the request thread (started on first use,
 * and not keeping the process alive). A job is done here instead when it is small, when the
 * worker is behind, and from the moment the worker fails, stalls or is closed: that is said once,
 * and the jobs that were waiting are redone here. So `run` never fails for the worker's sake.
 */
export class OffloadWorker<T> {
  private worker: Worker | null = null;
  private broken: string | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Waiting>();

  constructor(
    private readonly options: OffloadOptions,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  run(job: OffloadJob<T>): Buffer | Promise<Buffer> {
    if (job.rows < this.options.minRows || this.broken !== null || this.pending.size >= this.options.maxPending) return job.here();
    const packed = job.pack();
    const worker = packed ? this.startedWorker() : null;
    if (!packed || !worker) return job.here();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve) => {
      const timer = setTimeout(
        () => this.fail(`${this.options.what} thread did not answer within ${this.options.timeoutMs} ms`),
        this.options.timeoutMs,
      );
      timer.unref();
      this.pending.set(id, { resolve, timer, here: job.here });
      try {
        const request: OffloadRequest<T> = { id, payload: packed.payload };
        worker.postMessage(request, packed.transfer);
      } catch (err) {
        this.fail(`${this.options.what} thread cannot take a job: ${(err as Error).message}`);
      }
    });
  }

  /** Stops the worker; jobs still waiting for it are done here. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = 'closed';
    this.redoPendingHere();
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
    clearTimeout(waiting.timer);
    // A job the worker could not do (it says why) is done here; the worker stays in use.
    waiting.resolve(reply.ok ? Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength) : waiting.here());
  }

  private fail(reason: string): void {
    if (this.broken !== null) return;
    this.broken = reason;
    const worker = this.worker;
    this.worker = null;
    this.warn(`${reason}; ${this.options.instead}`);
    this.redoPendingHere();
    void worker?.terminate();
  }

  private redoPendingHere(): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { resolve, timer, here } of waiting) {
      clearTimeout(timer);
      resolve(here());
    }
  }
}
