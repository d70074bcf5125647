import { answerOnce } from '../common/one-shot-worker';
import { performance } from 'node:perf_hooks';
import { unpackRows } from '../data/row-columns';
import { parseSchema } from '../data/schema-file';
import { Preprocessor } from '../preprocessing/preprocessor';
import { LogisticModel } from '../training/logistic-model';
import { trainedModelToJson } from '../training/trained-model-json';
import { fitChallenger } from './challenger-fit';
import { ChallengerJob, ChallengerReply } from './challenger-training';

/**
 * Worker thread: searches the candidates, fits the chosen one before and with the holdout, and
 * scores the holdout with it and the champion, off the main thread, so /predict never waits.
 */
answerOnce<ChallengerJob, ChallengerReply>(async (job) => {
  const started = performance.now();
  const schema = parseSchema(job.schema, 'the serving schema');
  const fit = fitChallenger(
    {
      ...job,
      schema,
      records: unpackRows(job.rows),
      champion: {
        model: LogisticModel.fromJSON(job.champion.model),
        preprocessor: Preprocessor.fromJSON(job.champion.preprocessor, schema),
      },
    },
    () => performance.now() - started,
  );
  const { challenger, champion } = fit.holdout;
  return {
    result: {
      trained: trainedModelToJson(fit.trained),
      refit: fit.refit && trainedModelToJson(fit.refit),
      refitError: fit.refitError,
      holdout: fit.holdout,
      search: fit.search,
    },
    transfer: [challenger.buffer as ArrayBuffer, champion.buffer as ArrayBuffer],
  };
});
