import {
  CandidateComparison,
  DEFAULT_EVIDENCE_RULES,
  EvidenceRules,
  JudgementBase,
  LossComparison,
  ModelScores,
  checkTolerance,
  compareCandidate,
  judgementFields,
} from './model-comparison';
import { SCORE_NAMES, aucGuardNote, aucShortfall, describeInterval, fixed } from './verdict-reasons';

/**
 * The promotion gate. A proper scoring rule decides, on the paired rows of the holdout: the
 * challenger must be better with confidence (the interval of champion loss - challenger loss lies
 * above `minLossGain`). ROC-AUC only guards: it vetoes when DeLong's interval shows the challenger
 * ranking significantly worse, never for a point difference the sample cannot resolve (the SE of
 * an AUC on 26 positives is about 0.05). Too few positives or negatives is "insufficient evidence",
 * not a verdict on the challenger.
 */

/**
 * `shown_better`: the interval's lower bound must exceed minLossGain (a gain shown with confidence).
 * `better_estimate`: the estimated gain must exceed it (under drift the newer model is the better
 * bet, so the gate refuses what the holdout says is worse rather than demanding significance).
 * `not_worse`: a non-inferiority test: the challenger is refused only when the interval shows it
 * worse (its upper bound lies below -minLossGain). A challenger is the champion's procedure run
 * again on newer labels; under drift that is the better bet a priori, so the burden of proof lies
 * on keeping the older model, and what the gate must catch is a refresh shown to be harmful.
 */
export const PROMOTION_RULES = ['shown_better', 'better_estimate', 'not_worse'] as const;
export type PromotionRule = (typeof PROMOTION_RULES)[number];

export interface GateRules extends EvidenceRules {
  /** The loss gain (champion - challenger) the interval's lower bound (or the estimate) must exceed. */
  minLossGain: number;
  promoteWhen: PromotionRule;
  /** Reject when the upper bound of challenger AUC - champion AUC is below -aucTolerance. */
  aucTolerance: number;
}

export const DEFAULT_GATE_RULES: GateRules = { ...DEFAULT_EVIDENCE_RULES, minLossGain: 0, aucTolerance: 0, promoteWhen: 'shown_better' };

export type GateVerdict = 'promote' | 'reject' | 'insufficient_evidence';

/**
 * Every number an audit event needs, with the champion as reference and the challenger as
 * candidate: loss.gain = champion loss - challenger loss, roc_auc.difference = challenger - champion.
 */
export interface GateJudgement extends JudgementBase<GateVerdict, GateRules> {
  champion: ModelScores;
  challenger: ModelScores;
}

export interface ChallengerHoldout {
  labels: ArrayLike<number>;
  championProba: ArrayLike<number>;
  challengerProba: ArrayLike<number>;
}

function lossReason(loss: LossComparison, rules: GateRules, comparison: CandidateComparison): { passes: boolean; reason: string } {
  const name = SCORE_NAMES[loss.score];
  const minGain = rules.minLossGain;
  const scores = `challenger ${name} ${fixed(comparison.candidate[loss.score])} vs champion ${fixed(comparison.reference[loss.score])}`;
  const detail = `gain ${fixed(loss.gain)}, ${loss.decided_by} ${describeInterval(loss.interval)}`;
  if (rules.promoteWhen === 'better_estimate') {
    const passes = loss.gain > minGain;
    return passes
      ? { passes, reason: `${scores}: estimated better (${detail}; the gain exceeds ${minGain})` }
      : { passes, reason: `${scores}: not better (${detail}; the gain does not exceed ${minGain})` };
  }
  if (rules.promoteWhen === 'not_worse') {
    const passes = loss.interval.upper >= -minGain;
    return passes
      ? { passes, reason: `${scores}: not shown worse (${detail} reaches ${fixed(-minGain)} or above)` }
      : { passes, reason: `${scores}: shown worse (${detail} lies below ${fixed(-minGain)})` };
  }
  const passes = loss.gain > 0 && loss.interval.lower > minGain;
  return passes
    ? { passes, reason: `${scores}: ${detail} lies above ${minGain}` }
    : { passes, reason: `${scores}: not shown better (${detail} does not lie above ${minGain})` };
}

export function judgeChallenger(holdout: ChallengerHoldout, rules: GateRules = DEFAULT_GATE_RULES): GateJudgement {
  checkTolerance('minLossGain', rules.minLossGain);
  checkTolerance('aucTolerance', rules.aucTolerance);
  const comparison = compareCandidate(
    { labels: holdout.labels, reference: holdout.championProba, candidate: holdout.challengerProba },
    rules,
  );
  const base = { ...judgementFields(comparison, rules), champion: comparison.reference, challenger: comparison.candidate };
  if (!comparison.enough_evidence || comparison.loss === null) {
    return { ...base, verdict: 'insufficient_evidence', reasons: comparison.evidence_reasons };
  }
  const loss = lossReason(comparison.loss, rules, comparison);
  const auc = aucShortfall(comparison.roc_auc, rules.aucTolerance, 'challenger', 'the champion');
  if (loss.passes && auc === null) {
    return { ...base, verdict: 'promote', reasons: [loss.reason, aucGuardNote(comparison.roc_auc!, rules.aucTolerance)] };
  }
  const reasons = [...(loss.passes ? [] : [loss.reason]), ...(auc === null ? [] : [auc])];
  return { ...base, verdict: 'reject', reasons };
}
