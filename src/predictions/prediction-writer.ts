import { LabelOutcome } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';

/** Where an outcome came from: an authenticated or in-process path, or anonymous HTTP feedback. */
export type OutcomeSource = 'trusted' | 'anonymous';

export interface OutcomeItem {
  request_id: string;
  /** One of the target's labels. */
  actual: string;
}

/**
 * How the record is written (the contract a store implements; PredictionRecordService is the file
 * one). Every call resolves only once what it records is durable for the store (for files: handed
 * to the operating system), so a caller may confirm it; nothing is recorded when it rejects:
 * - RequestIdInUse (409): a held prediction, or one being written, already has the request id;
 * - RecordNotWritten (503): the store could not write it (a full or read-only disk ...).
 */
export abstract class PredictionWriter {
  /** One served prediction. */
  abstract record(entry: PredictionLogEntry): Promise<void>;
  /** A batch, in order; row i's request id is `<batchId>-<i>`. */
  abstract recordBatch(batchId: string, entries: readonly PredictionLogEntry[]): Promise<void>;
  /** Outcomes, each once per served prediction; only 'recorded' ones are written. */
  abstract recordOutcomes(items: readonly OutcomeItem[], timestamp: string, source: OutcomeSource): Promise<LabelOutcome[]>;
}
