import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OffloadWorker } from '../../common/worker-offload';
import { workerScript } from '../../common/worker-script';
import { BatchPredictions, batchResponseText } from '../prediction-response';
import { PackedResponse, packResponse, transferList } from './packed-response';

/**
 * Writes the JSON answer of a large batch in a worker thread: turning 1,000 predictions into
 * response objects and JSON took a tenth of /predict/batch's request-thread time. The text is
 * exactly `batchResponseText`'s; an answer the worker cannot write is written here (see
 * OffloadWorker). Batches under 64 rows are answered from the request thread.
 */
@Injectable()
export class BatchResponseEncoder implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchResponseEncoder.name);
  private readonly worker = new OffloadWorker<PackedResponse>(
    {
      minRows: 64,
      maxPending: 16,
      timeoutMs: 10_000,
      script: () => workerScript(__dirname, 'response-encoder.worker'),
      what: 'the batch response encoder',
      instead: '/predict/batch answers are now written on the request thread',
    },
    (message) => this.logger.warn(message),
  );

  /** The answer's UTF-8 bytes, now or later (never rejected). Row i's request id must be `<batchId>-<i>`. */
  encode(batch: BatchPredictions): Buffer | Promise<Buffer> {
    return this.worker.run({
      rows: batch.entries.length,
      pack: () => {
        const packed = packResponse(batch);
        return { payload: packed, transfer: transferList(packed) };
      },
      here: () => Buffer.from(batchResponseText(batch)),
    });
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}
