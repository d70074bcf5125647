import { Schema, integer, nullable, number, object, oneOfStrings, openObject, string } from '../common/openapi-schema';
import { MONITORING_VERDICTS } from '../monitoring/monitoring-status.service';
import type { HealingAction } from './healing.service';

const ACTIONS: readonly HealingAction[] = ['promoted', 'rejected', 'held', 'skipped', 'failed', 'rolled_back', 'watching', 'watch_passed'];

/** OpenAPI response schema of POST /monitoring/heal: what one run of the loop did, and why. */
export const HEALING_OUTCOME_RESPONSE: Schema = object(
  {
    action: oneOfStrings(ACTIONS),
    reason: string(),
    champion: nullable(string('The version serving when the run began')),
    challenger: string('The version the run trained'),
    active: nullable(string('The version serving when the run ended')),
    status: oneOfStrings(MONITORING_VERDICTS, 'The monitoring verdict the run acted on'),
    new_labels: integer('Labelled predictions newer than what the champion learned from'),
    gate: openObject(
      'The gate: holdout rows, positives and negatives, the proper-score comparison with its paired interval, ROC-AUC with its DeLong interval, the rules, verdict and reasons',
    ),
    search: openObject('Which candidate spec and window the search chose, why, and how every candidate scored on the validation rows'),
    counts: openObject('Rows used: champion_rows, served_rows, train, holdout', integer()),
    duration_ms: number(),
  },
  { optional: ['challenger', 'status', 'new_labels', 'gate', 'search', 'counts'] },
);
