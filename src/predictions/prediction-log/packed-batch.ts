import { RunsBuilder, expandRuns } from '../../common/runs';
import { RowColumns, featuresOf, packRows, transferList as rowTransferList, unpackRows } from '../../data/row-columns';
import { PredictionLogEntry } from '../prediction-log-entry';
import { isLoggableEntry } from './prediction-log-line';

/**
 * A batch's predictions as columns, to hand to the log encoder thread for the price of a few
 * array copies: the rows as RowColumns, the numbers as transferable typed arrays, and the strings
 * every row shares (timestamp, version) as runs. Row i's request id is `<batchId>-<i>`.
 */
export interface PackedBatch {
  batchId: string;
  rows: RowColumns;
  predictions: Uint8Array;
  probabilities: Float64Array;
  latencies: Float64Array;
  /** [value, how many consecutive rows have it], in row order. */
  timestamps: Array<[string, number]>;
  versions: Array<[string, number]>;
}

/**
 * Packs a batch whose row i has request id `<batchId>-<i>`, or returns null when an entry is not
 * of the shape the line builder writes field by field (the caller then writes its lines itself,
 * so the log is the same either way).
 */
export function packBatch(batchId: string, entries: readonly PredictionLogEntry[]): PackedBatch | null {
  const n = entries.length;
  const predictions = new Uint8Array(n);
  const probabilities = new Float64Array(n);
  const latencies = new Float64Array(n);
  const timestamps = new RunsBuilder();
  const versions = new RunsBuilder();
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    if (!isLoggableEntry(entry)) return null;
    predictions[i] = entry.prediction;
    probabilities[i] = entry.probability;
    latencies[i] = entry.latency_ms;
    timestamps.add(entry.timestamp);
    versions.add(entry.model_version);
  }
  let rows: RowColumns;
  try {
    // Every row of a batch has the first one's features (the request was validated against the schema).
    rows = packRows(
      entries.map((e) => e.input),
      n > 0 ? featuresOf(entries[0].input) : [],
    );
  } catch {
    return null;
  }
  return {
    batchId,
    rows,
    predictions,
    probabilities,
    latencies,
    timestamps: timestamps.runs,
    versions: versions.runs,
  };
}

export function unpackBatch(packed: PackedBatch): PredictionLogEntry[] {
  const records = unpackRows(packed.rows);
  const timestamps = expandRuns(packed.timestamps, records.length, 'timestamps');
  const versions = expandRuns(packed.versions, records.length, 'versions');
  return records.map((input, i) => ({
    request_id: `${packed.batchId}-${i}`,
    timestamp: timestamps[i],
    model_version: versions[i],
    input,
    prediction: packed.predictions[i] as 0 | 1,
    probability: packed.probabilities[i],
    latency_ms: packed.latencies[i],
  }));
}

/** The buffers postMessage can move rather than copy. */
export function transferList(packed: PackedBatch): ArrayBuffer[] {
  return [
    ...rowTransferList(packed.rows),
    packed.predictions.buffer as ArrayBuffer,
    packed.probabilities.buffer as ArrayBuffer,
    packed.latencies.buffer as ArrayBuffer,
  ];
}
