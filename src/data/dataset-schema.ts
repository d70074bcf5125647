/**
 * The Bank Marketing schema: which CSV columns are features, of which kind, in which order.
 * Column names are the CSV's with '.' replaced by '_' (emp.var.rate -> emp_var_rate).
 */
export const CATEGORICAL_FEATURES = [
  'job',
  'marital',
  'education',
  'default',
  'housing',
  'loan',
  'contact',
  'month',
  'day_of_week',
  'poutcome',
] as const;

export const NUMERIC_FEATURES = [
  'age',
  'campaign',
  'pdays',
  'previous',
  'emp_var_rate',
  'cons_price_idx',
  'cons_conf_idx',
  'euribor3m',
  'nr_employed',
] as const;

/** The 19 model features in CSV order: the order of the coefficient vector. */
export const FEATURE_NAMES = [
  'age',
  'job',
  'marital',
  'education',
  'default',
  'housing',
  'loan',
  'contact',
  'month',
  'day_of_week',
  'campaign',
  'pdays',
  'previous',
  'poutcome',
  'emp_var_rate',
  'cons_price_idx',
  'cons_conf_idx',
  'euribor3m',
  'nr_employed',
] as const;

export type CategoricalFeature = (typeof CATEGORICAL_FEATURES)[number];
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Known before the call ends, so it would leak the outcome into the model: dropped on load. */
export const DROPPED_COLUMNS = ['duration'] as const;
export const TARGET_COLUMN = 'y';
export const POSITIVE_LABEL = 'yes';
export const NEGATIVE_LABEL = 'no';

/** One client as the model sees it: numbers for numeric features, strings for categorical ones. */
export type FeatureRecord = { [K in NumericFeature]: number } & { [K in CategoricalFeature]: string };

const CATEGORICAL_SET: ReadonlySet<string> = new Set(CATEGORICAL_FEATURES);

export function isCategorical(name: string): name is CategoricalFeature {
  return CATEGORICAL_SET.has(name);
}

/** `emp.var.rate` -> `emp_var_rate`. */
export function normaliseColumnName(raw: string): string {
  return raw.trim().replace(/\./g, '_');
}
