import { parentPort } from 'node:worker_threads';
import { trainedModelToJson } from '../../training/trained-model-json';
import { trainModel } from '../../training/training-pipeline';
import { ChallengerJob } from './challenger-training';
import { unpackRows } from './row-columns';

/** Worker thread: trains a challenger off the main thread so /predict never waits for a fit. */
parentPort!.on('message', (job: ChallengerJob) => {
  try {
    const trained = trainModel({
      records: unpackRows(job.rows),
      labels: job.labels,
      seed: job.seed,
      split: job.split,
      knownClasses: job.knownClasses,
    });
    parentPort!.postMessage({ ok: true, trained: trainedModelToJson(trained) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: (err as Error).message });
  }
});
