import { Worker } from 'node:worker_threads';
import { encodeLines } from '../../common/logs/append-only-log';
import { workerScript } from '../../common/worker-script';
import { PredictionLogEntry } from '../prediction-log-entry';
import type { EncoderReply, EncoderRequest } from './log-encoder.worker';
import { packBatch, transferList } from './packed-batch';
import { predictionLogLine } from './prediction-log-line';

export interface BatchLineEncoderOptions {
  /** Smaller batches are encoded on the calling thread: a message round trip costs more. */
  minRows: number;
  /** With this many batches waiting for the worker, encode here: the worker is behind. */
  maxPending: number;
  /** The worker's script (by default log-encoder.worker beside this file). */
  script?: { file: string; execArgv: string[] };
}

const DEFAULTS: BatchLineEncoderOptions = { minRows: 64, maxPending: 16 };

/** The inference.log bytes of predictions, written on this thread. */
export function encodeEntries(entries: readonly PredictionLogEntry[]): Buffer {
  return encodeLines(entries.map(predictionLogLine));
}

/**
 * Writes the log lines of large batches in a worker thread, where formatting and encoding them
 * does not hold up requests (it was a third of /predict/batch's time on the request thread).
 * The bytes are exactly those `encodeEntries` gives. If the worker cannot start or fails, the
 * encoder says so once and encodes on the calling thread from then on: lines are never lost.
 */
export class BatchLineEncoder {
  private worker: Worker | null = null;
  private broken: string | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (bytes: Buffer) => void; reject: (err: Error) => void }>();
  private readonly options: BatchLineEncoderOptions;

  constructor(
    options: Partial<BatchLineEncoderOptions> = {},
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The bytes now, or a promise of them from the worker. Row i's request id must be `<batchId>-<i>`. */
  encode(batchId: string, entries: readonly PredictionLogEntry[]): Buffer | Promise<Buffer> {
    if (entries.length < this.options.minRows || this.broken !== null || this.pending.size >= this.options.maxPending) {
      return encodeEntries(entries);
    }
    const packed = packBatch(batchId, entries);
    const worker = packed ? this.startedWorker() : null;
    if (!packed || !worker) return encodeEntries(entries);
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: EncoderRequest = { id, packed };
      worker.postMessage(request, transferList(packed));
    });
  }

  /** Stops the worker; batches still waiting for it are rejected (their writer encodes them itself). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = 'closed';
    this.failPending(new Error('the log encoder was closed'));
    if (worker) await worker.terminate();
  }

  private startedWorker(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const { file, execArgv } = this.options.script ?? workerScript(__dirname, 'log-encoder.worker');
      const worker = new Worker(file, { execArgv });
      // Idle between batches, it must not keep the process alive.
      worker.unref();
      worker.on('message', (reply: EncoderReply) => this.settle(reply));
      worker.once('error', (err) => this.fail(`the log encoder thread failed: ${err.message}`));
      worker.once('exit', (code) => this.fail(`the log encoder thread exited with code ${code}`));
      this.worker = worker;
      return worker;
    } catch (err) {
      this.fail(`the log encoder thread cannot start: ${(err as Error).message}`);
      return null;
    }
  }

  private settle(reply: EncoderReply): void {
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
    this.warn(`${reason}; inference.log lines are now written on the request thread`);
    this.failPending(new Error(reason));
  }

  private failPending(err: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }
}
