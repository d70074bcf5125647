import { ShapeError, readNumber, readNumberArray, readObject } from '../../common/json-shape';
import { TrainingDataError } from '../logistic-regression';
import { IsotonicMap, fitIsotonicRegression, isotonicValue } from './isotonic-regression';
import { PlattMap, fitPlattScaling, plattProbability } from './platt-scaling';

/** Calibrations fitted on a slice of rows of their own, as a map from decision function to P(yes). */
export const FITTED_CALIBRATIONS = ['platt', 'isotonic'] as const;
export type FittedCalibration = (typeof FITTED_CALIBRATIONS)[number];

/** model.json's `calibration`: the map from the decision function to P(yes). */
export type CalibrationMap = ({ method: 'platt' } & PlattMap) | ({ method: 'isotonic' } & IsotonicMap);

/**
 * Fits a map on the decision function (the linear score, as CalibratedClassifierCV uses for a
 * logistic regression) of calibration rows the model was not fitted on. Throws TrainingDataError
 * (a candidate that cannot be fitted) when those rows do not hold both classes: such a map says nothing.
 */
export function fitCalibrationMap(method: FittedCalibration, scores: ArrayLike<number>, labels: ArrayLike<number>): CalibrationMap {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  if (positives === 0 || positives === labels.length) {
    throw new TrainingDataError(`${method} calibration needs both classes in its rows (${positives} of ${labels.length} "yes")`);
  }
  return method === 'platt' ? { method, ...fitPlattScaling(scores, labels) } : { method, ...fitIsotonicRegression(scores, labels) };
}

export function calibratedProbability(map: CalibrationMap, score: number): number {
  return map.method === 'platt' ? plattProbability(map, score) : isotonicValue(map, score);
}

/** Reads model.json's `calibration`, checking every field; throws ShapeError. */
export function readCalibrationMap(json: unknown, at: string): CalibrationMap {
  const doc = readObject(json, at);
  if (doc.method === 'platt') return { method: 'platt', a: readNumber(doc.a, `${at}.a`), b: readNumber(doc.b, `${at}.b`) };
  if (doc.method !== 'isotonic') throw new ShapeError(`${at}.method must be one of: ${FITTED_CALIBRATIONS.join(', ')}`);
  const x = readNumberArray(doc.x, `${at}.x`);
  const y = readNumberArray(doc.y, `${at}.y`);
  if (x.length === 0 || x.length !== y.length) throw new ShapeError(`${at}.x and ${at}.y must be non-empty and of one length`);
  for (let i = 0; i < x.length; i++) {
    if (i > 0 && !(x[i] > x[i - 1])) throw new ShapeError(`${at}.x must be strictly increasing`);
    if (i > 0 && !(y[i] >= y[i - 1])) throw new ShapeError(`${at}.y must be non-decreasing`);
    if (y[i] < 0 || y[i] > 1) throw new ShapeError(`${at}.y must hold probabilities (0 to 1)`);
  }
  return { method: 'isotonic', x, y };
}
