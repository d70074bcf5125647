import { ResourceLimits, Worker, parentPort } from 'node:worker_threads';

/** What a one-shot worker answers: its result, or the message of the error that stopped it. */
export type OneShotReply<R> = { ok: true; result: R } | { ok: false; error: string };

export interface OneShotJob<J> {
  /** The worker's script, as workerScript() gives it. */
  script: { file: string; execArgv: string[] };
  job: J;
  /** Buffers moved to the worker with the job instead of copied. */
  transfer?: ArrayBuffer[];
  resourceLimits?: ResourceLimits;
  /** Names the worker in its failures ("challenger worker"). */
  what: string;
}

/**
 * Posts one job to a worker thread of its own and settles with its one reply; the worker is stopped
 * either way. A worker that dies without answering (an uncaught error, running out of memory)
 * rejects with a message that names it.
 */
export function runInWorker<J, R>({ script, job, transfer = [], resourceLimits, what }: OneShotJob<J>): Promise<R> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.file, { execArgv: script.execArgv, resourceLimits });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    worker.once('message', (reply: OneShotReply<R>) => finish(() => (reply.ok ? resolve(reply.result) : reject(new Error(reply.error)))));
    worker.once('error', (err) => finish(() => reject(new Error(`${what} failed: ${err.message}`, { cause: err }))));
    worker.once('exit', (code) => finish(() => reject(new Error(`${what} exited with code ${code}`))));
    try {
      worker.postMessage(job, transfer);
    } catch (err) {
      // A job that cannot be sent (not cloneable, a buffer already moved): the worker would wait for it forever.
      finish(() => reject(new Error(`${what}: the job cannot be sent: ${(err as Error).message}`, { cause: err })));
    }
  });
}

/**
 * The worker side of runInWorker: answers the one job with what `work` makes of it (and the buffers
 * to move with it), or with the message of the error it threw.
 */
export function answerOnce<J, R>(work: (job: J) => Promise<{ result: R; transfer?: ArrayBuffer[] }>): void {
  parentPort!.once('message', (job: J) => {
    work(job).then(
      ({ result, transfer = [] }) => parentPort!.postMessage({ ok: true, result } satisfies OneShotReply<R>, transfer),
      (err: unknown) =>
        parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies OneShotReply<R>),
    );
  });
}
