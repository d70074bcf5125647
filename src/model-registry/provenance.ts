import { FeatureRecord } from '../data/dataset-schema';

/** Where a trained model came from, recorded in its metadata. */
export interface Provenance {
  dataFile: string | null;
  dataSha256: string | null;
  seed: number;
  parentVersion: string | null;
  reason: string;
  /** For a model trained on served predictions: the newest prediction it learned from. */
  trainedUntil?: string | null;
  /** Trained by the healing loop (not by a person): may lose its artifacts once rejected (RETAIN_REJECTED). */
  challenger?: boolean;
  /** Rows that no data file holds (served predictions): saved as baseline/vN/training-data.json. */
  trainingRows?: TrainingRows;
}

/** A version's own training rows, when they came from served predictions rather than a file. */
export interface TrainingRows {
  records: FeatureRecord[];
  labels: Uint8Array;
}
