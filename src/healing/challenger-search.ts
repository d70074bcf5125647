import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { ProperScore, mean, properScorePerRow } from '../training/evaluation/scoring-rules';
import { needsCalibrationSlice } from '../training/calibrated-model';
import { fitModelSpec } from '../training/fit-model-spec';
import { rocAuc } from '../training/metrics';
import { SearchCandidate } from './challenger-candidates';
import { FeatureAnalysis } from './feature-stability';
import { SearchEvidence, pooledLoss } from './search-evidence';
import { Interval, pairedDifferences, pairedTInterval } from './statistics/paired-t-interval';
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
 *
 * The search has a declared default (HEAL_SEARCH_DEFAULT): the standard practice, one-hot
 * categories with no class weights on a fixed window, with every feature but the time-level ones
 * (which must earn their place, above). Another candidate replaces it only when the validation rows
 * show it better, by the same paired interval (per row; per period when it keeps time-level features
 * the default leaves out). On about 1,400 new labels with 5-10% positives the candidates' losses
 * differ in the fourth decimal, and the lowest of 8 to 24 such estimates is a draw of noise: on the
 * bank replay it took a 5,000- or 18,600-row window or the `prior` spec right before regime changes,
 * where the default served them better. The burden of proof lies on leaving the standard practice,
 * as it lies on the gate's evidence of harm.
 */

/** The paired intervals' confidence when the search is given none (the gate's per-test level is 97.5%). */
export const SEARCH_CONFIDENCE = 0.975;

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
  /** The declared default (a spec preset and the window asked for); none: the lowest loss wins. */
  default?: { spec: string; window: number } | null;
  /** Two-sided confidence of the paired intervals that displace the default or admit time-level features. */
  confidence?: number;
}

/** How one candidate compared with the default on the validation rows. */
export interface VersusDefault {
  /** rows: per-row loss differences; periods: their means per period of the time-level features it adds. */
  unit: 'rows' | 'periods';
  n: number;
  /** Mean of (default loss - this candidate's loss): above 0, this one did better. */
  mean_gain: number;
  interval: Interval | null;
  shown_better: boolean;
}

/** The search's default and whether the evidence displaced it. */
export interface DefaultOutcome {
  /** What was asked for, e.g. "one_hot/10000". */
  asked: string;
  /** The candidate that stood for it (null: none did, or it could not be scored: the lowest loss then decided). */
  name: string | null;
  displaced: boolean;
  /** The candidate that displaced it, with the evidence. */
  by: string | null;
  evidence: VersusDefault | null;
  /** How many other candidates were shown better (the best of them displaces it). */
  shown_better: number;
  confidence: number;
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
  /** Against the default, when there is one (null: the default itself, or not scored). */
  versus_default?: VersusDefault | null;
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
  /** The declared default and whether it was displaced (absent: the search had none). */
  default?: DefaultOutcome;
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
  candidatesAsGiven: readonly SearchCandidate[],
  settings: SearchSettings,
  elapsedMs: () => number,
): SearchOutcome {
  let candidates = candidatesAsGiven;
  if (candidates.length === 0) throw new Error('the challenger search has no candidates');
  const defaultAt = settings.default ? defaultCandidateIndex(candidates, settings.default) : -1;
  // The default is tried first: the budget never leaves it out, and it stands when nothing can be judged.
  if (defaultAt > 0) candidates = [candidates[defaultAt], ...candidates.slice(0, defaultAt), ...candidates.slice(defaultAt + 1)];
  const defaultCandidate = defaultAt >= 0 ? candidates[0] : undefined;
  const confidence = settings.confidence ?? SEARCH_CONFIDENCE;
  const asked = settings.default ? `${settings.default.spec}/${settings.default.window}` : null;
  const { validationStart, validationEnd } = rows;
  const validationRows = Array.from({ length: validationEnd - validationStart }, (_, i) => validationStart + i);
  const base = { score: settings.score, validation_rows: validationRows.length, budget_ms: settings.budgetMs };
  if (validationStart < 1 || !hasBothClasses(rows.labels, validationStart, validationEnd)) {
    return {
      ...base,
      chosen: candidates[0],
      reason: `no validation possible (${validationRows.length} rows before the holdout, both outcomes needed): the ${defaultCandidate ? 'default' : 'first'} candidate`,
      candidates: [],
      elapsed_ms: elapsedMs(),
      ...(asked && {
        default: { asked, name: defaultCandidate?.name ?? null, displaced: false, by: null, evidence: null, shown_better: 0, confidence },
      }),
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
  const periodsOf = (names: readonly string[]) => periodRuns(validationRecords, names);
  const scoredDefault = scored.find((c) => c.candidate === defaultCandidate);
  let choice: { chosen: ScoredCandidate; why: string };
  let defaultOutcome: DefaultOutcome | undefined;
  if (asked && scoredDefault) {
    const judged = chooseAgainstDefault(scored, scoredDefault, settings.score, periodsOf, confidence);
    choice = judged;
    for (const result of results) {
      const versus = judged.versus.get(result.name);
      if (result.status === 'scored') result.versus_default = versus ?? null;
    }
    defaultOutcome = judged.outcome(asked);
  } else {
    choice = chooseCandidate(scored, settings.score, periodsOf, confidence);
    if (asked) {
      const status = defaultCandidate ? `${defaultCandidate.name} could not be scored` : `no candidate stands for ${asked}`;
      choice = { ...choice, why: `${status}, so ${choice.why}` };
      defaultOutcome = {
        asked,
        name: defaultCandidate?.name ?? null,
        displaced: false,
        by: null,
        evidence: null,
        shown_better: 0,
        confidence,
      };
    }
  }
  return {
    ...base,
    chosen: choice.chosen.candidate,
    reason: `${choice.why}; ${scored.length} candidates scored on the ${validationRows.length} labelled rows before the holdout`,
    candidates: results,
    elapsed_ms: elapsedMs(),
    ...(defaultOutcome && { default: defaultOutcome }),
  };
}

/**
 * Which candidate stands for the default: its spec on the window asked for (a window clipped to the
 * rows there are still stands for it), with the first feature set of the ladder that keeps no
 * time-level feature (all of them when there are none), or with all features when every set keeps
 * some. -1: none does.
 */
export function defaultCandidateIndex(candidates: readonly SearchCandidate[], asked: { spec: string; window: number }): number {
  const standsFor = (c: SearchCandidate) =>
    (c.procedures ?? []).some((p) => {
      const [spec, , window] = p.split('/');
      return spec === asked.spec && Number(window) === asked.window;
    });
  const matching = candidates.map((c, i) => [c, i] as const).filter(([c]) => standsFor(c));
  if (matching.length === 0) return -1;
  const safe = matching.find(([c]) => (c.time_level_kept ?? []).length === 0);
  return (safe ?? matching[0])[1];
}

/**
 * How `candidate` compared with `reference` on the validation rows: the paired interval of
 * (reference loss - candidate loss) per row, or, when the candidate keeps time-level features the
 * reference leaves out, per period of those features (rows of one period are one piece of evidence
 * about them). Shown better when the whole interval lies above 0; one row or one period shows nothing.
 */
export function versus(
  candidate: ScoredCandidate,
  reference: ScoredCandidate,
  periodsOf: (timeLevel: readonly string[]) => Uint32Array,
  confidence: number,
): VersusDefault {
  const referenceKeeps = new Set(reference.candidate.time_level_kept ?? []);
  const added = (candidate.candidate.time_level_kept ?? []).filter((name) => !referenceKeeps.has(name));
  const rowGains = pairedDifferences(reference.losses, candidate.losses);
  const gains = added.length > 0 ? periodMeans(rowGains, periodsOf(added)) : rowGains;
  const unit = added.length > 0 ? ('periods' as const) : ('rows' as const);
  if (gains.length < 2) {
    const meanGain = gains.length === 1 ? gains[0] : 0;
    return { unit, n: gains.length, mean_gain: meanGain, interval: null, shown_better: false };
  }
  const test = pairedTInterval(gains, confidence);
  return { unit, n: gains.length, mean_gain: test.mean_difference, interval: test.interval, shown_better: test.interval.lower > 0 };
}

/**
 * The default, unless other candidates are shown better than it (versus()); then the best of those
 * (lowest loss, pooled over past searches when there is past evidence).
 */
export function chooseAgainstDefault(
  scored: readonly ScoredCandidate[],
  defaultScored: ScoredCandidate,
  score: ProperScore,
  periodsOf: (timeLevel: readonly string[]) => Uint32Array,
  confidence: number,
): { chosen: ScoredCandidate; why: string; versus: Map<string, VersusDefault>; outcome: (asked: string) => DefaultOutcome } {
  const comparisons = new Map<string, VersusDefault>();
  const shown: ScoredCandidate[] = [];
  for (const c of scored) {
    if (c === defaultScored) continue;
    const result = versus(c, defaultScored, periodsOf, confidence);
    comparisons.set(c.candidate.name, result);
    if (result.shown_better) shown.push(c);
  }
  const name = defaultScored.candidate.name;
  const level = `${Math.round(confidence * 1000) / 10}%`;
  if (shown.length === 0) {
    const bestOther = scored.length > 1 ? lowest(scored.filter((c) => c !== defaultScored)) : null;
    const beside = bestOther
      ? `; the lowest other, ${bestOther.candidate.name} (${fixed(choiceLoss(bestOther))}), ${describeVersus(comparisons.get(bestOther.candidate.name)!)}`
      : '';
    return {
      chosen: defaultScored,
      why: `the default ${name} (validation ${score} ${fixed(defaultScored.loss)}): no other candidate shown better at ${level}${beside}`,
      versus: comparisons,
      outcome: (asked) => ({ asked, name, displaced: false, by: null, evidence: null, shown_better: 0, confidence }),
    };
  }
  const best = lowest(shown);
  const evidence = comparisons.get(best.candidate.name)!;
  return {
    chosen: best,
    why:
      `${best.candidate.name} (${fixed(choiceLoss(best))}) displaces the default ${name} (${fixed(defaultScored.loss)}): ` +
      `${describeVersus(evidence)}, the lowest ${score} of the ${shown.length} shown better at ${level}`,
    versus: comparisons,
    outcome: (asked) => ({ asked, name, displaced: true, by: best.candidate.name, evidence, shown_better: shown.length, confidence }),
  };
}

function describeVersus(v: VersusDefault): string {
  const over = `over ${v.n} ${v.unit === 'rows' ? 'validation rows' : 'periods of the validation rows'}`;
  if (v.interval === null) return `${over} cannot show better`;
  return `mean gain ${fixed(v.mean_gain)} ${over}, paired_t ${describeInterval(v.interval)}${v.shown_better ? '' : ', not shown better'}`;
}

export interface ScoredCandidate {
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
  confidence = SEARCH_CONFIDENCE,
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
    const gain = pairedTInterval(periodGains, confidence);
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
