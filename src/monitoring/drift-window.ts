import { DriftWindow } from './drift/feature-drift';
import { HistoryItem } from '../predictions/prediction-history';
import { ReferenceStatistics } from '../training/reference-statistics';

/** Turns history items (rows) into the column layout the drift maths reads, for the reference's features. */
export function toDriftWindow(items: readonly HistoryItem[], reference: Pick<ReferenceStatistics, 'numeric' | 'categorical'>): DriftWindow {
  const numericNames = Object.keys(reference.numeric);
  const categoricalNames = Object.keys(reference.categorical);
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, string[]> = {};
  for (const name of numericNames) numeric[name] = new Float64Array(items.length);
  for (const name of categoricalNames) categorical[name] = new Array<string>(items.length);
  const probabilities = new Float64Array(items.length);
  const decisions = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { input, probability, prediction } = items[i].entry;
    for (const name of numericNames) numeric[name][i] = input[name] as number;
    for (const name of categoricalNames) categorical[name][i] = input[name] as string;
    probabilities[i] = probability;
    decisions[i] = prediction;
  }
  return { numeric, categorical, probabilities, decisions };
}
