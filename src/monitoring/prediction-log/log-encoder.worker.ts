import { parentPort } from 'node:worker_threads';
import { encodeLines } from '../../common/logs/append-only-log';
import { PackedBatch, unpackBatch } from './packed-batch';
import { predictionLogLine } from './prediction-log-line';

export type EncoderRequest = { id: number; packed: PackedBatch };
export type EncoderReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; error: string };

/**
 * Worker thread: writes a batch's inference.log lines (the same predictionLogLine as the main
 * thread) and hands the bytes back, so a 1,000-row batch costs the request thread a packing
 * pass instead of 1,000 lines of number formatting and UTF-8 encoding.
 */
parentPort!.on('message', ({ id, packed }: EncoderRequest) => {
  try {
    const encoded = encodeLines(unpackBatch(packed).map(predictionLogLine));
    // A buffer of its own (not a slice of Node's shared pool), so it can be moved, not copied.
    const bytes = encoded.byteOffset === 0 && encoded.buffer.byteLength === encoded.length ? encoded : Buffer.from(encoded);
    const reply: EncoderReply = { id, ok: true, bytes };
    parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer]);
  } catch (err) {
    const reply: EncoderReply = { id, ok: false, error: (err as Error).message };
    parentPort!.postMessage(reply);
  }
});
