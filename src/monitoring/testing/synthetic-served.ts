import { BaselineMetrics } from '../../model-registry/model-version';
import { createSeededRandom } from '../../preprocessing/seeded-random';
import { validationCalibration } from '../../training/calibration-baseline';
import { ProbabilityMetrics, evaluateProbabilities } from '../../training/metrics';
import { ReferenceStatistics } from '../../training/reference-statistics';
import { versionCalibration } from '../calibration-performance';
import { DEFAULT_CALIBRATION_RULES } from '../calibration/calibration-verdict';
import { LivePerformanceInput } from '../live-performance';

/** Seeded served predictions for unit specs: x ~ N(shift, 1), outcome ~ Bernoulli(truth(x)), P(yes) = model(x), decided at 0.5. */
export interface SyntheticServed {
  actual: Uint8Array;
  probabilities: Float64Array;
  decisions: Uint8Array;
}

export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** The world of the specs: about 12% say yes, as in the bank data. */
export const truth = (x: number): number => sigmoid(-2.2 + 1.5 * x);

/** Like the spec's balanced-weight model: ranks as well as `truth`, P(yes) as if half the clients said yes. */
export const balanced = (x: number): number => sigmoid(-2.2 + 1.5 * x + 1.5);

export function synthetic(seed: number, n: number, world: (x: number) => number, model: (x: number) => number, shift = 0): SyntheticServed {
  const random = createSeededRandom(seed);
  const x = Float64Array.from({ length: n }, () => shift + Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const actual = Uint8Array.from(x, (v) => (random() < world(v) ? 1 : 0));
  const probabilities = x.map(model);
  return { actual, probabilities, decisions: Uint8Array.from(probabilities, (p) => (p > 0.5 ? 1 : 0)) };
}

/** The collapse: half the clients say yes whatever x, and x moved to where the model says ~0.9. */
export const collapse = (seed: number, n: number): SyntheticServed => synthetic(seed, n, () => 0.5, balanced, 2.5);

/** A version as monitoring sees it, validated on 6,000 synthetic rows of `truth` served by `balanced`. */
export function syntheticVersion() {
  const validation = synthetic(1, 6000, truth, balanced);
  const metrics = evaluateProbabilities(validation.actual, validation.probabilities);
  const saved = validationCalibration(validation.actual, validation.probabilities, 0.5);
  /** Only `prediction.actual_positive_rate` is read, for versions saved before calibration baselines. */
  const stats = { prediction: { actual_positive_rate: saved.base_rate } } as ReferenceStatistics;
  const baselineMetrics = (calibration: BaselineMetrics['validation_calibration']): BaselineMetrics => ({
    validation: metrics,
    test: metrics,
    validation_calibration: calibration,
  });
  const calibration = versionCalibration(baselineMetrics(saved), stats);
  /** What the performance service gives assessLivePerformance, with the default rules. */
  const input = (
    labelled: SyntheticServed,
    recent: SyntheticServed = labelled,
    baseline: ProbabilityMetrics = metrics,
  ): LivePerformanceInput => ({
    labelled,
    recent,
    baseline,
    calibration,
    expectedBaseline: saved.expected,
    rules: { minLabels: 200, aucDrop: 0.05, f1Drop: 0.1 },
    calibrationRules: DEFAULT_CALIBRATION_RULES,
  });
  return { metrics, saved, stats, baselineMetrics, calibration, input };
}
