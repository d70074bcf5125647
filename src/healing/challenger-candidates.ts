import { FeatureColumn, FeatureRecord } from '../data/dataset-schema';

/** A schema feature as the search needs it: its name and type. */
export type FeatureKind = Pick<FeatureColumn, 'name' | 'type'>;
import { MODEL_SPEC_PRESETS, ModelSpec } from '../training/model-spec';
import { FeatureAnalysis, analyseFeatures } from './feature-stability';

/**
 * The challenger search's candidates, as data: model specs crossed with feature sets and training
 * windows. Feature sets come from what the search's own rows show (feature-stability.ts), so the
 * choice to leave a feature out is made by the newest labels (time-ordered validation), not by us.
 */

/**
 * Which features a candidate keeps: a ladder of caution, each set leaving out what the one before
 * it did and more. All features stays a candidate: neither drift nor persistence alone says a
 * feature's relation to the outcome changed.
 */
export const FEATURE_SETS = ['all', 'without_time_level', 'without_drifted_numeric', 'without_drifted'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

/** What the feature sets are made from: the search's FeatureAnalysis, or any source of the two lists. */
export interface FeatureEvidence {
  /** Numeric features that move with time rather than with the row. */
  time_level: readonly string[];
  drifted: readonly string[];
}

/**
 * Why these: a linear model extrapolates a numeric feature's slope to values it never saw.
 * `without_time_level` leaves out the numeric features that move between periods rather than
 * between rows (euribor at 1% after training at 5%): the next period brings new values whatever
 * the drift says today. `without_drifted_numeric` also leaves out the numeric features whose
 * newest values drifted; `without_drifted` every drifted feature, since a drifted category may
 * have changed its relation to the outcome too.
 */
export function featuresFor(set: FeatureSet, evidence: FeatureEvidence, features: readonly FeatureKind[]): string[] {
  const isCategorical = (name: string) => features.some((f) => f.name === name && f.type === 'categorical');
  const drop = new Set<string>(set === 'all' ? [] : evidence.time_level);
  if (set === 'without_drifted_numeric' || set === 'without_drifted') {
    for (const name of evidence.drifted) if (set === 'without_drifted' || !isCategorical(name)) drop.add(name);
  }
  return features.map((f) => f.name).filter((name) => !drop.has(name));
}

/**
 * The feature analysis of the search's rows: time-level numeric features over rows [historyStart,
 * levelEnd) (every row a fit may use), drift of rows [newestStart, newestEnd) (the newest labels)
 * against the rows before.
 */
export function analyseSearchRows(
  features: readonly FeatureKind[],
  records: readonly FeatureRecord[],
  historyStart: number,
  newestStart: number,
  newestEnd: number,
  levelEnd: number = newestEnd,
): FeatureAnalysis {
  return analyseFeatures({
    levelEnd,
    records,
    numeric: features.filter((f) => f.type !== 'categorical').map((f) => f.name),
    categorical: features.filter((f) => f.type === 'categorical').map((f) => f.name),
    historyStart,
    newestStart,
    newestEnd,
  });
}

/** One fit the search may try: a named spec (features resolved) on the newest `window` rows. */
export interface SearchCandidate {
  /** e.g. "one_hot/without_drifted_numeric/10000". */
  name: string;
  spec: ModelSpec;
  /** How many of the newest training rows it is fitted on. */
  window: number;
  feature_set?: FeatureSet;
  /** The time-level features it keeps: the search keeps them only when shown better (challenger-search.ts). */
  time_level_kept?: string[];
  /**
   * The procedures this fit is, as "<spec>/<feature set>/<window asked for>": a window clipped to
   * the rows there are, or a feature set that drops nothing new, makes one fit stand for several.
   * The search's evidence is kept per procedure, so it adds up across runs (search-evidence.ts).
   */
  procedures?: string[];
}

/** A spec preset name the search may use (HEAL_SPECS). */
export type CandidateSpecName = keyof typeof MODEL_SPEC_PRESETS;

/**
 * Every candidate, in a fixed order (the search tries them in this order while its time budget
 * lasts). Feature sets that drop nothing new, or everything, are left out; so are windows larger
 * than the rows there are (the largest such window stands for "all of them").
 */
export function searchCandidates(
  specNames: readonly string[],
  windows: readonly number[],
  evidence: FeatureEvidence,
  availableRows: number,
  schemaFeatures: readonly FeatureKind[],
): SearchCandidate[] {
  const usable = [...new Set(windows.map((w) => Math.min(w, availableRows)))].filter((w) => w > 0);
  const askedFor = (window: number) => windows.filter((w) => Math.min(w, availableRows) === window);
  // Each distinct feature set, with the sets of the ladder that keep the same features (the same fit).
  const featureSets: Array<[FeatureSet, string[], FeatureSet[]]> = [];
  for (const set of FEATURE_SETS) {
    const features = featuresFor(set, evidence, schemaFeatures);
    if (features.length === 0) continue;
    const same = featureSets.find(([, kept]) => kept.length === features.length);
    if (same) same[2].push(set);
    else featureSets.push([set, features, [set]]);
  }
  const candidates: SearchCandidate[] = [];
  for (const specName of specNames) {
    const preset = MODEL_SPEC_PRESETS[specName];
    if (!preset) throw new Error(`unknown model spec preset '${specName}' (presets: ${Object.keys(MODEL_SPEC_PRESETS).join(', ')})`);
    for (const [set, features, sets] of featureSets) {
      const spec: ModelSpec = features.length === schemaFeatures.length ? { ...preset } : { ...preset, features };
      const kept = evidence.time_level.filter((name) => features.includes(name));
      for (const window of usable) {
        const procedures = sets.flatMap((s) => askedFor(window).map((w) => `${specName}/${s}/${w}`));
        candidates.push({ name: `${specName}/${set}/${window}`, spec, window, feature_set: set, time_level_kept: kept, procedures });
      }
    }
  }
  return candidates;
}
