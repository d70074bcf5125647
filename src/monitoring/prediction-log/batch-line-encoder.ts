import { workerScript } from '../../common/worker-script';
import { OffloadWorker } from '../../common/worker-offload';
import { PredictionLogEntry } from '../prediction-log-entry';
import { encodeEntries } from './encode-entries';
import { PackedBatch, packBatch, transferList } from './packed-batch';

export { encodeEntries };

export interface BatchLineEncoderOptions {
  /** Smaller batches are encoded on the calling thread: a message round trip costs more. */
  minRows: number;
  /** With this many batches waiting for the worker, encode here: the worker is behind. */
  maxPending: number;
  /** The worker's script (by default log-encoder.worker beside this file). */
  script?: { file: string; execArgv: string[] };
}

const DEFAULTS: BatchLineEncoderOptions = { minRows: 64, maxPending: 16 };

/**
 * Writes the log lines of large batches in a worker thread, where formatting and encoding them
 * does not hold up requests (it was a third of /predict/batch's time on the request thread).
 * The bytes are exactly those `encodeEntries` gives. If the worker cannot start or fails, that
 * is said once and lines are encoded on the calling thread from then on: none is lost.
 */
export class BatchLineEncoder {
  private readonly minRows: number;
  private readonly worker: OffloadWorker<PackedBatch>;

  constructor(options: Partial<BatchLineEncoderOptions> = {}, warn: (message: string) => void = () => undefined) {
    const settings = { ...DEFAULTS, ...options };
    this.minRows = settings.minRows;
    this.worker = new OffloadWorker<PackedBatch>(
      {
        maxPending: settings.maxPending,
        script: () => settings.script ?? workerScript(__dirname, 'log-encoder.worker'),
        what: 'the log encoder',
        instead: 'inference.log lines are now written on the request thread',
      },
      warn,
    );
  }

  /** The bytes now, or a promise of them from the worker. Row i's request id must be `<batchId>-<i>`. */
  encode(batchId: string, entries: readonly PredictionLogEntry[]): Buffer | Promise<Buffer> {
    if (entries.length < this.minRows) return encodeEntries(entries);
    const packed = packBatch(batchId, entries);
    const sent = packed ? this.worker.send(packed, () => transferList(packed)) : null;
    return sent ?? encodeEntries(entries);
  }

  /** Stops the worker; batches still waiting for it are rejected (their writer encodes them itself). */
  close(): Promise<void> {
    return this.worker.close();
  }
}
