import { runInWorker } from '../common/one-shot-worker';
import { workerScript } from '../common/worker-script';
import { SchemaFileJson } from '../data/dataset-schema';
import { PreprocessorJson } from '../preprocessing/preprocessor';
import { LogisticModelJson } from '../training/logistic-model';
import { TrainedModelJson, trainedModelFromJson } from '../training/trained-model-json';
import { RowColumns, packRows, transferList } from '../data/row-columns';
import { ChallengerFit, ChallengerFitInput, HoldoutScores } from './challenger-fit';
import { SearchOutcome } from './challenger-search';

export type { HoldoutScores } from './challenger-fit';

/** What the main thread posts to the challenger worker: the fit's input as transferable data. */
export type ChallengerJob = Omit<ChallengerFitInput, 'records' | 'champion' | 'schema'> & {
  /** The serving schema, as its file's JSON (rebuilt in the worker). */
  schema: SchemaFileJson;
  rows: RowColumns;
  champion: { model: LogisticModelJson; preprocessor: PreprocessorJson };
};

/** What the challenger worker answers. */
export interface ChallengerReply {
  trained: TrainedModelJson;
  refit: TrainedModelJson | null;
  refitError: string | null;
  holdout: HoldoutScores;
  search: SearchOutcome;
}

export type ChallengerInput = ChallengerFitInput;

/** The judged fit, the refit with the holdout, the holdout's scores and the search (challenger-fit.ts). */
export type ChallengerResult = ChallengerFit;

/** Fits a challenger and scores the holdout with it and the champion (a DI token; tests fake it). */
export abstract class ChallengerTrainer {
  abstract train(input: ChallengerInput): Promise<ChallengerResult>;
}

/** The production trainer: each fit in a worker thread of its own. */
export class WorkerChallengerTrainer extends ChallengerTrainer {
  train(input: ChallengerInput): Promise<ChallengerResult> {
    return trainChallengerInWorker(input);
  }
}

/**
 * Searches for and trains a challenger in a worker thread (the same fits as `train`) and scores
 * the holdout there with it and the champion, so fits on tens of thousands of rows never stall
 * the event loop that serves /predict.
 */
export async function trainChallengerInWorker(input: ChallengerInput): Promise<ChallengerResult> {
  const job: ChallengerJob = {
    schema: input.schema.toJSON(),
    rows: packRows(input.records, input.schema.features),
    labels: input.labels,
    split: input.split,
    validationStart: input.validationStart,
    space: input.space,
    search: input.search,
    seed: input.seed,
    knownClasses: input.knownClasses,
    champion: { model: input.champion.model.toJSON(), preprocessor: input.champion.preprocessor.toJSON() },
  };
  const reply = await runInWorker<ChallengerJob, ChallengerReply>({
    script: workerScript(__dirname, 'challenger.worker'),
    job,
    transfer: transferList(job.rows),
    what: 'the challenger worker',
  });
  return {
    trained: trainedModelFromJson(reply.trained, input.schema),
    refit: reply.refit && trainedModelFromJson(reply.refit, input.schema),
    refitError: reply.refitError,
    holdout: reply.holdout,
    search: reply.search,
  };
}
