import { LabelOutcome } from './prediction-history';
import { PredictionLogEntry } from './prediction-log-entry';
import { PredictionReader } from './prediction-reader';
import { OutcomeItem, OutcomeSource, PredictionWriter } from './prediction-writer';

/** One outcome's fate, with the prediction it labels when that is known (for the answer to /feedback). */
export interface RecordedOutcome {
  outcome: LabelOutcome;
  served: Pick<PredictionLogEntry, 'prediction' | 'model_version'> | null;
}

/**
 * A whole prediction record (a Nest DI token): what the predictions module provides, on files
 * (PredictionRecordService) or on PostgreSQL. Inference and feedback write through it; the others
 * read through PredictionReader.
 */
export abstract class PredictionStore extends PredictionReader implements PredictionWriter {
  abstract record(entry: PredictionLogEntry): Promise<void>;
  abstract recordBatch(batchId: string, entries: readonly PredictionLogEntry[]): Promise<void>;
  abstract recordOutcomes(items: readonly OutcomeItem[], timestamp: string, source: OutcomeSource): Promise<LabelOutcome[]>;
  /** One outcome, with the prediction it labels (served by this replica or, with a shared store, another). */
  abstract recordOutcomeOf(requestId: string, actual: string, timestamp: string, source: OutcomeSource): Promise<RecordedOutcome>;
  /** Fills what readers see from the durable record, once, at start (files: the logs' tails; a database: the fleet's latest). */
  abstract load(): Promise<void>;
  /** Why a request id may be unknown, as /feedback's 404 says it ("unknown, or older than ..."). */
  abstract readonly unknownIdHint: string;
  /** Resolves once everything accepted so far is written. */
  abstract flush(): Promise<void>;
}
