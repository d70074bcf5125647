import { FeatureRecord } from '../../data/dataset-schema';
import { BANK_SCHEMA } from '../../data/testing/bank-schema';
import { datasetCsv } from '../../data/testing/dataset-csv';
import { createSeededRandom } from '../../preprocessing/seeded-random';

/**
 * A synthetic labelled history of the bank-marketing schema (a test fixture, like the schema itself), for replays of a drift we know: clients drawn
 * from one fixed population, their outcome from a logistic concept that changes suddenly at
 * `changeAt` and then slides, row by row, from `slideFrom` to `slideTo` into a third concept. The
 * economic indicators move month by month (time-level, as in the real file) but carry no relation
 * to the outcome: a model that leans on them learns noise. Deterministic: the same options give
 * the same rows, on every platform.
 */

export interface SyntheticHistoryOptions {
  rows: number;
  seed: number;
  rowsPerMonth: number;
  /** The first row of concept B (the sudden change). */
  changeAt: number;
  /** Concept B slides into concept C over rows [slideFrom, slideTo); C holds after. */
  slideFrom: number;
  slideTo: number;
}

export const DEFAULT_SYNTHETIC_HISTORY: SyntheticHistoryOptions = {
  rows: 12_000,
  seed: 7,
  rowsPerMonth: 500,
  changeAt: 6000,
  slideFrom: 8000,
  slideTo: 12_000,
};

/** A concept: the log-odds of "yes" as a sum of effects. */
interface Concept {
  intercept: number;
  /** Per year of age above 40. */
  age: number;
  /** Per call of the campaign beyond the first. */
  campaign: number;
  job: Record<string, number>;
  contact: Record<string, number>;
  housing: Record<string, number>;
  poutcome: Record<string, number>;
}

const JOBS = ['admin.', 'blue-collar', 'technician', 'services', 'management', 'retired', 'student', 'self-employed'];

/** Before the change: the young, students and retirees on a cell phone say yes; many calls put people off. */
const CONCEPT_A: Concept = {
  intercept: -2.4,
  age: 0.03,
  campaign: -0.15,
  job: { 'blue-collar': -0.5, retired: 1.0, student: 1.0 },
  contact: { cellular: 0.6, telephone: -0.6 },
  housing: { yes: -0.3 },
  poutcome: { success: 1.8, failure: -0.3 },
};

/** After the sudden change: more say yes, and age, contact and job now pull the other way. */
const CONCEPT_B: Concept = {
  intercept: -1.6,
  age: -0.04,
  campaign: -0.15,
  job: { 'blue-collar': 0.8, retired: -0.6, student: -0.8 },
  contact: { cellular: -0.6, telephone: 0.6 },
  housing: { yes: -0.3 },
  poutcome: { success: 1.8, failure: -0.3 },
};

/** Where B slides to: housing loans now mean yes, repeated calls help, age matters less. */
const CONCEPT_C: Concept = {
  intercept: -1.0,
  age: -0.01,
  campaign: 0.1,
  job: { 'blue-collar': 0.8, retired: -0.6, student: -0.8, management: 0.6 },
  contact: { cellular: -0.6, telephone: 0.6 },
  housing: { yes: 0.9 },
  poutcome: { success: 0.5, failure: -0.3 },
};

const effect = (table: Record<string, number>, key: string) => table[key] ?? 0;

function logOdds(c: Concept, r: FeatureRecord): number {
  return (
    c.intercept +
    c.age * ((r.age as number) - 40) +
    c.campaign * ((r.campaign as number) - 1) +
    effect(c.job, r.job as string) +
    effect(c.contact, r.contact as string) +
    effect(c.housing, r.housing as string) +
    effect(c.poutcome, r.poutcome as string)
  );
}

/** The concept's log-odds at row i: A, then B, then B sliding to C, then C. */
export function conceptLogOdds(options: SyntheticHistoryOptions, i: number, r: FeatureRecord): number {
  if (i < options.changeAt) return logOdds(CONCEPT_A, r);
  if (i < options.slideFrom) return logOdds(CONCEPT_B, r);
  const t = Math.min(1, (i - options.slideFrom) / Math.max(1, options.slideTo - options.slideFrom));
  return (1 - t) * logOdds(CONCEPT_B, r) + t * logOdds(CONCEPT_C, r);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function syntheticHistory(options: SyntheticHistoryOptions = DEFAULT_SYNTHETIC_HISTORY): {
  records: FeatureRecord[];
  labels: Uint8Array;
} {
  const { rows, rowsPerMonth } = options;
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(rowsPerMonth) && rowsPerMonth > 0)) {
    throw new RangeError('rows and rowsPerMonth must be positive integers');
  }
  const random = createSeededRandom(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const round = (value: number, places: number) => Number(value.toFixed(places));
  // The month's context: a random walk per month, as published indicators move.
  let euribor = 4.5;
  let confidence = -40;
  let employed = 5150;
  let prices = 93.5;
  let variation = 1.1;
  const records: FeatureRecord[] = [];
  const labels = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    if (i > 0 && i % rowsPerMonth === 0) {
      euribor = Math.max(0.5, euribor + (random() - 0.6) * 0.6);
      confidence = Math.max(-60, Math.min(-25, confidence + (random() - 0.5) * 6));
      employed = Math.max(4900, Math.min(5250, employed + (random() - 0.55) * 40));
      prices = Math.max(92, Math.min(95, prices + (random() - 0.5) * 0.5));
      variation = Math.max(-3.5, Math.min(1.5, variation + (random() - 0.55) * 1.2));
    }
    const previous = random() < 0.85 ? 0 : 1 + Math.floor(random() * 3);
    const poutcome = previous === 0 ? 'nonexistent' : random() < 0.35 ? 'success' : 'failure';
    const record: FeatureRecord = {
      age: 18 + Math.floor(random() * 60),
      job: pick(JOBS),
      marital: pick(['married', 'single', 'divorced']),
      education: pick(['basic.9y', 'high.school', 'professional.course', 'university.degree']),
      default: random() < 0.8 ? 'no' : 'unknown',
      housing: random() < 0.5 ? 'yes' : 'no',
      loan: random() < 0.15 ? 'yes' : 'no',
      contact: random() < 0.6 ? 'cellular' : 'telephone',
      month: MONTHS[(2 + Math.floor(i / rowsPerMonth)) % 12],
      day_of_week: pick(['mon', 'tue', 'wed', 'thu', 'fri']),
      campaign: 1 + Math.floor(-Math.log(1 - random()) * 1.5),
      pdays: poutcome === 'success' ? 1 + Math.floor(random() * 15) : 999,
      previous,
      poutcome,
      emp_var_rate: round(variation, 1),
      cons_price_idx: round(prices, 3),
      cons_conf_idx: round(confidence, 1),
      euribor3m: round(euribor, 3),
      nr_employed: round(employed, 1),
    };
    const p = 1 / (1 + Math.exp(-conceptLogOdds(options, i, record)));
    labels[i] = random() < p ? 1 : 0;
    records.push(record);
  }
  return { records, labels };
}

/** The history as a file of the bank-marketing schema (its columns, names and separator), for `replay --data`. */
export function syntheticHistoryCsv(history: { records: readonly FeatureRecord[]; labels: ArrayLike<number> }): string {
  return datasetCsv(BANK_SCHEMA, history);
}
