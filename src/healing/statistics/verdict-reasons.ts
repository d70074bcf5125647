import { ProperScore } from '../../training/evaluation/scoring-rules';
import { DeLongTest } from './delong';
import { Interval } from './paired-t-interval';

/** The wording of the gate's and the watch's reasons: the lines an operator reads in the events. */

/** Numbers in reasons: 4 decimals, as the events already show scores. */
export function fixed(value: number): string {
  return value.toFixed(4);
}

export function describeInterval(interval: Interval): string {
  return `${+(interval.confidence * 100).toFixed(1)}% interval [${fixed(interval.lower)}, ${fixed(interval.upper)}]`;
}

export const SCORE_NAMES: Record<ProperScore, string> = { brier: 'Brier', log_loss: 'log loss' };

/**
 * The AUC guard shared by gate and watch: a reason when candidate AUC - reference AUC is
 * significantly below -tolerance (the upper bound of DeLong's interval is), else null.
 */
export function aucShortfall(rocAuc: DeLongTest | null, tolerance: number, who: string, than: string): string | null {
  if (rocAuc === null || !(rocAuc.interval.upper < -tolerance)) return null;
  return (
    `${who} ROC-AUC ${fixed(rocAuc.second.auc)} is significantly below ${than}'s ${fixed(rocAuc.first.auc)}: ` +
    `difference ${fixed(rocAuc.difference)}, DeLong ${describeInterval(rocAuc.interval)} lies below ${-tolerance} (p = ${rocAuc.p_value.toPrecision(3)})`
  );
}

/** The guard's note when it does not object. */
export function aucGuardNote(rocAuc: DeLongTest, tolerance: number): string {
  return `ROC-AUC difference ${fixed(rocAuc.difference)} (DeLong ${describeInterval(rocAuc.interval)}) is not significantly below ${-tolerance}`;
}
