import { DEFAULT_SPLIT } from '../preprocessing/stratified-split';
import { GRADIENT_TOLERANCE } from './fit-model-spec';
import { ClassWeight, ModelSpec, ORIGINAL_SPEC, SpecCalibration, readModelSpec } from './model-spec';

/** Healing's choice of calibration for its challengers (HEAL_CALIBRATION). */
export type Calibration = 'balanced' | 'prior';

/** The estimator's settings as a version's metadata records them (C and class_weight at top level, as before specs). */
export type EstimatorParams = {
  model: 'logistic_regression';
  C: number;
  class_weight: ClassWeight;
  solver: 'newton';
  gradient_tolerance: number;
  /** The whole spec (encoding, class weight, C, calibration, features), as plain JSON. */
  spec: ModelSpec;
};

export function estimatorParams(spec: ModelSpec): EstimatorParams {
  return {
    model: 'logistic_regression',
    C: spec.C,
    class_weight: spec.class_weight,
    solver: 'newton',
    gradient_tolerance: GRADIENT_TOLERANCE,
    spec: readModelSpec(spec),
  };
}

/** The original spec's estimator settings: what `train` records by default. */
export const MODEL_PARAMS = estimatorParams(ORIGINAL_SPEC);

/** What a version's metadata records of how it was fitted: the estimator, its calibration, its split. */
export type ModelParams = EstimatorParams & {
  threshold: number;
  /** The seed's name for the uncalibrated balanced fit is `balanced`; otherwise the spec's calibration. */
  calibration: Calibration | SpecCalibration;
  /** For `platt` / `isotonic`: the rows the map was fitted on (the split's validation part, or given). */
  calibration_rows?: { source: 'validation' | 'given'; rows: number };
  /**
   * A challenger refitted after the gate on its training window moved up to the newest label, the
   * holdout included: its validation and test figures are those of the fit the gate judged, on the
   * holdout it had not seen (the refit has).
   */
  refit?: { holdout_rows: number; figures_from: 'judged_fit' };
  split:
    | { train: number; validation: number; test: number; stratified: true }
    /** A split given by the caller (a challenger's training rows and holdout): its sizes. */
    | { given: true; train: number; validation: number; test: number };
};

/** The default split as metadata records it (test is the rest, 0.15). */
export const DEFAULT_SPLIT_PARAMS = {
  ...DEFAULT_SPLIT,
  test: Number((1 - DEFAULT_SPLIT.train - DEFAULT_SPLIT.validation).toFixed(10)),
  stratified: true as const,
};
