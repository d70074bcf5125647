import { FeatureRecord } from './dataset-schema';

/**
 * The seed's example request: the first row of data/bank-additional.csv without `duration`.
 * Swagger presets it for "Try it out", the docs show it, and tests start from it.
 */
export const EXAMPLE_CLIENT: Readonly<FeatureRecord> = Object.freeze({
  age: 30,
  job: 'blue-collar',
  marital: 'married',
  education: 'basic.9y',
  default: 'no',
  housing: 'yes',
  loan: 'no',
  contact: 'cellular',
  month: 'may',
  day_of_week: 'fri',
  campaign: 2,
  pdays: 999,
  previous: 0,
  poutcome: 'nonexistent',
  emp_var_rate: -1.8,
  cons_price_idx: 92.893,
  cons_conf_idx: -46.2,
  euribor3m: 1.313,
  nr_employed: 5099.1,
});
