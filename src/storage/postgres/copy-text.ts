import { PredictionLogEntry } from '../../predictions/prediction-log-entry';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/;

/** A value as COPY's text format reads it: backslash, tab, newline and carriage return escaped. */
export function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : value;
}

/** The columns a prediction row is copied into, in the order of `predictionCopyLine`. */
export const PREDICTION_COPY_COLUMNS = 'request_id, served_at, model_version, inputs, prediction, probability, latency_ms, served_by';

/**
 * One prediction as a line of COPY's text format. Numbers are written as JavaScript prints them
 * (the shortest text that reads back as the same double); the inputs as their JSON.
 */
export function predictionCopyLine(entry: PredictionLogEntry, servedBy: string): string {
  return (
    `${copyText(entry.request_id)}\t${copyText(entry.timestamp)}\t${copyText(entry.model_version)}\t${copyText(JSON.stringify(entry.input))}\t` +
    `${entry.prediction}\t${entry.probability}\t${entry.latency_ms}\t${copyText(servedBy)}\n`
  );
}
