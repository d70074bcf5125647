import { answerOnce } from '../common/one-shot-worker';
import { parseSchema } from '../data/schema-file';
import { FileTrainingJob, FileTrainingResult, trainOnFile } from './file-training';
import { trainedModelToJson } from './trained-model-json';

/** Worker thread: loads a data file and trains on it, in a heap of its own (training.service.ts). */
answerOnce<FileTrainingJob, FileTrainingResult>(async (job) => {
  const schema = parseSchema(job.schema, 'the serving schema');
  const { dataSha256, trained } = await trainOnFile(schema, job.file, job.seed, job.spec);
  return { result: { dataSha256, trained: trainedModelToJson(trained) } };
});
