import { FeatureColumn } from '../data/dataset-schema';
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
export function featuresFor(set: FeatureSet, drifted: readonly string[], features: readonly FeatureKind[]): string[] {
  const categorical = new Set(features.filter((f) => f.type === 'categorical').map((f) => f.name));
  const drop = new Set(set === 'all' ? [] : drifted.filter((name) => set === 'without_drifted' || !categorical.has(name)));
  return features.map((f) => f.name).filter((name) => !drop.has(name));
}

/** A schema feature as the search needs it: its name and type. */
export type FeatureKind = Pick<FeatureColumn, 'name' | 'type'>;

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
  features: readonly FeatureKind[],
): SearchCandidate[] {
  const usable = [...new Set(windows.map((w) => Math.min(w, availableRows)))].filter((w) => w > 0);
  const featureSets: Array<[FeatureSet, string[]]> = [];
  for (const set of FEATURE_SETS) {
    const kept = featuresFor(set, drifted, features);
    if (kept.length === 0 || featureSets.some(([, other]) => other.length === kept.length)) continue;
    featureSets.push([set, kept]);
  }
  const candidates: SearchCandidate[] = [];
  for (const specName of specNames) {
    const preset = MODEL_SPEC_PRESETS[specName];
    if (!preset) throw new Error(`unknown model spec preset '${specName}' (presets: ${Object.keys(MODEL_SPEC_PRESETS).join(', ')})`);
    for (const [set, kept] of featureSets) {
      const spec: ModelSpec = kept.length === features.length ? { ...preset } : { ...preset, features: kept };
      for (const window of usable) candidates.push({ name: `${specName}/${set}/${window}`, spec, window });
    }
  }
  return candidates;
}
