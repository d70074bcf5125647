import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OffloadWorker } from '../../common/worker-offload';
import { workerScript } from '../../common/worker-script';
import { BatchPredictions, batchResponseText } from '../prediction-response';
import { PackedResponse, packResponse, transferList } from './packed-response';

/** Smaller batches are answered from the request thread: a message round trip costs more. */
const MIN_ROWS = 64;
/** With this many answers waiting for the worker, write them here: the worker is behind. */
const MAX_PENDING = 16;

/**
 * Writes the JSON answer of a large batch in a worker thread: turning 1,000 predictions into
 * response objects and JSON took a tenth of /predict/batch's request-thread time. The text is
 * exactly `batchResponseText`'s; if the worker fails, that is said once and answers are written
 * on the request thread from then on.
 */
@Injectable()
export class BatchResponseEncoder implements OnApplicationShutdown {
  private readonly logger = new Logger(BatchResponseEncoder.name);
  private readonly worker = new OffloadWorker<PackedResponse>(
    {
      maxPending: MAX_PENDING,
      script: () => workerScript(__dirname, 'response-encoder.worker'),
      what: 'the batch response encoder',
      instead: '/predict/batch answers are now written on the request thread',
    },
    (message) => this.logger.warn(message),
  );

  /** The answer's UTF-8 bytes. Row i's request id must be `<batchId>-<i>`. */
  async encode(batch: BatchPredictions): Promise<Buffer> {
    const inline = () => Buffer.from(batchResponseText(batch));
    if (batch.entries.length < MIN_ROWS) return inline();
    const packed = packResponse(batch);
    const sent = this.worker.send(packed, () => transferList(packed));
    if (!sent) return inline();
    return sent.catch(inline);
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }
}
