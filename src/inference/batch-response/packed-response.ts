import { RunsBuilder, expandRuns } from '../../common/runs';
import { BatchPredictions, ServedPrediction, TargetLabels } from '../prediction-response';

/**
 * What a batch's answer is made of, as transferable columns: row i's request id is
 * `<batchId>-<i>`, all rows share the version, and the timestamps come as runs.
 */
export interface PackedResponse {
  batchId: string;
  model_version: string;
  labels: TargetLabels;
  predictions: Uint8Array;
  probabilities: Float64Array;
  timestamps: Array<[string, number]>;
}

export function packResponse({ batchId, entries, model_version, labels }: BatchPredictions): PackedResponse {
  const n = entries.length;
  const predictions = new Uint8Array(n);
  const probabilities = new Float64Array(n);
  const timestamps = new RunsBuilder();
  for (let i = 0; i < n; i++) {
    predictions[i] = entries[i].prediction;
    probabilities[i] = entries[i].probability;
    timestamps.add(entries[i].timestamp);
  }
  return { batchId, model_version, labels, predictions, probabilities, timestamps: timestamps.runs };
}

export function unpackResponse(packed: PackedResponse): { entries: ServedPrediction[]; model_version: string; labels: TargetLabels } {
  const n = packed.predictions.length;
  if (packed.probabilities.length !== n) throw new Error(`packed batch: ${packed.probabilities.length} probabilities for ${n} rows`);
  const timestamps = expandRuns(packed.timestamps, n, 'timestamps');
  const entries = new Array<ServedPrediction>(n);
  for (let i = 0; i < n; i++) {
    entries[i] = {
      request_id: `${packed.batchId}-${i}`,
      timestamp: timestamps[i],
      model_version: packed.model_version,
      prediction: packed.predictions[i] as 0 | 1,
      probability: packed.probabilities[i],
    };
  }
  return { entries, model_version: packed.model_version, labels: packed.labels };
}

export function transferList(packed: PackedResponse): ArrayBuffer[] {
  return [packed.predictions.buffer as ArrayBuffer, packed.probabilities.buffer as ArrayBuffer];
}
