import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { ProperScore, properScore } from '../training/evaluation/scoring-rules';
import { needsCalibrationSlice } from '../training/calibrated-model';
import { fitModelSpec } from '../training/fit-model-spec';
import { rocAuc } from '../training/metrics';
import { SearchCandidate } from './challenger-candidates';

/**
 * The challenger search: each candidate is fitted on the rows just before a validation slice and
 * scored on that slice, the newest labelled rows the gate does not use. Time-ordered, never a
 * random split of drifting data: a candidate is judged on the world that came after its training
 * rows, as it would be served. Pure: runs in the challenger worker.
 */

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
  let best: { candidate: SearchCandidate; loss: number } | null = null;
  for (const candidate of candidates) {
    const result: CandidateResult = {
      name: candidate.name,
      window: candidate.window,
      status: 'over_budget',
      validation_loss: null,
      validation_roc_auc: null,
      error: null,
      fit_ms: null,
    };
    results.push(result);
    if (best !== null && elapsedMs() > settings.budgetMs) continue;
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
      const loss = properScore(settings.score, validationLabels, probabilities);
      Object.assign(result, { status: 'scored', validation_loss: loss, validation_roc_auc: rocAuc(validationLabels, probabilities) });
      if (best === null || loss < best.loss) best = { candidate, loss };
    } catch (err) {
      // One class in its window, a calibration slice of one class, no convergence: skipped, recorded.
      Object.assign(result, { status: 'failed', error: (err as Error).message });
    }
    result.fit_ms = elapsedMs() - started;
  }
  if (best === null) {
    throw new Error(`every candidate failed to fit: ${results.map((r) => `${r.name}: ${r.error}`).join('; ')}`);
  }
  return {
    ...base,
    chosen: best.candidate,
    reason: `lowest validation ${settings.score} (${best.loss.toFixed(4)}) of ${results.filter((r) => r.status === 'scored').length} candidates on the ${validationRows.length} labelled rows before the holdout`,
    candidates: results,
    elapsed_ms: elapsedMs(),
  };
}
