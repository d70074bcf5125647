import {
  Schema,
  arrayOf,
  dateTime,
  integer,
  nullable,
  numbersNamed,
  object,
  oneOfStrings,
  openObject,
  string,
} from '../common/openapi-schema';
import { EVENT_ACTORS, MODEL_EVENT_TYPES } from './model-event';
import { VersionStatus } from './registry-state';

/** OpenAPI response schemas of /models, /models/:version, /models/events, promote and rollback. */

const VERSION = string('A version name: v1, v2 ...');
const STATUSES: readonly VersionStatus[] = ['active', 'previous', 'archived', 'rejected', 'held'];
const METRICS = numbersNamed(['accuracy', 'precision', 'recall', 'f1_score', 'positive_rate', 'roc_auc', 'brier_score', 'n'], {
  description: 'Metrics on the validation rows',
});
const ROWS = numbersNamed(['total', 'train', 'validation', 'test']);

const summary = {
  version: VERSION,
  status: oneOfStrings(STATUSES),
  created_at: string('Training time, YYYYMMDD_HHMMSS'),
  parent_version: nullable(VERSION),
  reason: string('Why it was trained'),
  data_file: nullable(string('The CSV it was trained on, or null for served predictions')),
  rows: ROWS,
  validation_metrics: METRICS,
};

export const VERSION_LIST_RESPONSE: Schema = arrayOf(object(summary), 'Every readable version, oldest first');

const metadata = object(
  {
    version: VERSION,
    schema: object({ name: string(), sha256: string() }, { description: 'The dataset schema it was trained with' }),
    created_at: string(),
    created_at_iso: dateTime(),
    data_file: nullable(string()),
    data_sha256: nullable(string()),
    rows: ROWS,
    seed: integer(),
    params: openObject('The model spec and training parameters (encoding, class weights, C, calibration, features, threshold)'),
    solver: openObject("The fit's iterations, final gradient norm and class weights"),
    metrics: openObject('validation and test metrics, and the validation rows’ calibration figures'),
    parent_version: nullable(VERSION),
    reason: string(),
    trained_until: nullable(dateTime('For a model trained on served predictions: the newest one it learned from')),
    challenger: { type: 'boolean', description: 'Trained by the healing loop (not by a person)' },
  },
  { optional: ['schema', 'trained_until', 'challenger'], description: "The version's metadata.json" },
);

export const VERSION_RESPONSE: Schema = object(
  { ...summary, metadata, artifacts_deleted: { type: 'boolean', enum: [true], description: 'Its artifacts went (RETAIN_REJECTED)' } },
  { optional: ['artifacts_deleted'] },
);

export const EVENTS_RESPONSE: Schema = arrayOf(
  object(
    {
      time: dateTime(),
      type: oneOfStrings(MODEL_EVENT_TYPES),
      actor: oneOfStrings(EVENT_ACTORS, 'The healing loop, a CLI command or an API call'),
      version: nullable(VERSION),
      from_version: nullable(VERSION),
      to_version: nullable(VERSION),
      reason: string(),
      trigger: openObject('What set it off: the monitoring verdict and its figures'),
      gate: openObject("The promotion gate's or the watch's scores and intervals"),
    },
    { optional: ['version', 'from_version', 'to_version', 'trigger', 'gate'] },
  ),
  'The latest events, oldest first',
);

export const REGISTRY_STATE_RESPONSE: Schema = object(
  {
    active: VERSION,
    previous: nullable(VERSION),
    history: arrayOf(VERSION, 'Earlier active versions, oldest first'),
    rejected: arrayOf(VERSION, 'Versions that lost a gate or a watch'),
    held: arrayOf(VERSION, 'Challengers that won their gate and wait for an admin'),
    watch: nullable(
      object(
        { champion: VERSION, previous: VERSION, started_at: dateTime(), labels_needed: integer() },
        { description: 'The new champion watched against the one it replaced' },
      ),
    ),
    updated_at: dateTime(),
  },
  { description: 'The registry after the change' },
);
