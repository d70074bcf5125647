import {
  DEFAULT_EVIDENCE_RULES,
  EvidenceRules,
  JudgementBase,
  ModelScores,
  checkTolerance,
  compareCandidate,
  judgementFields,
} from './model-comparison';
import { SCORE_NAMES, aucGuardNote, aucShortfall, describeInterval, fixed } from './verdict-reasons';

/**
 * The watch after a promotion, with the gate's statistics: both the new champion and the one it
 * replaced score the rows the new one served. Roll back only when the new champion is shown worse:
 * its loss significantly higher (the interval of previous loss - new loss lies below
 * -lossTolerance) or its ROC-AUC significantly lower (DeLong, below -aucTolerance). Too few
 * positives or negatives: not decided yet, keep watching.
 */

export interface WatchRules extends EvidenceRules {
  lossTolerance: number;
  aucTolerance: number;
}

export const DEFAULT_WATCH_RULES: WatchRules = { ...DEFAULT_EVIDENCE_RULES, lossTolerance: 0, aucTolerance: 0 };

export type WatchVerdict = 'rollback' | 'keep' | 'undecided';

/**
 * The champion being watched is the candidate, the one it replaced the reference:
 * loss.gain = previous loss - current loss (below 0 when the new one is worse),
 * roc_auc.difference = current AUC - previous AUC.
 */
export interface WatchJudgement extends JudgementBase<WatchVerdict, WatchRules> {
  current: ModelScores;
  previous: ModelScores;
}

export interface WatchRows {
  labels: ArrayLike<number>;
  previousProba: ArrayLike<number>;
  currentProba: ArrayLike<number>;
}

export function judgeWatch(rows: WatchRows, rules: WatchRules = DEFAULT_WATCH_RULES): WatchJudgement {
  checkTolerance('lossTolerance', rules.lossTolerance);
  checkTolerance('aucTolerance', rules.aucTolerance);
  const comparison = compareCandidate({ labels: rows.labels, reference: rows.previousProba, candidate: rows.currentProba }, rules);
  const base = { ...judgementFields(comparison, rules), current: comparison.candidate, previous: comparison.reference };
  if (!comparison.enough_evidence || comparison.loss === null) {
    return { ...base, verdict: 'undecided', reasons: comparison.evidence_reasons };
  }
  const loss = comparison.loss;
  const name = SCORE_NAMES[loss.score];
  const scores = `new champion ${name} ${fixed(comparison.candidate[loss.score])} vs previous ${fixed(comparison.reference[loss.score])} on ${comparison.n} rows`;
  const detail = `previous - new ${fixed(loss.gain)}, ${loss.decided_by} ${describeInterval(loss.interval)}`;
  const reasons: string[] = [];
  if (loss.interval.upper < -rules.lossTolerance)
    reasons.push(`${scores}: significantly worse (${detail} lies below ${-rules.lossTolerance})`);
  const auc = aucShortfall(comparison.roc_auc, rules.aucTolerance, 'new champion', 'the previous champion');
  if (auc !== null) reasons.push(auc);
  if (reasons.length > 0) return { ...base, verdict: 'rollback', reasons };
  return {
    ...base,
    verdict: 'keep',
    reasons: [`${scores}: not shown worse (${detail})`, aucGuardNote(comparison.roc_auc!, rules.aucTolerance)],
  };
}
