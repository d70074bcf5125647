import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { unpackRows } from '../data/row-columns';
import { parseSchema } from '../data/schema-file';
import { Preprocessor } from '../preprocessing/preprocessor';
import { LogisticModel } from '../training/logistic-model';
import { trainedModelToJson } from '../training/trained-model-json';
import { trainModel } from '../training/training-pipeline';
import { candidateRows, searchChallenger } from './challenger-search';
import { ChallengerJob } from './challenger-training';

/**
 * Worker thread: searches the candidates, refits the chosen one on every row before the holdout,
 * and scores the holdout with it and the champion, off the main thread, so /predict never waits.
 */
parentPort!.on('message', (job: ChallengerJob) => {
  try {
    const started = performance.now();
    const schema = parseSchema(job.schema, 'the serving schema');
    const records = unpackRows(job.rows);
    const holdoutStart = job.split.validation[0] ?? records.length;
    const search = searchChallenger(
      {
        schema,
        records,
        labels: job.labels,
        validationStart: job.validationStart,
        validationEnd: holdoutStart,
        knownClasses: job.knownClasses,
      },
      job.candidates,
      job.search,
      () => performance.now() - started,
    );
    // The chosen candidate again, now on the newest rows before the holdout (the validation rows included).
    const { trainRows, calibrationRows } = candidateRows(search.chosen, holdoutStart, job.search.calibrationShare);
    const trained = trainModel({
      schema,
      records,
      labels: job.labels,
      seed: job.seed,
      split: { train: trainRows, validation: job.split.validation, test: job.split.test },
      knownClasses: job.knownClasses,
      spec: search.chosen.spec,
      calibrationRows,
    });
    // Score the holdout here too, with both models, so the main thread only judges the results.
    const champion = {
      model: LogisticModel.fromJSON(job.champion.model),
      preprocessor: Preprocessor.fromJSON(job.champion.preprocessor, schema),
    };
    const holdout = job.split.validation.map((i) => records[i]);
    const challengerP = Float64Array.from(holdout, (r) => trained.model.probability(trained.preprocessor.transform(r)));
    // NaN marks a row the champion cannot encode (a category it never saw): left out of the gate.
    const championP = Float64Array.from(holdout, (r) =>
      champion.preprocessor.findUnknownCategory(r) === null ? champion.model.probability(champion.preprocessor.transform(r)) : NaN,
    );
    const reply = { ok: true, trained: trainedModelToJson(trained), holdout: { challenger: challengerP, champion: championP }, search };
    parentPort!.postMessage(reply, [challengerP.buffer, championP.buffer]);
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
