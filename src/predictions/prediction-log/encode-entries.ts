import { encodeLines } from '../../common/logs/append-only-log';
import { PredictionLogEntry } from '../prediction-log-entry';
import { predictionLogLine } from './prediction-log-line';

/** The inference.log bytes of predictions: one line each. */
export function encodeEntries(entries: readonly PredictionLogEntry[]): Buffer {
  return encodeLines(entries.map(predictionLogLine));
}
