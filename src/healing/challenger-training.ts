import { Worker } from 'node:worker_threads';
import { workerScript } from '../common/worker-script';
import { DatasetSchema, FeatureRecord, SchemaFileJson } from '../data/dataset-schema';
import { Preprocessor, PreprocessorJson } from '../preprocessing/preprocessor';
import { SplitIndices } from '../preprocessing/stratified-split';
import { LogisticModel, LogisticModelJson } from '../training/logistic-model';
import { TrainedModelJson, trainedModelFromJson } from '../training/trained-model-json';
import { TrainedModel } from '../training/training-pipeline';
import { RowColumns, packRows, transferList } from '../data/row-columns';
import { SearchCandidate } from './challenger-candidates';
import { SearchOutcome, SearchSettings } from './challenger-search';

export interface ChallengerJob {
  /** The serving schema, as its file's JSON (rebuilt in the worker). */
  schema: SchemaFileJson;
  rows: RowColumns;
  /** Outcomes in serving order (oldest first). */
  labels: Uint8Array;
  /** train: every row before the holdout (oldest first); validation = the holdout both models are scored on. */
  split: SplitIndices;
  /** The search judges candidates on rows [validationStart, first holdout row). */
  validationStart: number;
  candidates: SearchCandidate[];
  search: SearchSettings;
  seed: number;
  knownClasses: Record<string, readonly string[]>;
  champion: { model: LogisticModelJson; preprocessor: PreprocessorJson };
}

/** P(yes) of each holdout row by each model; NaN where the champion cannot encode the row. */
export interface HoldoutScores {
  challenger: Float64Array;
  champion: Float64Array;
}

type WorkerReply = { ok: true; trained: TrainedModelJson; holdout: HoldoutScores; search: SearchOutcome } | { ok: false; error: string };

export type ChallengerInput = Omit<ChallengerJob, 'rows' | 'champion' | 'schema'> & {
  schema: DatasetSchema;
  records: readonly FeatureRecord[];
  champion: { model: LogisticModel; preprocessor: Preprocessor };
};

export interface ChallengerResult {
  trained: TrainedModel;
  holdout: HoldoutScores;
  /** Which candidate the search chose, and how every candidate scored. */
  search: SearchOutcome;
}

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
export function trainChallengerInWorker(input: ChallengerInput): Promise<ChallengerResult> {
  const job: ChallengerJob = {
    schema: input.schema.toJSON(),
    rows: packRows(input.records, input.schema.features),
    labels: input.labels,
    split: input.split,
    validationStart: input.validationStart,
    candidates: input.candidates,
    search: input.search,
    seed: input.seed,
    knownClasses: input.knownClasses,
    champion: { model: input.champion.model.toJSON(), preprocessor: input.champion.preprocessor.toJSON() },
  };
  const { file, execArgv } = workerScript(__dirname, 'challenger.worker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { execArgv });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      fn();
    };
    worker.once('message', (reply: WorkerReply) =>
      finish(() =>
        reply.ok
          ? resolve({ trained: trainedModelFromJson(reply.trained, input.schema), holdout: reply.holdout, search: reply.search })
          : reject(new Error(reply.error)),
      ),
    );
    worker.once('error', (err) => finish(() => reject(err)));
    worker.once('exit', (code) => finish(() => reject(new Error(`challenger worker exited with code ${code}`))));
    worker.postMessage(job, transferList(job.rows));
  });
}
