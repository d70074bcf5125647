import { HistoryItem } from './prediction-history';

/**
 * What others may read of the prediction record (a Nest DI token): windows of recent predictions
 * and their outcomes. Only the predictions module writes the record.
 */
export abstract class PredictionReader {
  /** How many of the latest predictions are held. */
  abstract readonly capacity: number;
  /** The last `n` predictions, oldest first. */
  abstract latest(n: number): HistoryItem[];
  /** The last `n` predictions that have an outcome, oldest first. */
  abstract latestLabelled(n: number): HistoryItem[];
  /** Predictions served within [from, to] (ISO timestamps; null is open), oldest first. */
  abstract between(from: string | null, to: string | null): HistoryItem[];
  /** One prediction by its request id. */
  abstract get(requestId: string): HistoryItem | undefined;
  /** Why the record's last write failed (a full or read-only disk ...), or null while writes succeed. */
  abstract writeProblem(): string | null;
}
