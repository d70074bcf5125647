import { parentPort } from 'node:worker_threads';
import type { OffloadReply, OffloadRequest } from './worker-offload';

/** The worker side of OffloadWorker: answers each payload with the bytes `work` makes of it. */
export function answerWithBytes<T>(work: (payload: T) => Buffer): void {
  parentPort!.on('message', ({ id, payload }: OffloadRequest<T>) => {
    try {
      const made = work(payload);
      // A buffer of its own (not a slice of Node's shared pool), so it can be moved, not copied.
      const bytes = made.byteOffset === 0 && made.buffer.byteLength === made.length ? made : Buffer.from(made);
      const reply: OffloadReply = { id, ok: true, bytes };
      parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer]);
    } catch (err) {
      const reply: OffloadReply = { id, ok: false, error: (err as Error).message };
      parentPort!.postMessage(reply);
    }
  });
}
