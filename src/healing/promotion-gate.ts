import { brierScore, rocAuc } from '../training/metrics';

export interface GateScores {
  roc_auc: number;
  brier_score: number;
  n: number;
}

export interface GateDecision {
  promote: boolean;
  reason: string;
  champion: GateScores;
  challenger: GateScores;
  min_gain: number;
}

export function scoreOn(labels: ArrayLike<number>, probabilities: ArrayLike<number>): GateScores {
  return { roc_auc: rocAuc(labels, probabilities), brier_score: brierScore(labels, probabilities), n: labels.length };
}

/** Differences of floating-point scores: a gain equal to the margin must not fail by rounding. */
const ROUNDING = 1e-12;

/**
 * The promotion gate: the challenger must rank better by a margin (ROC-AUC at least `minGain`
 * higher) and be no worse calibrated (Brier score not higher) on the same recent holdout.
 */
export function decidePromotion(champion: GateScores, challenger: GateScores, minGain: number): GateDecision {
  const gain = challenger.roc_auc - champion.roc_auc;
  const base = { champion, challenger, min_gain: minGain };
  const auc = (s: GateScores) => s.roc_auc.toFixed(4);
  const brier = (s: GateScores) => s.brier_score.toFixed(4);
  if (gain < minGain - ROUNDING) {
    return {
      ...base,
      promote: false,
      reason: `challenger ROC-AUC ${auc(challenger)} is not ${minGain} above the champion's ${auc(champion)}`,
    };
  }
  if (challenger.brier_score > champion.brier_score + ROUNDING) {
    return {
      ...base,
      promote: false,
      reason: `challenger Brier ${brier(challenger)} is worse than the champion's ${brier(champion)}`,
    };
  }
  return {
    ...base,
    promote: true,
    reason: `challenger ROC-AUC ${auc(challenger)} beats ${auc(champion)} by ${gain.toFixed(4)}, Brier ${brier(challenger)} <= ${brier(champion)}`,
  };
}

/**
 * The watch after a promotion: roll back when the new champion's ROC-AUC on the rows it served
 * is more than `minGain` below what the previous champion scores on the same rows.
 */
export function decideWatch(newChampion: GateScores, previous: GateScores, minGain: number): { rollback: boolean; reason: string } {
  const shortfall = previous.roc_auc - newChampion.roc_auc;
  if (shortfall > minGain + ROUNDING) {
    return {
      rollback: true,
      reason: `new champion ROC-AUC ${newChampion.roc_auc.toFixed(4)} is ${shortfall.toFixed(4)} below the previous champion's ${previous.roc_auc.toFixed(4)} on the ${newChampion.n} rows it served`,
    };
  }
  return {
    rollback: false,
    reason: `new champion ROC-AUC ${newChampion.roc_auc.toFixed(4)} vs previous ${previous.roc_auc.toFixed(4)} on ${newChampion.n} rows: kept`,
  };
}
