import { HistoryItem } from '../../predictions/prediction-history';
import { ReferenceStatistics } from '../../training/reference-statistics';
import { DriftWindow } from './feature-drift';

/**
 * A drift window as a worker thread takes it for the price of a few copies: numbers as
 * transferable typed arrays, each categorical column as its distinct values and a code per row
 * (cloning 50,000 strings per column would cost the request thread what the worker saves it).
 */
export interface PackedDriftWindow {
  numeric: Record<string, Float64Array>;
  categorical: Record<string, { values: string[]; codes: Uint32Array }>;
  probabilities: Float64Array;
  decisions: Uint8Array;
}

export function packDriftWindow(window: DriftWindow): PackedDriftWindow {
  const numeric: Record<string, Float64Array> = {};
  for (const [name, column] of Object.entries(window.numeric)) numeric[name] = new Float64Array(column);
  const categorical: PackedDriftWindow['categorical'] = {};
  for (const [name, column] of Object.entries(window.categorical)) {
    const index = new Map<string, number>();
    const codes = new Uint32Array(column.length);
    for (let i = 0; i < column.length; i++) {
      let code = index.get(column[i]);
      if (code === undefined) index.set(column[i], (code = index.size));
      codes[i] = code;
    }
    categorical[name] = { values: [...index.keys()], codes };
  }
  return { numeric, categorical, probabilities: new Float64Array(window.probabilities), decisions: new Uint8Array(window.decisions) };
}

/**
 * Served predictions packed straight from the history, the features named by the reference
 * statistics, a few thousand rows per event-loop turn: laying out 50,000 rows costs the request
 * thread a few hundred milliseconds, which requests then wait for in small slices, not at once.
 */
export async function packHistoryWindow(
  items: readonly HistoryItem[],
  reference: ReferenceStatistics,
  rowsPerTurn = 2000,
): Promise<PackedDriftWindow> {
  const n = items.length;
  const numericNames = Object.keys(reference.numeric);
  const categoricalNames = Object.keys(reference.categorical);
  const numeric: Record<string, Float64Array> = {};
  for (const name of numericNames) numeric[name] = new Float64Array(n);
  const codes = categoricalNames.map(() => new Uint32Array(n));
  const indexes = categoricalNames.map(() => new Map<string, number>());
  const probabilities = new Float64Array(n);
  const decisions = new Uint8Array(n);
  for (let start = 0; start < n; start += rowsPerTurn) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (let i = start; i < Math.min(n, start + rowsPerTurn); i++) {
      const { input, probability, prediction } = items[i].entry;
      const record = input as unknown as Record<string, number | string>;
      for (const name of numericNames) numeric[name][i] = record[name] as number;
      for (let f = 0; f < categoricalNames.length; f++) {
        const value = record[categoricalNames[f]] as string;
        let code = indexes[f].get(value);
        if (code === undefined) indexes[f].set(value, (code = indexes[f].size));
        codes[f][i] = code;
      }
      probabilities[i] = probability;
      decisions[i] = prediction;
    }
  }
  const categorical: PackedDriftWindow['categorical'] = {};
  categoricalNames.forEach((name, f) => (categorical[name] = { values: [...indexes[f].keys()], codes: codes[f] }));
  return { numeric, categorical, probabilities, decisions };
}

export function unpackDriftWindow(packed: PackedDriftWindow): DriftWindow {
  const categorical: Record<string, string[]> = {};
  for (const [name, { values, codes }] of Object.entries(packed.categorical)) categorical[name] = Array.from(codes, (code) => values[code]);
  return { numeric: packed.numeric, categorical, probabilities: packed.probabilities, decisions: packed.decisions };
}
