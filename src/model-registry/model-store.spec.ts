import { BANK_SCHEMA } from '../data/testing/bank-schema';
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { Dataset } from '../data/dataset';
import { MODEL_PARAMS, TrainedModel, trainModel } from '../training/training-pipeline';
import type { EditableJson } from '../../test/support/shape-error';
import { ArtifactError } from './artifact-error';
import { ModelStore } from './model-store';
import { Provenance } from './provenance';
import { RegistryState, promoteState } from './registry-state';

const BANK_CSV = path.join(__dirname, '..', '..', 'data', 'bank-additional.csv');
const MODEL_FILES = ['model.json', 'preprocessor.json', 'metadata.json', 'schema.json'] as const;
const BASELINE_FILES = ['metrics.json', 'stats.json', 'split.json'] as const;
/** A fixed moment, so created_at is predictable (local time). */
const NOW = new Date(2024, 2, 5, 7, 8, 9); // 2024-03-05 07:08:09 local

let dataset: Dataset;
let trained: TrainedModel;
let provenance: Provenance;
let root: string;
let store: ModelStore;

beforeAll(async () => {
  dataset = await loadCsvDataset(BANK_CSV, BANK_SCHEMA);
  trained = trainModel({ schema: BANK_SCHEMA, records: dataset.records, labels: dataset.labels, seed: 42 });
  provenance = { dataFile: BANK_CSV, dataSha256: dataset.sha256, seed: 42, parentVersion: null, reason: 'unit test' };
});

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'model-store-spec-'));
  store = new ModelStore(root, BANK_SCHEMA);
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

/** Makes `version` active with no watch, as training with activation does. */
const activate = (version: string, now = NOW): Promise<RegistryState> =>
  store.registry.update((state) => promoteState(state, version, now, null));

const exists = (file: string) =>
  fsp.access(file).then(
    () => true,
    () => false,
  );

/** The ArtifactError `promise` rejects with (fails the test when it resolves). */
async function artifactError(promise: Promise<unknown>): Promise<ArtifactError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ArtifactError);
    return err as ArtifactError;
  }
  throw new Error('expected an ArtifactError');
}

describe('ModelStore', () => {
  describe('saveVersion', () => {
    it('saves the first version as v1 with its six files and their checksums', async () => {
      const metadata = await store.versions.saveVersion(trained, provenance, NOW);
      expect(metadata.version).toBe('v1');
      for (const name of MODEL_FILES) expect(await exists(path.join(root, 'models', 'v1', name))).toBe(true);
      for (const name of BASELINE_FILES) expect(await exists(path.join(root, 'baseline', 'v1', name))).toBe(true);
      expect((await fsp.readdir(path.join(root, 'models', 'v1'))).sort()).toEqual([...MODEL_FILES, 'checksums.json'].sort());
      const sums = JSON.parse(await fsp.readFile(path.join(root, 'models', 'v1', 'checksums.json'), 'utf8'));
      expect(Object.keys(sums).sort()).toEqual([...MODEL_FILES, ...BASELINE_FILES].sort());
      expect((await fsp.readdir(path.join(root, 'baseline', 'v1'))).sort()).toEqual([...BASELINE_FILES].sort());
    });

    it('saves the next one as v2 and leaves v1 untouched', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const before = await Promise.all(MODEL_FILES.map((n) => fsp.readFile(store.versions.modelFile('v1', n), 'utf8')));
      const second = await store.versions.saveVersion(
        trained,
        { ...provenance, parentVersion: 'v1', reason: 'retrain' },
        new Date(2024, 2, 6),
      );
      expect(second.version).toBe('v2');
      expect(await Promise.all(MODEL_FILES.map((n) => fsp.readFile(store.versions.modelFile('v1', n), 'utf8')))).toEqual(before);
      expect(await store.versions.listVersions()).toEqual(['v1', 'v2']);
      expect((await store.versions.loadVersion('v2')).metadata).toMatchObject({ version: 'v2', parent_version: 'v1', reason: 'retrain' });
      expect((await store.versions.loadVersion('v1')).metadata).toMatchObject({ version: 'v1', parent_version: null });
    });

    it('records the provenance, params, rows, solver and metrics in metadata.json', async () => {
      const metadata = await store.versions.saveVersion(trained, provenance, NOW);
      const onDisk = JSON.parse(await fsp.readFile(store.versions.modelFile('v1', 'metadata.json'), 'utf8'));
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(metadata)));
      expect(onDisk).toMatchObject({
        version: 'v1',
        created_at: '20240305_070809',
        created_at_iso: NOW.toISOString(),
        data_file: BANK_CSV,
        data_sha256: dataset.sha256,
        rows: { total: 4119, train: 2884, validation: 618, test: 617 },
        seed: 42,
        parent_version: null,
        reason: 'unit test',
      });
      expect(onDisk.params).toEqual({
        ...MODEL_PARAMS,
        threshold: 0.5,
        calibration: 'balanced',
        split: { train: 0.7, validation: 0.15, test: 0.15, stratified: true },
      });
      expect(onDisk.metrics.validation.roc_auc).toBe(trained.metrics.validation.roc_auc);
    });

    it('writes the baseline: metrics, reference statistics and the split', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const read = async (name: (typeof BASELINE_FILES)[number]) =>
        JSON.parse(await fsp.readFile(store.versions.baselineFile('v1', name), 'utf8'));
      expect(await read('metrics.json')).toEqual(JSON.parse(JSON.stringify(trained.metrics)));
      expect(await read('stats.json')).toEqual(JSON.parse(JSON.stringify(trained.stats)));
      expect(await read('split.json')).toEqual(trained.split);
    });

    it('leaves nothing behind in the staging folder', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await store.versions.saveVersion(trained, provenance, NOW);
      const staging = path.join(root, '.staging');
      expect((await exists(staging)) ? await fsp.readdir(staging) : []).toEqual([]);
    });

    it('gives two concurrent saves two distinct versions, both complete', async () => {
      const [a, b] = await Promise.all([
        store.versions.saveVersion(trained, { ...provenance, reason: 'a' }, NOW),
        store.versions.saveVersion(trained, { ...provenance, reason: 'b' }, NOW),
      ]);
      expect([a.version, b.version].sort()).toEqual(['v1', 'v2']);
      expect(await store.versions.listVersions()).toEqual(['v1', 'v2']);
      expect((await store.versions.loadVersion(a.version)).metadata.reason).toBe('a');
      expect((await store.versions.loadVersion(b.version)).metadata.reason).toBe('b');
      for (const v of ['v1', 'v2']) expect(await store.versions.loadSplit(v)).toEqual(trained.split);
    });

    it('gives five concurrent saves v1 .. v5 with nothing overwritten', async () => {
      const saved = await Promise.all(
        [1, 2, 3, 4, 5].map((k) => store.versions.saveVersion(trained, { ...provenance, reason: `run ${k}` }, NOW)),
      );
      expect(saved.map((m) => m.version).sort()).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
      for (const m of saved) expect((await store.versions.loadVersion(m.version)).metadata.reason).toBe(m.reason);
    });

    it('gives two stores on the same folder distinct versions', async () => {
      const other = new ModelStore(root, BANK_SCHEMA);
      const [a, b] = await Promise.all([
        store.versions.saveVersion(trained, provenance, NOW),
        other.versions.saveVersion(trained, provenance, NOW),
      ]);
      expect([a.version, b.version].sort()).toEqual(['v1', 'v2']);
    });

    it('skips a number left behind by a stray baseline folder (baseline/v3 without models/v3 -> v4)', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await store.versions.saveVersion(trained, provenance, NOW);
      const stray = path.join(root, 'baseline', 'v3');
      await fsp.mkdir(stray, { recursive: true });
      await fsp.writeFile(path.join(stray, 'metrics.json'), '{"half": ');
      expect(await store.versions.listVersions()).toEqual(['v1', 'v2']);
      const next = await store.versions.saveVersion(trained, provenance, NOW);
      expect(next.version).toBe('v4');
      expect(await store.versions.listVersions()).toEqual(['v1', 'v2', 'v4']);
      expect(await fsp.readFile(path.join(stray, 'metrics.json'), 'utf8')).toBe('{"half": ');
      expect(await exists(path.join(root, 'models', 'v3'))).toBe(false);
    });

    it('skips a number taken by a stray empty baseline folder', async () => {
      await fsp.mkdir(path.join(root, 'baseline', 'v1'), { recursive: true });
      expect((await store.versions.saveVersion(trained, provenance, NOW)).version).toBe('v2');
    });
  });

  describe('listVersions', () => {
    it('is empty for a new folder', async () => {
      expect(await store.versions.listVersions()).toEqual([]);
      expect(await new ModelStore(path.join(root, 'does', 'not', 'exist'), BANK_SCHEMA).versions.listVersions()).toEqual([]);
    });

    it('sorts by number, not as text, and ignores other folders and files', async () => {
      for (const name of ['v10', 'v2', 'v1', 'v01', 'v0', 'latest', 'tmp']) {
        await fsp.mkdir(path.join(root, 'models', name), { recursive: true });
      }
      await fsp.writeFile(path.join(root, 'models', 'v3'), 'a file, not a folder');
      expect(await store.versions.listVersions()).toEqual(['v1', 'v2', 'v10']);
    });
  });

  describe('loadVersion', () => {
    it('refuses an artifact altered after it was saved, even into valid JSON of the right shape', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const file = store.versions.modelFile('v1', 'model.json');
      const model = JSON.parse(await fsp.readFile(file, 'utf8'));
      model.coefficients[0] += 1;
      await fsp.writeFile(file, `${JSON.stringify(model, null, 2)}\n`);
      const err = await fsp
        .readFile(file, 'utf8')
        .then(() => store.versions.loadVersion('v1'))
        .catch((e: Error) => e);
      expect(err).toBeInstanceOf(ArtifactError);
      expect((err as Error).message).toBe(`${file}: checksum mismatch: the file changed after it was saved`);
    });

    it('round-trips: the loaded model gives the same probabilities to the bit', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const loaded = await store.versions.loadVersion('v1');
      expect(loaded.version).toBe('v1');
      const before = trained.model.probabilities(trained.preprocessor.transformRows(dataset.records));
      const after = loaded.model.probabilities(loaded.preprocessor.transformRows(dataset.records));
      expect(after).toEqual(before);
      expect(Buffer.from(after.buffer).equals(Buffer.from(before.buffer))).toBe(true);
      expect(loaded.model.toJSON()).toEqual(trained.model.toJSON());
      expect(loaded.preprocessor.toJSON()).toEqual(trained.preprocessor.toJSON());
      expect(loaded.baselineMetrics).toEqual(JSON.parse(JSON.stringify(trained.metrics)));
      expect(loaded.stats).toEqual(JSON.parse(JSON.stringify(trained.stats)));
      expect(loaded.metadata.version).toBe('v1');
    });

    it('loads a version saved before calibration baselines, with validation_calibration null', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const file = path.join(root, 'baseline', 'v1', 'metrics.json');
      const { validation_calibration: _dropped, ...older } = JSON.parse(await fsp.readFile(file, 'utf8'));
      const text = `${JSON.stringify(older, null, 2)}\n`;
      await fsp.writeFile(file, text);
      const sumsFile = path.join(root, 'models', 'v1', 'checksums.json');
      const sums = JSON.parse(await fsp.readFile(sumsFile, 'utf8'));
      sums['metrics.json'] = createHash('sha256').update(text).digest('hex');
      await fsp.writeFile(sumsFile, JSON.stringify(sums));
      const loaded = await store.versions.loadVersion('v1');
      expect(loaded.baselineMetrics.validation_calibration).toBeNull();
      expect(loaded.baselineMetrics.validation).toEqual(JSON.parse(JSON.stringify(trained.metrics.validation)));
    });

    it('loadSplit gives the saved split', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      expect(await store.versions.loadSplit('v1')).toEqual(trained.split);
    });

    it('checks the split and the saved training rows against checksums.json too', async () => {
      const rows = { records: dataset.records.slice(0, 3), labels: dataset.labels.slice(0, 3) };
      await store.versions.saveVersion(trained, { ...provenance, trainingRows: rows }, NOW);
      expect((await store.versions.loadSavedTrainingRows('v1'))!.records).toEqual(rows.records);
      const splitFile = store.versions.baselineFile('v1', 'split.json');
      const split = JSON.parse(await fsp.readFile(splitFile, 'utf8'));
      split.train.reverse();
      await fsp.writeFile(splitFile, JSON.stringify(split));
      expect((await artifactError(store.versions.loadSplit('v1'))).message).toBe(
        `${splitFile}: checksum mismatch: the file changed after it was saved`,
      );
      const rowsFile = store.versions.baselineFile('v1', 'training-data.json');
      const saved = JSON.parse(await fsp.readFile(rowsFile, 'utf8'));
      saved.labels = saved.labels.map((y: number) => 1 - y);
      await fsp.writeFile(rowsFile, JSON.stringify(saved));
      expect((await artifactError(store.versions.loadSavedTrainingRows('v1'))).message).toBe(
        `${rowsFile}: checksum mismatch: the file changed after it was saved`,
      );
    });

    it('rejects a name that is not a version', async () => {
      const error = await artifactError(store.versions.loadVersion('latest'));
      expect(error.message).toBe(`${path.join(root, 'models', 'latest')}: not a version name`);
      await artifactError(store.versions.loadVersion('../v1'));
    });

    it('names models/vN/model.json when the version does not exist', async () => {
      const error = await artifactError(store.versions.loadVersion('v9'));
      expect(error.file).toBe(path.join(root, 'models', 'v9', 'model.json'));
      expect(error.message).toBe(`${path.join(root, 'models', 'v9', 'model.json')}: file is missing`);
    });

    describe('a damaged artifact gives an ArtifactError naming the file', () => {
      const ARTIFACTS: Array<[string, string]> = [
        ['models', 'model.json'],
        ['models', 'preprocessor.json'],
        ['models', 'metadata.json'],
        ['baseline', 'metrics.json'],
        ['baseline', 'stats.json'],
      ];

      beforeEach(async () => {
        await store.versions.saveVersion(trained, provenance, NOW);
      });

      it.each(ARTIFACTS)('%s/v1/%s missing', async (folder, name) => {
        const file = path.join(root, folder, 'v1', name);
        await fsp.rm(file);
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(file);
        expect(error.message).toBe(`${file}: file is missing`);
      });

      it.each(ARTIFACTS)('%s/v1/%s truncated', async (folder, name) => {
        const file = path.join(root, folder, 'v1', name);
        const text = await fsp.readFile(file, 'utf8');
        await fsp.writeFile(file, text.slice(0, Math.floor(text.length / 2)));
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(file);
        expect(error.message).toBe(`${file}: file is not valid JSON`);
      });

      it.each(ARTIFACTS)('%s/v1/%s empty', async (folder, name) => {
        const file = path.join(root, folder, 'v1', name);
        await fsp.writeFile(file, '');
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.message).toBe(`${file}: file is empty`);
      });

      it.each(ARTIFACTS)('%s/v1/%s valid JSON of the wrong shape', async (folder, name) => {
        const file = path.join(root, folder, 'v1', name);
        await fsp.writeFile(file, '[1, 2, 3]\n');
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(file);
        expect(error.message).toMatch(new RegExp(`^${escape(file)}: \\w+ must be an object$`));
      });

      it.each<[string, string, (doc: EditableJson) => void, string]>([
        ['models', 'model.json', (d) => d.coefficients.pop(), 'coefficients must hold 19 numbers'],
        ['models', 'model.json', (d) => (d.threshold = 1.5), 'threshold must be between 0 and 1'],
        ['models', 'preprocessor.json', (d) => (d.scaler.scale.age = 0), 'scaler.scale.age must be positive'],
        ['models', 'preprocessor.json', (d) => delete d.label_encoders.job, 'label_encoders.job must be an array'],
        ['models', 'metadata.json', (d) => (d.version = 'v7'), "version is 'v7' but the folder is v1"],
        ['models', 'metadata.json', (d) => delete d.created_at, 'created_at must be a non-empty string'],
        ['baseline', 'metrics.json', (d) => (d.validation.roc_auc = 'high'), 'validation.roc_auc must be a finite number'],
        ['baseline', 'metrics.json', (d) => delete d.test, 'test must be an object'],
        ['baseline', 'metrics.json', (d) => (d.validation_calibration.ece = 7), 'validation_calibration.ece must be between 0 and 1'],
        ['baseline', 'metrics.json', (d) => (d.validation_calibration = 'none'), 'validation_calibration must be an object'],
        [
          'baseline',
          'stats.json',
          (d) => delete d.prediction.actual_positive_rate,
          'prediction.actual_positive_rate must be a finite number',
        ],
        [
          'baseline',
          'stats.json',
          (d) => d.numeric.age.proportions.pop(),
          'numeric.age.proportions must have one more entry than numeric.age.edges',
        ],
        ['baseline', 'stats.json', (d) => delete d.categorical.month, 'categorical.month must be an object'],
      ])('%s/v1/%s corrupted: %#', async (folder, name, edit, problem) => {
        const file = path.join(root, folder, 'v1', name);
        const doc = JSON.parse(await fsp.readFile(file, 'utf8'));
        edit(doc);
        await fsp.writeFile(file, JSON.stringify(doc));
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(file);
        expect(error.problem).toBe(problem);
        expect(error.message).toBe(`${file}: ${problem}`);
      });

      it("a preprocessor.json whose inputs are not the model's columns names model.json", async () => {
        // A version saved before checksums.json existed: only the cross-check can catch the pair.
        await fsp.rm(path.join(root, 'models', 'v1', 'checksums.json'));
        const preprocessorFile = path.join(root, 'models', 'v1', 'preprocessor.json');
        const doc = JSON.parse(await fsp.readFile(preprocessorFile, 'utf8'));
        doc.encoding = 'one_hot';
        await fsp.writeFile(preprocessorFile, JSON.stringify(doc));
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(path.join(root, 'models', 'v1', 'model.json'));
        expect(error.problem).toMatch(/^columns must be the preprocessor's \d+ inputs, in its order$/);
      });

      it('baseline/v1/split.json missing, truncated or corrupted (loadSplit)', async () => {
        const file = path.join(root, 'baseline', 'v1', 'split.json');
        const text = await fsp.readFile(file, 'utf8');
        await fsp.writeFile(file, text.slice(0, 100));
        expect((await artifactError(store.versions.loadSplit('v1'))).message).toBe(`${file}: file is not valid JSON`);
        await fsp.writeFile(file, JSON.stringify({ train: [0, 1.5], validation: [], test: [] }));
        expect((await artifactError(store.versions.loadSplit('v1'))).message).toBe(`${file}: train[1] must be an integer >= 0`);
        await fsp.rm(file);
        expect((await artifactError(store.versions.loadSplit('v1'))).message).toBe(`${file}: file is missing`);
      });

      it('an unreadable artifact (a folder where the file should be)', async () => {
        const file = path.join(root, 'models', 'v1', 'model.json');
        await fsp.rm(file);
        await fsp.mkdir(file);
        const error = await artifactError(store.versions.loadVersion('v1'));
        expect(error.file).toBe(file);
        expect(error.message).toMatch(/cannot read \(EISDIR\)$/);
      });
    });
  });

  describe('registry', () => {
    it('readRegistry is null before anything is activated', async () => {
      expect(await store.registry.read()).toBeNull();
    });

    it('activate writes registry.json with the active version and no previous one', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const state = await activate('v1', NOW);
      expect(state).toEqual({
        active: 'v1',
        previous: null,
        history: [],
        rejected: [],
        held: [],
        watch: null,
        updated_at: NOW.toISOString(),
      });
      expect(JSON.parse(await fsp.readFile(path.join(root, 'registry.json'), 'utf8'))).toEqual(state);
      expect(await store.registry.read()).toEqual(state);
    });

    it('activate remembers the version it replaces as previous', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await store.versions.saveVersion(trained, provenance, NOW);
      await activate('v1');
      expect(await activate('v2')).toMatchObject({ active: 'v2', previous: 'v1' });
      expect(await store.registry.read()).toMatchObject({ active: 'v2', previous: 'v1' });
      // rolling back swaps them
      expect(await activate('v1')).toMatchObject({ active: 'v1', previous: 'v2' });
    });

    it('re-activating the active version keeps the previous one', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await store.versions.saveVersion(trained, provenance, NOW);
      await activate('v1');
      await activate('v2');
      expect(await activate('v2')).toMatchObject({ active: 'v2', previous: 'v1' });
    });

    it('writes registry.json atomically (no temporary files left behind)', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await store.versions.saveVersion(trained, provenance, NOW);
      await activate('v1');
      await activate('v2');
      expect((await fsp.readdir(root)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('the next change removes a registry.json temporary file left by a killed writer, and nothing else', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      const leftover = path.join(root, '.registry.json.99999.0badf00d.tmp');
      const other = path.join(root, '.notes.txt.1.deadbeef.tmp');
      await fsp.writeFile(leftover, '{"active": "v');
      await fsp.writeFile(other, 'not ours');
      await activate('v1');
      expect(existsSync(leftover)).toBe(false);
      expect(existsSync(other)).toBe(true);
      expect(await store.registry.read()).toMatchObject({ active: 'v1' });
    });

    it('readRegistry names registry.json when it is corrupt', async () => {
      const file = path.join(root, 'registry.json');
      await fsp.writeFile(file, '{"active": "v');
      expect((await artifactError(store.registry.read())).message).toBe(`${file}: file is not valid JSON`);
      await fsp.writeFile(file, JSON.stringify({ active: 'latest', previous: null }));
      expect((await artifactError(store.registry.read())).message).toBe(`${file}: active must be a version name such as "v1"`);
      await fsp.writeFile(file, JSON.stringify({ active: 'v2', previous: 3 }));
      expect((await artifactError(store.registry.read())).message).toBe(`${file}: previous must be a version name or null`);
    });

    it('activate replaces a corrupt registry.json', async () => {
      await store.versions.saveVersion(trained, provenance, NOW);
      await fsp.writeFile(path.join(root, 'registry.json'), 'garbage');
      expect(await activate('v1', NOW)).toMatchObject({ active: 'v1', previous: null, updated_at: NOW.toISOString() });
      expect(await store.registry.read()).toMatchObject({ active: 'v1' });
      // The corrupt file is kept beside, not silently lost.
      const aside = (await fsp.readdir(root)).filter((f) => f.startsWith('registry.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(await fsp.readFile(path.join(root, aside[0]), 'utf8')).toBe('garbage');
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
