import { answerWithBytes } from '../../common/worker-offload-answer';
import { encodeEntries } from './encode-entries';
import { PackedBatch, unpackBatch } from './packed-batch';

/**
 * Worker thread: writes a batch's inference.log lines (the same predictionLogLine as the request
 * thread) and hands the bytes back, so a 1,000-row batch costs the request thread a packing pass
 * instead of 1,000 lines of number formatting and UTF-8 encoding.
 */
answerWithBytes((packed: PackedBatch) => encodeEntries(unpackBatch(packed)));
