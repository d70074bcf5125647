import { CalibrationError, DEFAULT_CALIBRATION_BINS, expectedCalibrationError } from './expected-calibration-error';
import { assertBinaryLabels, assertLabelledProbabilities, assertSameLengths, countPositives } from './probability-inputs';
import { SampleMean, sampleMean } from './sample-mean';
import { brierPerRow, logLossPerRow } from './scoring-rules';

/**
 * The calibration figures of labelled predictions: proper scores with their standard errors, the
 * no-skill forecast they must beat, ECE, and the rates. The same function gives the baseline (on
 * the validation rows at training time) and the live window, so both are measured alike.
 */

/** What a version must record at training time for the calibration verdict (a subset of the live figures). */
export interface CalibrationBaseline {
  brier: number;
  /**
   * Null when the version did not record it (log loss, ECE and mean P(yes) were first saved with
   * the calibration baseline; older versions have the rest in their metrics): its rule is then skipped.
   */
  log_loss: number | null;
  ece: number | null;
  accuracy: number;
  /** Share of rows decided "yes". */
  predicted_positive_rate: number;
  /** Mean P(yes). */
  mean_predicted: number | null;
  /** Share of rows whose outcome was "yes". */
  base_rate: number;
}

export interface LiveCalibrationStats extends CalibrationBaseline {
  n: number;
  positives: number;
  log_loss: number;
  ece: number;
  mean_predicted: number;
  calibration: CalibrationError;
  brier_se: number;
  log_loss_se: number;
  accuracy_se: number;
  /**
   * Forecasting the window's own base rate for every row: the floor any useful model beats.
   * `*_excess_se` is the standard error of (model loss - no-skill loss), row by row.
   */
  no_skill: { brier: number; log_loss: number; brier_excess_se: number; log_loss_excess_se: number };
}

function excess(rows: Float64Array, noSkill: Float64Array): SampleMean {
  return sampleMean(rows.map((value, i) => value - noSkill[i]));
}

/** `decisions` are the served yes/no (1/0): the window may mix versions with other thresholds. */
export function liveCalibrationStats(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  decisions: ArrayLike<number>,
  bins = DEFAULT_CALIBRATION_BINS,
): LiveCalibrationStats {
  const n = assertLabelledProbabilities('liveCalibrationStats', labels, probabilities);
  assertSameLengths('liveCalibrationStats', labels, decisions);
  assertBinaryLabels('liveCalibrationStats decisions', decisions);
  if (n < 2) throw new Error(`liveCalibrationStats needs at least 2 rows, got ${n}`);
  const positives = countPositives(labels);
  const baseRate = positives / n;
  const baseRateForecast = new Float64Array(n).fill(baseRate);
  const brier = brierPerRow(labels, probabilities);
  const logLoss = logLossPerRow(labels, probabilities);
  const noSkillBrier = brierPerRow(labels, baseRateForecast);
  const noSkillLogLoss = logLossPerRow(labels, baseRateForecast);
  let correct = 0;
  let decidedYes = 0;
  let sumP = 0;
  for (let i = 0; i < n; i++) {
    correct += decisions[i] === labels[i] ? 1 : 0;
    decidedYes += decisions[i];
    sumP += probabilities[i];
  }
  const accuracy = correct / n;
  const calibration = expectedCalibrationError(labels, probabilities, bins);
  const brierMean = sampleMean(brier);
  const logLossMean = sampleMean(logLoss);
  return {
    n,
    positives,
    brier: brierMean.mean,
    log_loss: logLossMean.mean,
    ece: calibration.ece,
    accuracy,
    predicted_positive_rate: decidedYes / n,
    mean_predicted: sumP / n,
    base_rate: baseRate,
    calibration,
    brier_se: brierMean.standard_error,
    log_loss_se: logLossMean.standard_error,
    accuracy_se: Math.sqrt((accuracy * (1 - accuracy)) / n),
    no_skill: {
      brier: sampleMean(noSkillBrier).mean,
      log_loss: sampleMean(noSkillLogLoss).mean,
      brier_excess_se: excess(brier, noSkillBrier).standard_error,
      log_loss_excess_se: excess(logLoss, noSkillLogLoss).standard_error,
    },
  };
}

/** The baseline figures to store with a version, from its validation rows. */
export function calibrationBaseline(stats: LiveCalibrationStats): CalibrationBaseline {
  const { brier, log_loss, ece, accuracy, predicted_positive_rate, mean_predicted, base_rate } = stats;
  return { brier, log_loss, ece, accuracy, predicted_positive_rate, mean_predicted, base_rate };
}
