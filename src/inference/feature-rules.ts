import { FEATURE_NAMES, FeatureName, FeatureRecord } from '../data/dataset-schema';

/** What a valid value of each feature looks like in a request. One table for the DTO and the batch validator. */
export type FeatureRule = { kind: 'integer' | 'number'; min: number; max: number } | { kind: 'category'; maxLength: number };

export const MAX_CATEGORY_LENGTH = 64;
const CATEGORY: FeatureRule = { kind: 'category', maxLength: MAX_CATEGORY_LENGTH };

export const FEATURE_RULES: Readonly<Record<FeatureName, FeatureRule>> = {
  age: { kind: 'integer', min: 16, max: 120 },
  job: CATEGORY,
  marital: CATEGORY,
  education: CATEGORY,
  default: CATEGORY,
  housing: CATEGORY,
  loan: CATEGORY,
  contact: CATEGORY,
  month: CATEGORY,
  day_of_week: CATEGORY,
  campaign: { kind: 'integer', min: 1, max: 1000 },
  pdays: { kind: 'integer', min: 0, max: 999 },
  previous: { kind: 'integer', min: 0, max: 1000 },
  poutcome: CATEGORY,
  emp_var_rate: { kind: 'number', min: -10, max: 10 },
  cons_price_idx: { kind: 'number', min: 50, max: 150 },
  cons_conf_idx: { kind: 'number', min: -100, max: 100 },
  euribor3m: { kind: 'number', min: -5, max: 25 },
  nr_employed: { kind: 'number', min: 1000, max: 10000 },
};

const ALLOWED: ReadonlySet<string> = new Set(FEATURE_NAMES);

/**
 * A string's length as class-validator's @MaxLength counts it (validator.js isLength): a surrogate
 * pair and a character followed by a variation selector each count once.
 */
export function validatorStringLength(value: string): number {
  const presentationSequences = value.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g)?.length ?? 0;
  const surrogatePairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - presentationSequences - surrogatePairs;
}

/** The first problem with one field, worded as class-validator words it, or null. */
function fieldProblem(name: string, rule: FeatureRule, value: unknown): string | null {
  if (value === undefined || value === null) return `${name} is required`;
  if (rule.kind === 'category') {
    if (typeof value !== 'string') return `${name} must be a string`;
    if (value.length === 0) return `${name} should not be empty`;
    // validatorStringLength <= length, so only a long string needs the exact count.
    if (value.length > rule.maxLength && validatorStringLength(value) > rule.maxLength) {
      return `${name} must be shorter than or equal to ${rule.maxLength} characters`;
    }
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return rule.kind === 'integer'
      ? `${name} must be an integer number`
      : `${name} must be a number conforming to the specified constraints`;
  }
  if (rule.kind === 'integer' && !Number.isInteger(value)) return `${name} must be an integer number`;
  if (value < rule.min) return `${name} must not be less than ${rule.min}`;
  if (value > rule.max) return `${name} must not be greater than ${rule.max}`;
  return null;
}

/** FEATURE_RULES as an array in FEATURE_NAMES order, for the hot loop below. */
const RULES: ReadonlyArray<readonly [FeatureName, FeatureRule]> = FEATURE_NAMES.map((name) => [name, FEATURE_RULES[name]]);

/**
 * True when `value` is a plain object holding exactly the 19 features, each valid: the common case,
 * decided without allocating. Anything else (a problem, an extra or stripped key, an array, a class
 * instance) is false; featureRecordProblems or class-validator then says what is wrong.
 */
export function isExactFeatureRecord(value: unknown): value is FeatureRecord {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  let keys = 0;
  for (const key in value) {
    if (!ALLOWED.has(key)) return false;
    keys++;
  }
  if (keys !== RULES.length) return false;
  const row = value as Record<string, unknown>;
  for (let i = 0; i < RULES.length; i++) {
    const [name, rule] = RULES[i];
    if (fieldProblem(name, rule, row[name]) !== null) return false;
  }
  return true;
}

/**
 * Checks one request row against FEATURE_RULES without class-validator's per-object machinery:
 * /predict/batch validates up to 10,000 rows per request. Returns the problems, each prefixed,
 * worded and ordered as Nest's ValidationPipe (whitelist, forbidNonWhitelisted, stopAtFirstError)
 * reports them for PredictRequestDto: unknown properties first, then one problem per field.
 */
export function featureRecordProblems(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${prefix}must be an object`];
  const row = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(row)) {
    if (!ALLOWED.has(key)) problems.push(`${prefix}property ${key} should not exist`);
  }
  for (const [name, rule] of RULES) {
    const problem = fieldProblem(name, rule, row[name]);
    if (problem) problems.push(prefix + problem);
  }
  return problems;
}

/** A copy holding exactly the 19 features (the input row may be any object that passed validation). */
export function toFeatureRecord(row: Record<string, unknown>): FeatureRecord {
  const record = {} as Record<string, unknown>;
  for (const name of FEATURE_NAMES) record[name] = row[name];
  return record as FeatureRecord;
}
