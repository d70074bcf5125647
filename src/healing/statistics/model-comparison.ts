import { assertLabelledProbabilities, countPositives } from '../../training/evaluation/probability-inputs';
import { ProperScore, brierPerRow, logLossPerRow, mean } from '../../training/evaluation/scoring-rules';
import { DeLongTest, delongTest } from './delong';
import { BootstrapSettings, PairedBootstrapResult, pairedBootstrapInterval } from './paired-bootstrap';
import { Interval, PairedTResult, checkConfidence, pairedDifferences, pairedTInterval } from './paired-t-interval';

/**
 * Two models scored on the same labelled rows, with every statistic a gate or a watch needs: the
 * `reference` is the model in place (champion, or the champion before a promotion) and the
 * `candidate` the one on trial. Differences are signed so that positive favours the candidate.
 */

export type LossInterval = 'paired_t' | 'paired_bootstrap';

export interface EvidenceRules {
  /** Fewer labelled positives than this and nothing is decided (2 at least: DeLong's variance needs them). */
  minPositives: number;
  minNegatives: number;
  /** The proper scoring rule that decides. */
  score: ProperScore;
  /** Which interval of the loss difference decides; both are always computed and recorded. */
  interval: LossInterval;
  /** Two-sided confidence of every interval (0.95: each one-sided decision errs at most 2.5% of the time). */
  confidence: number;
  bootstrap: Pick<BootstrapSettings, 'resamples' | 'seed'>;
}

/** Defaults shared by the gate and the watch. */
export const DEFAULT_EVIDENCE_RULES: EvidenceRules = {
  minPositives: 20,
  minNegatives: 20,
  // Brier by default: bounded per-row losses make the interval of their mean trustworthy on a few
  // hundred rows; log loss punishes confident mistakes harder but its differences have heavy tails.
  score: 'brier',
  interval: 'paired_t',
  confidence: 0.95,
  bootstrap: { resamples: 2000, seed: 42 },
};

export interface ModelScores {
  brier: number;
  log_loss: number;
  /** Null with fewer than 2 rows of either class. */
  roc_auc: number | null;
}

export interface LossComparison {
  score: ProperScore;
  /** Mean loss of the reference minus the candidate's, on the same rows: > 0 = the candidate is better. */
  gain: number;
  paired_t: PairedTResult;
  paired_bootstrap: PairedBootstrapResult;
  decided_by: LossInterval;
  /** The deciding interval of `gain`. */
  interval: Interval;
}

export interface CandidateComparison {
  n: number;
  positives: number;
  negatives: number;
  /** Both classes reach their minimum. */
  enough_evidence: boolean;
  /** Why not, when not. */
  evidence_reasons: string[];
  reference: ModelScores;
  candidate: ModelScores;
  /** Null with fewer than 2 rows. */
  loss: LossComparison | null;
  /** DeLong's test of candidate AUC - reference AUC; null with fewer than 2 rows of either class. */
  roc_auc: DeLongTest | null;
}

/** What every verdict on a comparison records, whatever the roles of the two models are called. */
export interface JudgementBase<Verdict extends string, Rules extends EvidenceRules> {
  verdict: Verdict;
  reasons: string[];
  n: number;
  positives: number;
  negatives: number;
  /** gain = reference loss - candidate loss, with both intervals. */
  loss: LossComparison | null;
  /** difference = candidate AUC - reference AUC (DeLong). */
  roc_auc: DeLongTest | null;
  rules: Rules;
}

export function judgementFields<Rules extends EvidenceRules>(comparison: CandidateComparison, rules: Rules) {
  return {
    n: comparison.n,
    positives: comparison.positives,
    negatives: comparison.negatives,
    loss: comparison.loss,
    roc_auc: comparison.roc_auc,
    rules,
  };
}

export interface PairedProbabilities {
  labels: ArrayLike<number>;
  reference: ArrayLike<number>;
  candidate: ArrayLike<number>;
}

export function checkEvidenceRules(rules: EvidenceRules): void {
  for (const key of ['minPositives', 'minNegatives'] as const) {
    if (!Number.isInteger(rules[key]) || rules[key] < 2) throw new RangeError(`${key} must be an integer >= 2, got ${rules[key]}`);
  }
  if (rules.score !== 'brier' && rules.score !== 'log_loss') throw new RangeError(`score must be brier or log_loss, got ${rules.score}`);
  if (rules.interval !== 'paired_t' && rules.interval !== 'paired_bootstrap') {
    throw new RangeError(`interval must be paired_t or paired_bootstrap, got ${rules.interval}`);
  }
  checkConfidence(rules.confidence);
}

export function checkTolerance(name: string, value: number): void {
  if (!(value >= 0)) throw new RangeError(`${name} must be >= 0, got ${value}`);
}

function compareLosses(reference: Float64Array, candidate: Float64Array, rules: EvidenceRules): LossComparison {
  const gains = pairedDifferences(reference, candidate);
  const pairedT = pairedTInterval(gains, rules.confidence);
  const bootstrap = pairedBootstrapInterval(gains, { ...rules.bootstrap, confidence: rules.confidence });
  return {
    score: rules.score,
    gain: pairedT.mean_difference,
    paired_t: pairedT,
    paired_bootstrap: bootstrap,
    decided_by: rules.interval,
    interval: rules.interval === 'paired_t' ? pairedT.interval : bootstrap.interval,
  };
}

export function compareCandidate(input: PairedProbabilities, rules: EvidenceRules): CandidateComparison {
  checkEvidenceRules(rules);
  const { labels, reference, candidate } = input;
  const n = assertLabelledProbabilities('compareCandidate', labels, reference, candidate);
  const positives = countPositives(labels);
  const negatives = n - positives;
  const evidenceReasons: string[] = [];
  if (positives < rules.minPositives) evidenceReasons.push(`${positives} positives, fewer than the ${rules.minPositives} needed`);
  if (negatives < rules.minNegatives) evidenceReasons.push(`${negatives} negatives, fewer than the ${rules.minNegatives} needed`);
  const rocAuc = positives >= 2 && negatives >= 2 ? delongTest(labels, reference, candidate, rules.confidence) : null;
  const brier = [brierPerRow(labels, reference), brierPerRow(labels, candidate)];
  const logLoss = [logLossPerRow(labels, reference), logLossPerRow(labels, candidate)];
  const [referenceLoss, candidateLoss] = rules.score === 'brier' ? brier : logLoss;
  return {
    n,
    positives,
    negatives,
    enough_evidence: evidenceReasons.length === 0,
    evidence_reasons: evidenceReasons,
    reference: { brier: mean(brier[0]), log_loss: mean(logLoss[0]), roc_auc: rocAuc ? rocAuc.first.auc : null },
    candidate: { brier: mean(brier[1]), log_loss: mean(logLoss[1]), roc_auc: rocAuc ? rocAuc.second.auc : null },
    loss: n >= 2 ? compareLosses(referenceLoss, candidateLoss, rules) : null,
    roc_auc: rocAuc,
  };
}
