import { parentPort } from 'node:worker_threads';
import { Preprocessor } from '../preprocessing/preprocessor';
import { LogisticModel } from '../training/logistic-model';
import { trainedModelToJson } from '../training/trained-model-json';
import { trainModel } from '../training/training-pipeline';
import { ChallengerJob } from './challenger-training';
import { unpackRows } from '../data/row-columns';

/** Worker thread: trains a challenger and scores the holdout off the main thread, so /predict never waits. */
parentPort!.on('message', (job: ChallengerJob) => {
  try {
    const records = unpackRows(job.rows);
    const trained = trainModel({
      records,
      labels: job.labels,
      seed: job.seed,
      split: job.split,
      knownClasses: job.knownClasses,
      calibration: job.calibration,
    });
    // Score the holdout here too, with both models, so the main thread only ranks the results.
    const champion = {
      model: LogisticModel.fromJSON(job.champion.model),
      preprocessor: Preprocessor.fromJSON(job.champion.preprocessor),
    };
    const holdout = job.split.validation.map((i) => records[i]);
    const challengerP = Float64Array.from(holdout, (r) => trained.model.probability(trained.preprocessor.transform(r)));
    // NaN marks a row the champion cannot encode (a category it never saw): left out of the gate.
    const championP = Float64Array.from(holdout, (r) =>
      champion.preprocessor.findUnknownCategory(r) === null ? champion.model.probability(champion.preprocessor.transform(r)) : NaN,
    );
    parentPort!.postMessage({ ok: true, trained: trainedModelToJson(trained), holdout: { challenger: challengerP, champion: championP } }, [
      challengerP.buffer,
      championP.buffer,
    ]);
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
