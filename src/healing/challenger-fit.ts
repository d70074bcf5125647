import { DatasetSchema, FeatureRecord } from '../data/dataset-schema';
import { Preprocessor } from '../preprocessing/preprocessor';
import { SplitIndices } from '../preprocessing/stratified-split';
import { LogisticModel } from '../training/logistic-model';
import { TrainedModel, trainModel } from '../training/training-pipeline';
import { analyseSearchRows, searchCandidates } from './challenger-candidates';
import { SearchOutcome, SearchSettings, candidateRows, searchChallenger } from './challenger-search';

/**
 * What the challenger worker computes, as a pure function: analyse the rows' features, search the
 * candidates, fit the chosen one on every row before the holdout (the fit the gate judges), refit
 * it with the holdout included (the fit promoted if the gate says so), and score the holdout with
 * the judged fit and the champion.
 */

export interface ChallengerFitInput {
  schema: DatasetSchema;
  records: readonly FeatureRecord[];
  /** Outcomes in serving order (oldest first). */
  labels: Uint8Array;
  /** train: every row before the holdout (oldest first); validation = test = the holdout, the newest rows. */
  split: SplitIndices;
  /** The search judges candidates on rows [validationStart, first holdout row). */
  validationStart: number;
  /** HEAL_SPECS and HEAL_SEARCH_WINDOWS: the candidates are these crossed with the feature sets. */
  space: { specs: readonly string[]; windows: readonly number[] };
  search: SearchSettings;
  seed: number;
  knownClasses: Record<string, readonly string[]>;
  champion: { model: LogisticModel; preprocessor: Preprocessor };
}

/** P(yes) of each holdout row by each model; NaN where the champion cannot encode the row. */
export interface HoldoutScores {
  challenger: Float64Array;
  champion: Float64Array;
}

export interface ChallengerFit {
  /** The chosen candidate on the rows before the holdout: what the gate judges. */
  trained: TrainedModel;
  /**
   * The same candidate on its window moved up to the newest label: what is promoted when the gate
   * says so (a model that lags the newest labels serves the next period worse). Null, with the
   * reason, when it cannot be fitted: the judged fit is promoted then.
   */
  refit: TrainedModel | null;
  refitError: string | null;
  holdout: HoldoutScores;
  search: SearchOutcome;
}

export function fitChallenger(input: ChallengerFitInput, elapsedMs: () => number): ChallengerFit {
  const { schema, records, labels, split, validationStart, space } = input;
  const holdoutStart = split.validation[0] ?? records.length;
  const lookback = Math.max(...space.windows);
  // Time-level features over every row a fit may use: the refit promoted learns from the holdout too.
  const features = analyseSearchRows(
    schema.features,
    records,
    Math.max(0, validationStart - lookback),
    validationStart,
    holdoutStart,
    records.length,
  );
  const candidates = searchCandidates(space.specs, space.windows, features, validationStart, schema.features);
  const search = searchChallenger(
    { schema, records, labels, validationStart, validationEnd: holdoutStart, knownClasses: input.knownClasses },
    candidates,
    input.search,
    elapsedMs,
  );
  const fitUpTo = (end: number, validation: number[]) => {
    const { trainRows, calibrationRows } = candidateRows(search.chosen, end, input.search.calibrationShare);
    return trainModel({
      schema,
      records,
      labels,
      seed: input.seed,
      split: { train: trainRows, validation, test: validation },
      knownClasses: input.knownClasses,
      spec: search.chosen.spec,
      calibrationRows,
    });
  };
  // The chosen candidate again, now on the newest rows before the holdout (the validation rows included).
  const trained = fitUpTo(holdoutStart, split.validation);
  let refit: TrainedModel | null = null;
  let refitError: string | null = null;
  if (split.validation.length > 0) {
    try {
      refit = withJudgedFigures(fitUpTo(records.length, split.validation), trained);
    } catch (err) {
      refitError = (err as Error).message;
    }
  }
  const holdout = split.validation.map((i) => records[i]);
  const { model: championModel, preprocessor: championPreprocessor } = input.champion;
  return {
    trained,
    refit,
    refitError,
    holdout: {
      challenger: Float64Array.from(holdout, (r) => trained.model.probability(trained.preprocessor.transform(r))),
      // NaN marks a row the champion cannot encode (a category it never saw): left out of the gate.
      champion: Float64Array.from(holdout, (r) =>
        championPreprocessor.findUnknownCategory(r) === null ? championModel.probability(championPreprocessor.transform(r)) : NaN,
      ),
    },
    search: { ...search, features },
  };
}

/**
 * The refit has trained on the holdout, so its own figures there would flatter it: it carries the
 * judged fit's (the same spec, measured on rows it had not seen), which monitoring then compares
 * live figures against.
 */
function withJudgedFigures(refit: TrainedModel, judged: TrainedModel): TrainedModel {
  return {
    ...refit,
    params: { ...refit.params, refit: { holdout_rows: judged.split.validation.length, figures_from: 'judged_fit' } },
    metrics: judged.metrics,
    stats: { ...refit.stats, prediction: judged.stats.prediction },
  };
}
