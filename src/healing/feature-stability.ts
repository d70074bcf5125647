import { FeatureRecord } from '../data/dataset-schema';
import { DEFAULT_DRIFT_OPTIONS } from '../monitoring/drift/feature-drift';
import { psiFromCounts } from '../monitoring/drift/psi';
import { psiCriticalValue } from '../monitoring/drift/psi-critical-value';
import { REFERENCE_BINS } from '../training/reference-statistics';
import { binCounts, quantileEdges, toProportions } from '../training/histogram';

/**
 * What the challenger search needs to know about the features of its own rows, from the data alone
 * (not from any model's reference, so the answer does not depend on which champion happens to
 * serve): which numeric features are time-level, and which features drifted between the newest
 * labelled rows and the rows before them. Generic: a feature is a name with a numeric or
 * categorical kind. Pure: runs in the challenger worker and in the replay.
 */

/**
 * A numeric feature whose lag-1 autocorrelation in serving order exceeds this is time-level: more
 * than half of its variation carries over from one row to the next, so it describes when a row was
 * served rather than the row itself (an interest rate, an index published monthly). A linear model
 * learns its slope from a handful of periods and extrapolates it to the next period's new values.
 * On the bank data the five economic indicators score 0.98 or more in every window and the client
 * features 0.37 or less, so the line is not a fine one.
 */
export const TIME_LEVEL_AUTOCORRELATION = 0.5;

/**
 * Lag-1 autocorrelation as the sample ACF defines it (statsmodels' `acf`, `adjusted=False`):
 * sum of (x[t] - mean)(x[t-1] - mean) over the sum of (x[t] - mean)^2. Null for fewer than 3 values
 * or a constant series (nothing varies, so nothing persists).
 */
export function lagOneAutocorrelation(values: ArrayLike<number>): number | null {
  const n = values.length;
  if (n < 3) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let denominator = 0;
  let numerator = 0;
  let previous = values[0] - mean;
  denominator += previous * previous;
  for (let i = 1; i < n; i++) {
    const current = values[i] - mean;
    denominator += current * current;
    numerator += current * previous;
    previous = current;
  }
  // A constant column leaves rounding noise only (its mean is not exact in floating point).
  if (!(denominator > 1e-12 * n * Math.max(1, mean * mean))) return null;
  return numerator / denominator;
}

export interface FeatureShift {
  feature: string;
  psi: number;
  /** max(the PSI floor, the PSI sampling noise reaches 1% of the time at these sizes): monitoring's rule. */
  psi_threshold: number;
}

/** PSI of the newer values over decile bins of the older ones, with monitoring's drift threshold. */
export function numericShift(feature: string, older: ArrayLike<number>, newer: ArrayLike<number>): FeatureShift {
  const edges = quantileEdges(older, REFERENCE_BINS);
  const proportions = toProportions(binCounts(edges, older));
  return shift(feature, proportions, binCounts(edges, newer), older.length, newer.length);
}

/** PSI of the newer categories over the older ones' shares, with one bin for categories the older rows never had. */
export function categoricalShift(feature: string, older: readonly string[], newer: readonly string[]): FeatureShift {
  const index = new Map<string, number>();
  for (const value of older) if (!index.has(value)) index.set(value, index.size);
  const olderCounts = new Array<number>(index.size + 1).fill(0);
  for (const value of older) olderCounts[index.get(value)!]++;
  const newerCounts = new Array<number>(index.size + 1).fill(0);
  for (const value of newer) newerCounts[index.get(value) ?? index.size]++;
  return shift(feature, toProportions(olderCounts), newerCounts, older.length, newer.length);
}

function shift(feature: string, proportions: number[], counts: number[], olderSize: number, newerSize: number): FeatureShift {
  const bins = proportions.filter((p) => p > 0).length;
  const threshold = Math.max(DEFAULT_DRIFT_OPTIONS.psiFloor, psiCriticalValue(bins, olderSize, newerSize));
  return { feature, psi: psiFromCounts(proportions, counts), psi_threshold: threshold };
}

export interface FeatureAnalysisInput {
  records: readonly FeatureRecord[];
  numeric: readonly string[];
  categorical: readonly string[];
  /** Rows [historyStart, newestStart) are the older rows; [newestStart, newestEnd) the newest labels. */
  historyStart: number;
  newestStart: number;
  newestEnd: number;
  /**
   * Time-level features are judged over [historyStart, levelEnd) (default newestEnd): every row a
   * fit may use, the gate's holdout included when the promoted model is refitted with it. Inputs
   * only, no outcomes: a level that first moves in the holdout must not reach the refit unseen.
   */
  levelEnd?: number;
}

/** What the search saw in its rows, recorded with its outcome so a feature set can be explained. */
export interface FeatureAnalysis {
  /** Numeric features above TIME_LEVEL_AUTOCORRELATION over every row from historyStart to levelEnd. */
  time_level: string[];
  /** Features whose newest rows drifted from the older rows (PSI above monitoring's threshold). */
  drifted: string[];
  /** Each numeric feature's lag-1 autocorrelation (null: constant). */
  autocorrelation: Record<string, number | null>;
  /** The PSI of every drifted feature, with its threshold. */
  shifts: FeatureShift[];
  rows: { older: number; newest: number };
}

export const NO_FEATURE_ANALYSIS: FeatureAnalysis = {
  time_level: [],
  drifted: [],
  autocorrelation: {},
  shifts: [],
  rows: { older: 0, newest: 0 },
};

export function analyseFeatures(input: FeatureAnalysisInput): FeatureAnalysis {
  const { records, historyStart, newestStart, newestEnd } = input;
  const levelEnd = input.levelEnd ?? newestEnd;
  if (!(
    historyStart >= 0 &&
    historyStart <= newestStart &&
    newestStart <= newestEnd &&
    newestEnd <= levelEnd &&
    levelEnd <= records.length
  )) {
    throw new RangeError(
      `feature analysis needs 0 <= ${historyStart} <= ${newestStart} <= ${newestEnd} <= ${levelEnd} <= ${records.length}`,
    );
  }
  const canCompare = newestStart > historyStart && newestEnd > newestStart;
  const autocorrelation: Record<string, number | null> = {};
  const timeLevel: string[] = [];
  const shifts: FeatureShift[] = [];
  const column = new Float64Array(levelEnd - historyStart);
  const older = newestStart - historyStart;
  const newest = newestEnd - historyStart;
  for (const name of input.numeric) {
    for (let i = historyStart; i < levelEnd; i++) column[i - historyStart] = records[i][name as keyof FeatureRecord] as number;
    const r = lagOneAutocorrelation(column);
    autocorrelation[name] = r;
    if (r !== null && r > TIME_LEVEL_AUTOCORRELATION) timeLevel.push(name);
    if (canCompare) shifts.push(numericShift(name, column.subarray(0, older), column.subarray(older, newest)));
  }
  if (canCompare) {
    for (const name of input.categorical) {
      const values = (from: number, to: number) => records.slice(from, to).map((r) => r[name as keyof FeatureRecord] as string);
      shifts.push(categoricalShift(name, values(historyStart, newestStart), values(newestStart, newestEnd)));
    }
  }
  const drifted = shifts.filter((s) => s.psi > s.psi_threshold);
  return {
    time_level: timeLevel,
    drifted: drifted.map((s) => s.feature),
    autocorrelation,
    shifts: drifted,
    rows: { older: canCompare ? older : 0, newest: canCompare ? newestEnd - newestStart : 0 },
  };
}
