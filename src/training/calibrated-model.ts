import { FittedCalibration, fitCalibrationMap } from './calibration/calibration-map';
import { TrainingDataError, linearScore } from './logistic-regression';
import { LogisticModel } from './logistic-model';
import { DEFAULT_THRESHOLD } from './metrics';
import { SpecCalibration } from './model-spec';

/** Rows held out of the fit to fit a Platt or isotonic map on: their inputs and labels. */
export interface CalibrationSlice {
  rows: readonly ArrayLike<number>[];
  labels: Uint8Array;
}

export function needsCalibrationSlice(calibration: SpecCalibration): calibration is FittedCalibration {
  return calibration === 'platt' || calibration === 'isotonic';
}

/**
 * The served model of a fit, calibrated as the spec asks, with its decision threshold:
 * - `none`: the fitted sigmoid, "yes" above 0.5 (for a balanced fit, the seed's model);
 * - `prior`: the intercept moved by the log-odds of the training rows' "yes" share and the
 *   threshold set to that share, so P(yes) is calibrated to the base rate while every yes/no
 *   decision stays the balanced model's (King and Zeng's prior correction);
 * - `platt` / `isotonic`: a map from the linear score to P(yes) fitted on the calibration slice,
 *   "yes" above 0.5 of the calibrated probability.
 * Throws TrainingDataError when the slice cannot calibrate (missing, or of one class).
 */
export function calibratedModel(
  fit: { coefficients: ArrayLike<number>; intercept: number },
  inputs: { columns: readonly string[]; featureNames: readonly string[] },
  calibration: SpecCalibration,
  trainY: Uint8Array,
  slice: CalibrationSlice | null,
): LogisticModel {
  const weights = Float64Array.from(fit.coefficients);
  const { columns, featureNames } = inputs;
  if (calibration === 'none') return new LogisticModel(weights, fit.intercept, DEFAULT_THRESHOLD, { columns, featureNames });
  if (calibration === 'prior') {
    let positives = 0;
    for (const label of trainY) positives += label;
    const baseRate = positives / trainY.length;
    return new LogisticModel(weights, fit.intercept + Math.log(baseRate / (1 - baseRate)), baseRate, { columns, featureNames });
  }
  if (!slice || slice.rows.length === 0) throw new TrainingDataError(`${calibration} calibration needs calibration rows`);
  const scores = Float64Array.from(slice.rows, (x) => linearScore(weights, fit.intercept, x));
  const map = fitCalibrationMap(calibration, scores, slice.labels);
  return new LogisticModel(weights, fit.intercept, DEFAULT_THRESHOLD, { columns, featureNames, calibration: map });
}
