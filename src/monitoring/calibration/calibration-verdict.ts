import { CalibrationBaseline, LiveCalibrationStats } from '../../training/evaluation/live-calibration-stats';

/**
 * Degraded when calibration collapses. Every rule compares the live window with the version's
 * baseline (its validation figures) and asks for BOTH a practical size (a floor) and more than
 * sampling noise explains (z standard errors), so a small window does not cry wolf and a large one
 * does not flag trivia. None is tuned to one history. The balanced-weight spec model is
 * miscalibrated by design (its P(yes) behaves as if half the clients said yes), which is why the
 * rules measure change against the baseline, not distance from perfect calibration.
 */

export interface CalibrationRules {
  /** Fewer labelled rows than this: insufficient_data. */
  minLabels: number;
  /** Fewer positives or negatives than this: insufficient_data (the no-skill forecast and ECE need both). */
  minPerClass: number;
  /** Standard errors of sampling noise a change must exceed (3: ~0.1% one-sided false alarms per rule). */
  z: number;
  /** Practical floors, each beyond the noise allowance. */
  eceFloor: number;
  meanPredictedFloor: number;
  positiveRateFloor: number;
  accuracyFloor: number;
}

export const DEFAULT_CALIBRATION_RULES: CalibrationRules = {
  minLabels: 200,
  minPerClass: 10,
  z: 3,
  eceFloor: 0.05,
  meanPredictedFloor: 0.05,
  positiveRateFloor: 0.1,
  accuracyFloor: 0.1,
};

export interface CalibrationVerdict {
  verdict: 'healthy' | 'degraded' | 'insufficient_data';
  reasons: string[];
  /** Rules that could not be applied, and why. */
  skipped: string[];
}

const f4 = (value: number): string => value.toFixed(4);

interface ProperScoreFigures {
  name: string;
  live: number;
  /** Standard error of the live score. */
  se: number;
  baseline: number;
  noSkill: number;
  /** Standard error of (live - no-skill), row by row. */
  excessSe: number;
}

/**
 * A proper score (Brier or log loss) collapsed: worse than the baseline beyond noise AND worse than
 * forecasting the window's own base rate for every row, i.e. the probabilities now do harm. The
 * baseline, measured on thousands of validation rows, is taken as exact.
 */
function properScoreRule(f: ProperScoreFigures, z: number): string | null {
  if (!(f.live - f.baseline > z * f.se && f.live - f.noSkill > z * f.excessSe)) return null;
  return `${f.name} ${f4(f.live)} is worse than the baseline ${f4(f.baseline)} and than the no-skill ${f4(f.noSkill)} of forecasting the observed base rate for every row (beyond ${z} standard errors)`;
}

interface RateGapFigures {
  name: string;
  live: number;
  liveBaseRate: number;
  baseline: number;
  baselineBaseRate: number;
  /** Standard error of the live gap (rate - base rate). */
  se: number;
  floor: number;
}

/**
 * A rate moved away from the observed base rate: the gap (rate - base rate) changed from the
 * baseline's gap by more than the floor plus z standard errors of the live gap.
 */
function rateGapRule(f: RateGapFigures, z: number): string | null {
  const liveGap = f.live - f.liveBaseRate;
  const baselineGap = f.baseline - f.baselineBaseRate;
  const allowed = f.floor + z * f.se;
  if (!(Math.abs(liveGap - baselineGap) > allowed)) return null;
  return `${f.name} ${f4(f.live)} against an observed base rate of ${f4(f.liveBaseRate)}: a gap of ${f4(liveGap)} where the baseline's was ${f4(baselineGap)} (change beyond ${f4(allowed)} = ${f.floor} + ${z} standard errors)`;
}

function checkCalibrationRules(rules: CalibrationRules): void {
  if (!(Number.isInteger(rules.minLabels) && rules.minLabels >= 2))
    throw new RangeError(`minLabels must be an integer >= 2, got ${rules.minLabels}`);
  if (!(Number.isInteger(rules.minPerClass) && rules.minPerClass >= 1)) {
    throw new RangeError(`minPerClass must be an integer >= 1, got ${rules.minPerClass}`);
  }
  for (const key of ['z', 'eceFloor', 'meanPredictedFloor', 'positiveRateFloor', 'accuracyFloor'] as const) {
    if (!(rules[key] >= 0)) throw new RangeError(`${key} must be >= 0, got ${rules[key]}`);
  }
}

/** Why a window of `n` labelled predictions with `positives` "yes" is too small to judge, or null when it is not. */
export function calibrationInsufficiency(n: number, positives: number, rules: CalibrationRules): string | null {
  const negatives = n - positives;
  if (n < rules.minLabels) return `${n} labelled predictions, fewer than the ${rules.minLabels} needed`;
  if (positives < rules.minPerClass || negatives < rules.minPerClass) {
    return `${positives} positives and ${negatives} negatives: fewer than ${rules.minPerClass} of a class`;
  }
  return null;
}

export function judgeCalibration(
  live: LiveCalibrationStats,
  baseline: CalibrationBaseline,
  rules: CalibrationRules = DEFAULT_CALIBRATION_RULES,
): CalibrationVerdict {
  checkCalibrationRules(rules);
  const insufficient = calibrationInsufficiency(live.n, live.positives, rules);
  if (insufficient !== null) return { verdict: 'insufficient_data', reasons: [insufficient], skipped: [] };
  const { z } = rules;
  const noSkill = live.no_skill;
  const n = live.n;
  const baseSe = Math.sqrt((live.base_rate * (1 - live.base_rate)) / n);
  const decisionSe = Math.sqrt((live.predicted_positive_rate * (1 - live.predicted_positive_rate)) / n + baseSe ** 2);
  const skipped: string[] = [];
  /** A rule needs its baseline figure; a version saved before that figure was recorded skips it, saying so. */
  const given = (name: string, value: number | null): value is number => {
    if (value === null) skipped.push(`${name}: the baseline has no ${name} to compare with`);
    return value !== null;
  };
  const candidates = [
    properScoreRule(
      {
        name: 'Brier',
        live: live.brier,
        se: live.brier_se,
        baseline: baseline.brier,
        noSkill: noSkill.brier,
        excessSe: noSkill.brier_excess_se,
      },
      z,
    ),
    given('log loss', baseline.log_loss)
      ? properScoreRule(
          {
            name: 'log loss',
            live: live.log_loss,
            se: live.log_loss_se,
            baseline: baseline.log_loss,
            noSkill: noSkill.log_loss,
            excessSe: noSkill.log_loss_excess_se,
          },
          z,
        )
      : null,
    // Calibration in the large: the mean P(yes) is exact given the rows; the noise is in the observed rate.
    given('mean P(yes)', baseline.mean_predicted)
      ? rateGapRule(
          {
            name: 'mean P(yes)',
            live: live.mean_predicted,
            liveBaseRate: live.base_rate,
            baseline: baseline.mean_predicted,
            baselineBaseRate: baseline.base_rate,
            se: baseSe,
            floor: rules.meanPredictedFloor,
          },
          z,
        )
      : null,
    // The decisions: two binomial proportions (the bound ignores their positive correlation: conservative).
    rateGapRule(
      {
        name: 'predicted positive rate',
        live: live.predicted_positive_rate,
        liveBaseRate: live.base_rate,
        baseline: baseline.predicted_positive_rate,
        baselineBaseRate: baseline.base_rate,
        se: decisionSe,
        floor: rules.positiveRateFloor,
      },
      z,
    ),
    // Accuracy fell: a binomial proportion.
    baseline.accuracy - live.accuracy > rules.accuracyFloor + z * live.accuracy_se
      ? `accuracy ${f4(live.accuracy)} is ${f4(baseline.accuracy - live.accuracy)} below the baseline ${f4(baseline.accuracy)} (allowed ${rules.accuracyFloor} + ${z} standard errors)`
      : null,
  ];
  if (given('ECE', baseline.ece)) {
    // ECE rose beyond the floor plus what noise alone adds on this window (ECE is biased upwards
    // on small samples: a calibrated model still shows `expected_if_calibrated`).
    const noise = live.calibration.noise;
    const allowed = rules.eceFloor + noise.expected_if_calibrated + z * noise.sampling_sd;
    if (live.ece - baseline.ece > allowed) {
      candidates.push(
        `ECE ${f4(live.ece)} is ${f4(live.ece - baseline.ece)} above the baseline ${f4(baseline.ece)} (allowed ${f4(allowed)}: ${rules.eceFloor} + noise of ${n} rows)`,
      );
    }
  }
  const reasons = candidates.filter((reason): reason is string => reason !== null);
  return { verdict: reasons.length > 0 ? 'degraded' : 'healthy', reasons, skipped };
}
