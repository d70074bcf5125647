import { FeatureRecord } from '../data/dataset-schema';
import { SplitIndices } from '../preprocessing/stratified-split';

export type HealStrategyName = 'append' | 'window';

/** A served prediction with its outcome, in serving order. */
export interface LabelledPrediction {
  record: FeatureRecord;
  label: 0 | 1;
  timestamp: string;
}

export interface ChallengerData {
  records: FeatureRecord[];
  labels: Uint8Array;
  /** train: the challenger's training rows; validation = test = the holdout. */
  split: SplitIndices;
  holdout: LabelledPrediction[];
  /** The newest served prediction the challenger trains on. */
  trainedUntil: string | null;
  /** How many of the newest training rows are labels new since the last run (the search's validation). */
  newBeforeHoldout: number;
  counts: { champion_rows: number; served_rows: number; train: number; holdout: number };
}

/**
 * The challenger's data: the newest `holdoutShare` of the labelled predictions that are new since
 * the last run (`newCount` of the newest served rows), or more when they hold too few of an outcome
 * (see holdoutSizeFor), are held out to judge champion against
 * challenger, so the judgement is about the world as it is now; every older labelled prediction
 * joins the champion's training rows (`append`) or, with them, gives only the newest `window`
 * rows (`window`: forget the old world faster). Champion rows are older than any served row, so
 * "newest" is their order, oldest first.
 */
export function buildChallengerData(
  championRows: { records: readonly FeatureRecord[]; labels: ArrayLike<number> },
  served: readonly LabelledPrediction[],
  options: { strategy: HealStrategyName; window: number; holdoutShare: number; minPositives?: number; minNegatives?: number },
  newCount: number = served.length,
): ChallengerData {
  const holdoutSize = holdoutSizeFor(served, Math.min(newCount, served.length), options);
  const fresh = served.slice(0, served.length - holdoutSize);
  const holdout = served.slice(served.length - holdoutSize);

  const trainRecords: FeatureRecord[] = [...championRows.records, ...fresh.map((p) => p.record)];
  const trainLabels: number[] = [...Array.from(championRows.labels), ...fresh.map((p) => p.label)];
  const start = options.strategy === 'window' ? Math.max(0, trainRecords.length - options.window) : 0;
  const records = [...trainRecords.slice(start), ...holdout.map((p) => p.record)];
  const labels = Uint8Array.from([...trainLabels.slice(start), ...holdout.map((p) => p.label)]);
  const trainCount = trainRecords.length - start;
  const holdoutIndices = Array.from({ length: holdout.length }, (_, i) => trainCount + i);
  const servedKept = Math.min(fresh.length, trainCount);
  return {
    records,
    labels,
    split: { train: Array.from({ length: trainCount }, (_, i) => i), validation: holdoutIndices, test: holdoutIndices },
    holdout,
    trainedUntil: fresh.length > 0 ? fresh[fresh.length - 1].timestamp : null,
    newBeforeHoldout: Math.min(trainCount, Math.max(0, Math.min(newCount, served.length) - holdoutSize)),
    counts: {
      champion_rows: trainCount - servedKept,
      served_rows: servedKept,
      train: trainCount,
      holdout: holdout.length,
    },
  };
}

/**
 * How many of the newest new labels the gate holds out: `holdoutShare` of them, or, when those
 * hold fewer than the minimum of either outcome, as many of the newest as it takes to reach both
 * (all the new ones at most). Waiting a whole run for a rare outcome would leave the champion
 * serving another period unjudged; the judged challenger then learns from fewer of the new rows,
 * but the one promoted is refitted with the holdout anyway.
 */
export function holdoutSizeFor(
  served: readonly LabelledPrediction[],
  newAvailable: number,
  options: { holdoutShare: number; minPositives?: number; minNegatives?: number },
): number {
  const share = Math.ceil(newAvailable * options.holdoutShare);
  const minPositives = options.minPositives ?? 0;
  const minNegatives = options.minNegatives ?? 0;
  let positives = 0;
  for (let size = 1; size <= newAvailable; size++) {
    positives += served[served.length - size].label;
    if (size >= share && positives >= minPositives && size - positives >= minNegatives) return size;
  }
  return newAvailable;
}

/**
 * The rows older than the champion's `trained_until`: its own training rows, or the labelled
 * predictions served up to then when the history holds at least as many (a champion fitted on a
 * short window would otherwise cap every later search at its window, and the search could never
 * try a longer one again). A champion fitted on a file (no trained_until) has only its own rows.
 */
export function rowsBeforeServed(
  championRows: { records: readonly FeatureRecord[]; labels: ArrayLike<number> },
  servedBefore: readonly LabelledPrediction[],
): { records: readonly FeatureRecord[]; labels: ArrayLike<number>; source: 'champion' | 'history' } {
  if (servedBefore.length < championRows.records.length) return { ...championRows, source: 'champion' };
  return { records: servedBefore.map((p) => p.record), labels: Uint8Array.from(servedBefore, (p) => p.label), source: 'history' };
}
