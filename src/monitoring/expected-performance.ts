import { EXPECTED_FIGURES, ExpectedFigures, pickExpected } from '../training/calibration-baseline';
import { difference } from './calibration-performance';
import { CBPE_ASSUMPTION, ExpectedPerformance, estimatePerformance } from '../training/evaluation/confidence-based-performance';

/**
 * The label-free estimate of performance (NannyML's CBPE, calibration/confidence-based-performance)
 * over the latest predictions, labelled or not: what to look at before outcomes arrive. It is
 * reported, never judged: it has no verdict and never triggers a heal (see that file for why).
 *
 * Beside it stands the same estimate on the version's validation rows at training time. The
 * balanced-weight model's P(yes) is not calibrated, so its estimate is biased from the start
 * (validation: expected accuracy ~0.71 where the realised one is ~0.83); the change against the
 * validation estimate cancels that constant bias and shows what moved.
 */

export interface ExpectedReport {
  method: 'cbpe';
  assumption: string;
  triggers_heal: false;
  /** Predictions in the window (labelled or not). */
  window_size: number;
  min_predictions: number;
  /** Null below min_predictions. */
  estimate: Omit<ExpectedPerformance, 'method' | 'assumption' | 'triggers_heal'> | null;
  /** The same estimate on the validation rows; null for a version saved before it was recorded. */
  baseline: ExpectedFigures | null;
  /** estimate - baseline per figure (null where either is missing). */
  change: Record<keyof ExpectedFigures, number | null> | null;
  /** Why there is no estimate. */
  reasons: string[];
}

/** `decisions` are the yes/no (1/0) served with each prediction. */
export function assessExpected(
  probabilities: Float64Array,
  decisions: Uint8Array,
  baseline: ExpectedFigures | null,
  minPredictions: number,
): ExpectedReport {
  if (!(Number.isInteger(minPredictions) && minPredictions >= 1)) {
    throw new RangeError(`minPredictions must be an integer >= 1, got ${minPredictions}`);
  }
  const n = probabilities.length;
  const common = {
    method: 'cbpe' as const,
    assumption: CBPE_ASSUMPTION,
    triggers_heal: false as const,
    window_size: n,
    min_predictions: minPredictions,
    baseline,
  };
  if (n < minPredictions) {
    return { ...common, estimate: null, change: null, reasons: [`${n} predictions, fewer than the ${minPredictions} needed`] };
  }
  const full = estimatePerformance(probabilities, { decisions });
  const { method: _method, assumption: _assumption, triggers_heal: _triggersHeal, ...estimate } = full;
  const change = baseline ? difference(pickExpected(full), baseline, EXPECTED_FIGURES) : null;
  return { ...common, estimate, change, reasons: [] };
}
