import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { ProperScore, mean, properScorePerRow } from '../training/evaluation/scoring-rules';
import { needsCalibrationSlice } from '../training/calibrated-model';
import { fitModelSpec } from '../training/fit-model-spec';
import { rocAuc } from '../training/metrics';
import { SearchCandidate } from './challenger-candidates';
import { FeatureAnalysis } from './feature-stability';
import { SearchEvidence, pooledLoss } from './search-evidence';
import { pairedDifferences, pairedTInterval } from './statistics/paired-t-interval';
import { describeInterval, fixed } from './statistics/verdict-reasons';

/**
 * The challenger search: each candidate is fitted on the rows just before a validation slice and
 * scored on that slice, the newest labelled rows the gate does not use. Time-ordered, never a
 * random split of drifting data: a candidate is judged on the world that came after its training
 * rows, as it would be served. Pure: runs in the challenger worker.
 *
 * A candidate that keeps time-level features (feature-stability.ts) wins only when the validation
 * rows show it better than the best candidate without them, with the gate's confidence, period by
 * period: the newest labels often share one or two periods with the training rows, so they cannot
 * show how a slope on an interest rate extrapolates to next month's rate, and when it does not, it
 * fails badly (on the bank replay a Brier of 0.34 where the candidate without them scored 0.21).
 * The risk is lopsided, so the evidence asked for is too, as the gate asks a challenger to be shown
 * better.
 */

/** Confidence of the paired interval that lets a candidate keep time-level features. */
export const TIME_LEVEL_CONFIDENCE = 0.95;

export interface SearchRows {
  schema: DatasetSchema;
  records: readonly FeatureRecord[];
  /** 0/1 outcomes, in serving order (oldest first). */
  labels: ArrayLike<number>;
  /** Rows [validationStart, validationEnd) judge the candidates; every row before may train them. */
  validationStart: number;
  validationEnd: number;
  knownClasses: Readonly<Record<string, readonly string[]>>;
}

export interface SearchSettings {
  score: ProperScore;
  /** Candidates not started by then are skipped (the best scored so far wins). */
  budgetMs: number;
  /** A platt or isotonic map is fitted on this newest share of a candidate's training rows. */
  calibrationShare: number;
  /**
   * What recent searches showed of each procedure (search-evidence.ts): candidates are chosen by
   * their loss over those searches' rows and this one's, not by this one's alone. None: this one's.
   */
  past?: SearchEvidence;
}

export interface CandidateResult {
  name: string;
  window: number;
  status: 'scored' | 'failed' | 'over_budget';
  /** The search's score on the validation rows (lower is better), and ROC-AUC beside it. */
  validation_loss: number | null;
  validation_roc_auc: number | null;
  error: string | null;
  fit_ms: number | null;
  /** The procedures this fit stands for (the keys of the search's evidence across runs). */
  procedures: string[];
  /** The loss the choice used: over the recent searches' validation rows and this one's. */
  pooled_loss: number | null;
  pooled_rows: number | null;
}

export interface SearchOutcome {
  chosen: SearchCandidate;
  /** Why this one: the best validation loss, or the first candidate when no validation was possible. */
  reason: string;
  score: ProperScore;
  validation_rows: number;
  candidates: CandidateResult[];
  elapsed_ms: number;
  budget_ms: number;
  /** What the feature sets were made from (the challenger fit adds it). */
  features?: FeatureAnalysis;
}

/**
 * Training rows of a candidate whose newest row is `end - 1`: the newest `window` rows, with the
 * newest `calibrationShare` of them set aside for a fitted calibration map when the spec needs one.
 */
export function candidateRows(
  candidate: SearchCandidate,
  end: number,
  calibrationShare: number,
): { trainRows: number[]; calibrationRows: number[] | undefined } {
  const start = Math.max(0, end - candidate.window);
  const rows = Array.from({ length: end - start }, (_, i) => start + i);
  if (!needsCalibrationSlice(candidate.spec.calibration)) return { trainRows: rows, calibrationRows: undefined };
  const calibrationCount = Math.max(1, Math.round(rows.length * calibrationShare));
  return { trainRows: rows.slice(0, rows.length - calibrationCount), calibrationRows: rows.slice(rows.length - calibrationCount) };
}

function hasBothClasses(labels: ArrayLike<number>, from: number, to: number): boolean {
  let positives = 0;
  for (let i = from; i < to; i++) positives += labels[i];
  return positives > 0 && positives < to - from;
}

export function searchChallenger(
  rows: SearchRows,
  candidates: readonly SearchCandidate[],
  settings: SearchSettings,
  elapsedMs: () => number,
): SearchOutcome {
  if (candidates.length === 0) throw new Error('the challenger search has no candidates');
  const { validationStart, validationEnd } = rows;
  const validationRows = Array.from({ length: validationEnd - validationStart }, (_, i) => validationStart + i);
  const base = { score: settings.score, validation_rows: validationRows.length, budget_ms: settings.budgetMs };
  if (validationStart < 1 || !hasBothClasses(rows.labels, validationStart, validationEnd)) {
    return {
      ...base,
      chosen: candidates[0],
      reason: `no validation possible (${validationRows.length} rows before the holdout, both outcomes needed): the first candidate`,
      candidates: [],
      elapsed_ms: elapsedMs(),
    };
  }
  const validationLabels = Uint8Array.from(validationRows, (i) => rows.labels[i]);
  const results: CandidateResult[] = [];
  const scored: ScoredCandidate[] = [];
  for (const candidate of candidates) {
    const result: CandidateResult = {
      name: candidate.name,
      window: candidate.window,
      status: 'over_budget',
      validation_loss: null,
      validation_roc_auc: null,
      error: null,
      fit_ms: null,
      procedures: candidate.procedures ?? [],
      pooled_loss: null,
      pooled_rows: null,
    };
    results.push(result);
    if (scored.length > 0 && elapsedMs() > settings.budgetMs) continue;
    const started = elapsedMs();
    try {
      const { trainRows, calibrationRows } = candidateRows(candidate, validationStart, settings.calibrationShare);
      const fit = fitModelSpec({
        schema: rows.schema,
        records: rows.records,
        labels: rows.labels,
        trainRows,
        calibrationRows,
        spec: candidate.spec,
        knownClasses: rows.knownClasses,
      });
      const probabilities = Float64Array.from(validationRows, (i) => fit.model.probability(fit.preprocessor.transform(rows.records[i])));
      const losses = properScorePerRow(settings.score, validationLabels, probabilities);
      const loss = mean(losses);
      const pooled = pooledLoss(candidate.procedures, loss, validationRows.length, settings.past);
      Object.assign(result, {
        status: 'scored',
        validation_loss: loss,
        validation_roc_auc: rocAuc(validationLabels, probabilities),
        pooled_loss: pooled.loss,
        pooled_rows: pooled.rows,
      });
      scored.push({ candidate, loss, losses, pooled: pooled.loss, pooledSearches: pooled.searches });
    } catch (err) {
      // One class in its window, a calibration slice of one class, no convergence: skipped, recorded.
      Object.assign(result, { status: 'failed', error: (err as Error).message });
    }
    result.fit_ms = elapsedMs() - started;
  }
  if (scored.length === 0) {
    throw new Error(`every candidate failed to fit: ${results.map((r) => `${r.name}: ${r.error}`).join('; ')}`);
  }
  const validationRecords = validationRows.map((i) => rows.records[i]);
  const { chosen, why } = chooseCandidate(scored, settings.score, (names) => periodRuns(validationRecords, names));
  return {
    ...base,
    chosen: chosen.candidate,
    reason: `${why}; ${scored.length} candidates scored on the ${validationRows.length} labelled rows before the holdout`,
    candidates: results,
    elapsed_ms: elapsedMs(),
  };
}

interface ScoredCandidate {
  candidate: SearchCandidate;
  loss: number;
  /** Per validation row, for the paired comparison. */
  losses: Float64Array;
  /** The loss over the recent searches' rows and this one's (`loss` when there is no past evidence). */
  pooled?: number;
  /** How many searches `pooled` covers, this one included. */
  pooledSearches?: number;
}

const choiceLoss = (c: ScoredCandidate) => c.pooled ?? c.loss;
const lowest = (list: readonly ScoredCandidate[]) => list.reduce((a, b) => (choiceLoss(b) < choiceLoss(a) ? b : a));

/** "lowest validation brier[ without time-level features] (0.1234)", saying so when past searches count too. */
function describeLoss(c: ScoredCandidate, score: ProperScore, qualifier = ''): string {
  const searches = c.pooledSearches ?? 1;
  if (searches <= 1) return `lowest validation ${score}${qualifier} (${fixed(c.loss)})`;
  return `lowest ${score}${qualifier} over the validation rows of the last ${searches} searches (${fixed(choiceLoss(c))}; ${fixed(c.loss)} on this one's)`;
}
const keepsTimeLevel = (c: ScoredCandidate) => (c.candidate.time_level_kept ?? []).length > 0;

/**
 * The lowest loss, unless that candidate keeps time-level features and is not shown better than
 * the best candidate without them. Rows that share the time-level features' values (one period)
 * share their contribution to the model, so they are one piece of evidence about it, not many: the
 * interval is taken over the periods' mean loss differences (`periodsOf` numbers each validation
 * row's period), and one period shows nothing.
 */
export function chooseCandidate(
  scored: readonly ScoredCandidate[],
  score: ProperScore,
  periodsOf: (timeLevel: readonly string[]) => Uint32Array,
): { chosen: ScoredCandidate; why: string } {
  const best = lowest(scored);
  const lowestWhy = describeLoss(best, score);
  const safe = scored.filter((c) => !keepsTimeLevel(c));
  if (!keepsTimeLevel(best) || safe.length === 0) return { chosen: best, why: lowestWhy };
  const bestSafe = lowest(safe);
  const kept = best.candidate.time_level_kept!;
  const periodGains = periodMeans(pairedDifferences(bestSafe.losses, best.losses), periodsOf(kept));
  const comparison =
    `${best.candidate.name} (${fixed(best.loss)}, keeps the time-level ${kept.join(', ')}) over ` +
    `${bestSafe.candidate.name} (${fixed(bestSafe.loss)}) over ${periodGains.length} periods of the validation rows`;
  if (periodGains.length >= 2) {
    const gain = pairedTInterval(periodGains, TIME_LEVEL_CONFIDENCE);
    const detail = `${comparison}: mean gain per period ${fixed(gain.mean_difference)}, paired_t ${describeInterval(gain.interval)}`;
    if (gain.interval.lower > 0) return { chosen: best, why: `${lowestWhy}, shown better than without its time-level features: ${detail}` };
    return {
      chosen: bestSafe,
      why: `${describeLoss(bestSafe, score, ' without time-level features')}: ${detail} is not shown better`,
    };
  }
  return {
    chosen: bestSafe,
    why: `${describeLoss(bestSafe, score, ' without time-level features')}: ${comparison} cannot show better`,
  };
}

/**
 * Numbers the periods of the time-level features: runs of consecutive rows holding the same value
 * of the slowest-moving of them (the fewest runs: a quarterly index over a daily rate). The slope on
 * a feature is tested by as many distinct values as the rows show it, so the slowest feature bounds
 * the evidence; taking it is the cautious choice the lopsided risk asks for.
 */
export function periodRuns(records: readonly FeatureRecord[], features: readonly string[]): Uint32Array {
  if (records.length === 0) return new Uint32Array(0);
  let coarsest: Uint32Array | null = null;
  for (const name of features) {
    const runs = new Uint32Array(records.length);
    const key = name as keyof FeatureRecord;
    for (let i = 1; i < records.length; i++) runs[i] = runs[i - 1] + (records[i][key] !== records[i - 1][key] ? 1 : 0);
    if (coarsest === null || runs[runs.length - 1] < coarsest[coarsest.length - 1]) coarsest = runs;
  }
  return coarsest ?? new Uint32Array(records.length);
}

/** Mean of the values in each run (runs numbered 0, 1, ... in order). */
export function periodMeans(values: ArrayLike<number>, runs: Uint32Array): Float64Array {
  const count = runs.length === 0 ? 0 : runs[runs.length - 1] + 1;
  const sums = new Float64Array(count);
  const sizes = new Float64Array(count);
  for (let i = 0; i < values.length; i++) {
    sums[runs[i]] += values[i];
    sizes[runs[i]]++;
  }
  return sums.map((sum, k) => sum / sizes[k]);
}
