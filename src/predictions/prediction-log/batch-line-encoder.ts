import { OffloadWorker } from '../../common/worker-offload';
import { workerScript } from '../../common/worker-script';
import { PredictionLogEntry } from '../prediction-log-entry';
import { encodeEntries } from './encode-entries';
import { PackedBatch, packBatch, transferList } from './packed-batch';

export interface BatchLineEncoderOptions {
  /** Smaller batches are encoded on the calling thread: a message round trip costs more. */
  minRows: number;
  /** With this many batches waiting for the worker, encode here: the worker is behind. */
  maxPending: number;
  /** A worker silent this long on a batch is taken for stuck: stopped, and the batch encoded here. */
  timeoutMs: number;
  /** The worker's script (by default log-encoder.worker beside this file). */
  script?: { file: string; execArgv: string[] };
}

const DEFAULTS: BatchLineEncoderOptions = { minRows: 64, maxPending: 16, timeoutMs: 10_000 };

/**
 * Writes the log lines of large batches in a worker thread, where formatting and encoding them
 * does not hold up requests (it was a third of /predict/batch's time on the request thread).
 * The bytes are exactly those `encodeEntries` gives, and a batch the worker cannot take is
 * encoded here (see OffloadWorker), so no line is ever lost.
 */
export class BatchLineEncoder {
  private readonly worker: OffloadWorker<PackedBatch>;

  constructor(options: Partial<BatchLineEncoderOptions> = {}, warn: (message: string) => void = () => undefined) {
    const { script, ...settings } = { ...DEFAULTS, ...options };
    this.worker = new OffloadWorker<PackedBatch>(
      {
        ...settings,
        script: () => script ?? workerScript(__dirname, 'log-encoder.worker'),
        what: 'the log encoder',
        instead: 'inference.log lines are now written on the request thread',
      },
      warn,
    );
  }

  /** The bytes now, or a promise of them (never rejected). Row i's request id must be `<batchId>-<i>`. */
  encode(batchId: string, entries: readonly PredictionLogEntry[]): Buffer | Promise<Buffer> {
    return this.worker.run({
      rows: entries.length,
      pack: () => {
        const packed = packBatch(batchId, entries);
        return packed && { payload: packed, transfer: transferList(packed) };
      },
      here: () => encodeEntries(entries),
    });
  }

  /** Stops the worker; batches still waiting for it are encoded here. */
  close(): Promise<void> {
    return this.worker.close();
  }
}
