import { FEATURE_NAMES, FeatureName, isCategorical } from '../data/dataset-schema';
import { MODEL_SPEC_PRESETS, ModelSpec } from '../training/model-spec';

/**
 * The challenger search's candidates, as data: model specs crossed with feature sets and training
 * windows. Feature sets come from what monitoring saw drift, so the choice to leave a feature out
 * is made by the newest labels (time-ordered validation), not by us.
 */

/** Which features a candidate keeps, given the features that drifted. */
export const FEATURE_SETS = ['all', 'without_drifted_numeric', 'without_drifted'] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

/**
 * Why these three: a linear model extrapolates a drifted numeric feature's coefficient to values it
 * never saw (euribor at 1% after training at 5%), so leaving those out is the first suspect; a
 * drifted category may have changed its relation to the outcome too, so the last set drops every
 * drifted feature. All features stays a candidate: drift alone does not say the relation changed.
 */
export function featuresFor(set: FeatureSet, drifted: readonly string[]): FeatureName[] {
  const drop = new Set(set === 'all' ? [] : drifted.filter((name) => set === 'without_drifted' || !isCategorical(name)));
  return FEATURE_NAMES.filter((name) => !drop.has(name));
}

/** One fit the search may try: a named spec (features resolved) on the newest `window` rows. */
export interface SearchCandidate {
  /** e.g. "one_hot/without_drifted_numeric/10000". */
  name: string;
  spec: ModelSpec;
  /** How many of the newest training rows it is fitted on. */
  window: number;
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
  drifted: readonly string[],
  availableRows: number,
): SearchCandidate[] {
  const usable = [...new Set(windows.map((w) => Math.min(w, availableRows)))].filter((w) => w > 0);
  const featureSets: Array<[FeatureSet, FeatureName[]]> = [];
  for (const set of FEATURE_SETS) {
    const features = featuresFor(set, drifted);
    if (features.length === 0 || featureSets.some(([, kept]) => kept.length === features.length)) continue;
    featureSets.push([set, features]);
  }
  const candidates: SearchCandidate[] = [];
  for (const specName of specNames) {
    const preset = MODEL_SPEC_PRESETS[specName];
    if (!preset) throw new Error(`unknown model spec preset '${specName}' (presets: ${Object.keys(MODEL_SPEC_PRESETS).join(', ')})`);
    for (const [set, features] of featureSets) {
      const spec: ModelSpec = features.length === FEATURE_NAMES.length ? { ...preset } : { ...preset, features };
      for (const window of usable) candidates.push({ name: `${specName}/${set}/${window}`, spec, window });
    }
  }
  return candidates;
}
