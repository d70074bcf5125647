import { FeatureRecord } from '../../data/dataset-schema';
import { PredictionLogEntry } from '../prediction-log-entry';

/** JSON text of the category values seen (a few dozen: only known categories are served). */
const QUOTED = new Map<string, string>();
const MAX_QUOTED = 1024;

function quoted(value: string): string {
  let json = QUOTED.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    if (QUOTED.size < MAX_QUOTED) QUOTED.set(value, json);
  }
  return json;
}

/** The last timestamp quoted: a batch's rows, and requests within a millisecond, share it. */
let lastTimestamp = '';
let lastTimestampJson = '""';

function quotedTimestamp(timestamp: string): string {
  if (timestamp !== lastTimestamp) {
    lastTimestampJson = JSON.stringify(timestamp);
    lastTimestamp = timestamp;
  }
  return lastTimestampJson;
}

/**
 * True when every feature has the type the line builder writes it as: a finite number or a string.
 * Spelled out rather than looped over the feature lists: a property read by name is cheaper.
 */
function hasLoggableInput(x: FeatureRecord): boolean {
  return (
    Number.isFinite(x.age) &&
    Number.isFinite(x.campaign) &&
    Number.isFinite(x.pdays) &&
    Number.isFinite(x.previous) &&
    Number.isFinite(x.emp_var_rate) &&
    Number.isFinite(x.cons_price_idx) &&
    Number.isFinite(x.cons_conf_idx) &&
    Number.isFinite(x.euribor3m) &&
    Number.isFinite(x.nr_employed) &&
    typeof x.job === 'string' &&
    typeof x.marital === 'string' &&
    typeof x.education === 'string' &&
    typeof x.default === 'string' &&
    typeof x.housing === 'string' &&
    typeof x.loan === 'string' &&
    typeof x.contact === 'string' &&
    typeof x.month === 'string' &&
    typeof x.day_of_week === 'string' &&
    typeof x.poutcome === 'string'
  );
}

/** True for an entry the line builder writes field by field (else it falls back to JSON.stringify). */
export function isLoggableEntry(entry: PredictionLogEntry): boolean {
  const x = entry.input;
  return (
    typeof entry.request_id === 'string' &&
    typeof entry.timestamp === 'string' &&
    typeof entry.model_version === 'string' &&
    (entry.prediction === 0 || entry.prediction === 1) &&
    Number.isFinite(entry.probability) &&
    Number.isFinite(entry.latency_ms) &&
    typeof x === 'object' &&
    x !== null &&
    hasLoggableInput(x)
  );
}

/**
 * One inference.log line, equal to JSON.stringify(entry) for an entry of the interface's shape
 * whose input holds the 19 features in FEATURE_NAMES order (what PredictionService builds; the spec
 * checks the equality). The keys are written as literals, the category strings are quoted once and
 * remembered, the other strings go through JSON.stringify, so the escaping is exact: about a third
 * cheaper than JSON.stringify, line encoded and written included (most of the cost is formatting
 * the numbers and copying the text, which both pay). An entry with an unexpected value type falls
 * back to JSON.stringify(entry).
 */
export function predictionLogLine(entry: PredictionLogEntry): string {
  if (!isLoggableEntry(entry)) return JSON.stringify(entry);
  const { request_id, timestamp, model_version, prediction, probability, latency_ms } = entry;
  const x = entry.input;
  return (
    `{"request_id":${JSON.stringify(request_id)},"timestamp":${quotedTimestamp(timestamp)},` +
    `"model_version":${quoted(model_version)},"input":{"age":${x.age},"job":${quoted(x.job)},` +
    `"marital":${quoted(x.marital)},"education":${quoted(x.education)},"default":${quoted(x.default)},` +
    `"housing":${quoted(x.housing)},"loan":${quoted(x.loan)},"contact":${quoted(x.contact)},` +
    `"month":${quoted(x.month)},"day_of_week":${quoted(x.day_of_week)},"campaign":${x.campaign},` +
    `"pdays":${x.pdays},"previous":${x.previous},"poutcome":${quoted(x.poutcome)},` +
    `"emp_var_rate":${x.emp_var_rate},"cons_price_idx":${x.cons_price_idx},"cons_conf_idx":${x.cons_conf_idx},` +
    `"euribor3m":${x.euribor3m},"nr_employed":${x.nr_employed}},"prediction":${prediction},` +
    `"probability":${probability},"latency_ms":${latency_ms}}`
  );
}
