import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { DEFAULT_SCHEMA_FILE, readSchemaFile } from '../data/schema-file';
import { trainOnFile } from './file-training';
import { MODEL_SPEC_PRESETS } from './model-spec';
import { TrainingService } from './training.service';

const SMALL_FILE = 'data/bank-additional.csv';
const ONE_HOT = MODEL_SPEC_PRESETS.one_hot;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The real training worker thread (through ts-node here), on each runtime CI runs. */
describe('TrainingService.trainFromFile', () => {
  const schema = readSchemaFile(DEFAULT_SCHEMA_FILE);
  const service = new TrainingService(schema);
  const scratch = mkdtempSync(path.join(tmpdir(), 'training-service-'));

  it('trains in its worker the model the same code trains here, from the file whose sha256 it reports', async () => {
    const [inWorker, here] = await Promise.all([
      service.trainFromFile(SMALL_FILE, 7, ONE_HOT),
      trainOnFile(schema, SMALL_FILE, 7, ONE_HOT),
    ]);
    expect(inWorker.dataSha256).toBe(createHash('sha256').update(readFileSync(SMALL_FILE)).digest('hex'));
    expect(inWorker.trained.model.toJSON()).toEqual(here.trained.model.toJSON());
    expect(inWorker.trained.metrics).toEqual(here.trained.metrics);
    expect(inWorker.trained.rows).toEqual({ total: 4119, train: 2884, validation: 618, test: 617 });
    // What comes back is a working model and preprocessor, rebuilt against the serving schema.
    const { records } = await loadCsvDataset(SMALL_FILE, schema);
    const score = ({ trained }: typeof here, i: number) => trained.model.probability(trained.preprocessor.transform(records[i]));
    for (const i of [0, 1, 2, 4118]) expect(score(inWorker, i)).toBe(score(here, i));
  }, 60_000);

  it("rejects with the loader's one line for a file that does not fit the schema", async () => {
    const file = path.join(scratch, 'no-target.csv');
    writeFileSync(file, 'age;job\n30;"admin."\n');
    await expect(service.trainFromFile(file, 42)).rejects.toThrow(
      new RegExp(`^${escape(file)}, line 1: missing column\\(s\\) marital[^\\n]*$`),
    );
  }, 60_000);

  it('rejects naming the file when its rows cannot be trained on (one class only)', async () => {
    const lines = readFileSync(SMALL_FILE, 'utf8').split(/\r?\n/);
    const file = path.join(scratch, 'one-class.csv');
    writeFileSync(file, [lines[0], ...lines.slice(1).filter((l) => l.endsWith('"no"'))].join('\n') + '\n');
    await expect(service.trainFromFile(file, 42)).rejects.toThrow(`${file}: cannot train: `);
  }, 60_000);

  it('rejects a missing file with one line naming it', async () => {
    const file = path.join(scratch, 'none.csv');
    await expect(service.trainFromFile(file, 42)).rejects.toThrow(new RegExp(`^${escape(file)}: [^\\n]+$`));
  }, 60_000);
});
