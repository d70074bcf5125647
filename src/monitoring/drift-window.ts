import { CATEGORICAL_FEATURES, NUMERIC_FEATURES } from '../data/dataset-schema';
import { DriftWindow } from './drift/feature-drift';
import { HistoryItem } from '../predictions/prediction-history';

/** Turns history items (rows) into the column layout the drift maths reads. */
export function toDriftWindow(items: readonly HistoryItem[]): DriftWindow {
  const numeric: Record<string, Float64Array> = {};
  const categorical: Record<string, string[]> = {};
  for (const name of NUMERIC_FEATURES) numeric[name] = new Float64Array(items.length);
  for (const name of CATEGORICAL_FEATURES) categorical[name] = new Array<string>(items.length);
  const probabilities = new Float64Array(items.length);
  const decisions = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const { input, probability, prediction } = items[i].entry;
    for (const name of NUMERIC_FEATURES) numeric[name][i] = input[name];
    for (const name of CATEGORICAL_FEATURES) categorical[name][i] = input[name];
    probabilities[i] = probability;
    decisions[i] = prediction;
  }
  return { numeric, categorical, probabilities, decisions };
}
