import { FeatureRecord } from '../data/dataset-schema';

/** One line of storage/logs/inference.log: a prediction as it was served. */
export interface PredictionLogEntry {
  request_id: string;
  timestamp: string;
  model_version: string;
  input: FeatureRecord;
  /** 1 = "yes". */
  prediction: 0 | 1;
  /** P(yes), unrounded. */
  probability: number;
  latency_ms: number;
}
