import { randomBytes } from 'node:crypto';
import { existsSync, constants as fsConstants, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { syncDirectory, writeDurably } from '../common/atomic-file';
import { ShapeError, readObject } from '../common/json-shape';
import { DatasetSchema } from '../data/dataset-schema';
import { Preprocessor } from '../preprocessing/preprocessor';
import { SplitIndices } from '../preprocessing/stratified-split';
import { LogisticModel } from '../training/logistic-model';
import { TrainedModel } from '../training/training-pipeline';
import { ArtifactError, SchemaMismatchError } from './artifact-error';
import { checksumKey, readArtifact, readArtifactIfPresent, sha256 } from './artifact-file';
import { readBaselineMetrics, readReferenceStatistics, readSplit, readTrainingRows } from './artifact-readers';
import { LoadedModel, ModelMetadata, compareVersions, formatTimestamp, isVersionName, readMetadata, versionNumber } from './model-version';
import { Provenance, TrainingRows } from './provenance';
import { VersionRepository } from './repositories';

type ModelFile = 'model.json' | 'preprocessor.json' | 'metadata.json' | 'schema.json';
type BaselineFile = 'metrics.json' | 'stats.json' | 'split.json' | 'training-data.json';

/**
 * Versioned model artifacts on disk (no Nest here: the CLI, the server and tests share it).
 *
 * A version is written whole into a staging folder, then its baseline and its model folders are
 * renamed into place, the model folder last: `models/vN` existing is the commit point. A rename
 * onto an existing version fails, so two trainers never overwrite each other; the loser takes the
 * next number.
 */
export class VersionStore implements VersionRepository {
  readonly modelsDir: string;
  readonly baselineDir: string;
  private readonly stagingDir: string;

  constructor(
    readonly root: string,
    private readonly schema: DatasetSchema,
  ) {
    this.modelsDir = path.join(root, 'models');
    this.baselineDir = path.join(root, 'baseline');
    this.stagingDir = path.join(root, '.staging');
  }

  modelFile(version: string, name: ModelFile): string {
    return path.join(this.modelsDir, version, name);
  }

  baselineFile(version: string, name: BaselineFile): string {
    return path.join(this.baselineDir, version, name);
  }

  /** Committed versions, oldest first. */
  async listVersions(): Promise<string[]> {
    return (await this.versionFolders(this.modelsDir)).sort(compareVersions);
  }

  private async versionFolders(dir: string): Promise<string[]> {
    try {
      const entries = await fsp.readdir(dir, { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isVersionName(e.name)).map((e) => e.name);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** One past the highest number in use in models/ or baseline/ (a crash may leave a baseline). */
  private async nextVersionNumber(): Promise<number> {
    const names = [...(await this.versionFolders(this.modelsDir)), ...(await this.versionFolders(this.baselineDir))];
    return names.reduce((max, name) => Math.max(max, versionNumber(name) ?? 0), 0) + 1;
  }

  /** Saves a trained model as a new version (never overwriting one) and returns its metadata. */
  async saveVersion(trained: TrainedModel, provenance: Provenance, now: Date): Promise<ModelMetadata> {
    const staging = path.join(this.stagingDir, `${process.pid}-${randomBytes(6).toString('hex')}`);
    const stagedModels = path.join(staging, 'models');
    const stagedBaseline = path.join(staging, 'baseline');
    await fsp.mkdir(stagedModels, { recursive: true });
    await fsp.mkdir(stagedBaseline, { recursive: true });
    await fsp.mkdir(this.modelsDir, { recursive: true });
    await fsp.mkdir(this.baselineDir, { recursive: true });
    try {
      for (let attempt = 0; attempt < 20; attempt++) {
        const version = `v${await this.nextVersionNumber()}`;
        const metadata = versionMetadata(trained, provenance, version, now, this.schema);
        await this.writeStaged(stagedModels, stagedBaseline, trained, metadata, provenance.trainingRows);
        if (await this.tryCommit(stagedModels, stagedBaseline, version)) return metadata;
      }
      throw new Error('could not allocate a version number after 20 attempts');
    } finally {
      await fsp.rm(staging, { recursive: true, force: true });
    }
  }

  private async writeStaged(
    modelsDir: string,
    baselineDir: string,
    trained: TrainedModel,
    metadata: ModelMetadata,
    trainingRows: TrainingRows | undefined,
  ): Promise<void> {
    const files: Array<[string, unknown]> = [
      [path.join(modelsDir, 'model.json'), trained.model.toJSON()],
      [path.join(modelsDir, 'preprocessor.json'), trained.preprocessor.toJSON()],
      [path.join(modelsDir, 'metadata.json'), metadata],
      [path.join(modelsDir, 'schema.json'), this.schema.toJSON()],
      [path.join(baselineDir, 'metrics.json'), trained.metrics],
      [path.join(baselineDir, 'stats.json'), trained.stats],
      [path.join(baselineDir, 'split.json'), trained.split],
    ];
    if (trainingRows) {
      files.push([
        path.join(baselineDir, 'training-data.json'),
        {
          feature_names: [...this.schema.featureNames],
          rows: trainingRows.records.map((r) => this.schema.featureNames.map((name) => r[name])),
          labels: Array.from(trainingRows.labels),
        },
      ]);
    }
    const checksums: Record<string, string> = {};
    for (const [file, value] of files) {
      const text = `${serialise(file, value)}\n`;
      checksums[checksumKey(file)] = sha256(text);
      await fsp.rm(file, { force: true });
      await writeDurably(file, text);
      // Yield between files: a healing run saves from the server's event loop.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // The sha256 of every artifact, so a file changed after it was saved (even into valid JSON
    // of the right shape) is caught at load. It moves with models/vN, the commit point.
    const checksumFile = path.join(modelsDir, CHECKSUMS_FILE);
    await fsp.rm(checksumFile, { force: true });
    await writeDurably(checksumFile, `${JSON.stringify(checksums, null, 2)}\n`);
    await syncDirectory(modelsDir);
    await syncDirectory(baselineDir);
  }

  /** Renames the staged folders into place; false when another writer took the number first. */
  private async tryCommit(stagedModels: string, stagedBaseline: string, version: string): Promise<boolean> {
    const baselineTarget = path.join(this.baselineDir, version);
    const modelTarget = path.join(this.modelsDir, version);
    if (!(await renameIfFree(stagedBaseline, baselineTarget))) return false;
    if (!(await renameIfFree(stagedModels, modelTarget))) {
      await fsp.rename(baselineTarget, stagedBaseline);
      return false;
    }
    await syncDirectory(this.baselineDir);
    await syncDirectory(this.modelsDir);
    return true;
  }

  /** Loads and checks every artifact of a version; throws ArtifactError naming the bad file. */
  async loadVersion(version: string): Promise<LoadedModel> {
    if (!isVersionName(version)) throw new ArtifactError(path.join(this.modelsDir, version), 'not a version name');
    const sums = await this.readChecksums(version);
    const model = await readArtifact(this.modelFile(version, 'model.json'), (j) => LogisticModel.fromJSON(j), sums);
    const metadata = await readArtifact(this.modelFile(version, 'metadata.json'), (j) => readMetadata(j, version), sums);
    const recorded = metadata.schema;
    if (recorded && recorded.sha256 !== this.schema.hash) {
      throw new SchemaMismatchError(version, `${recorded.name} (sha256 ${recorded.sha256.slice(0, 12)})`, this.schema.label);
    }
    // After the schema check, so a version of another schema is refused as such, not as a broken file.
    const features = this.schema.featureNames;
    if (model.featureNames.length !== features.length || model.featureNames.some((name, i) => name !== features[i])) {
      throw new ArtifactError(this.modelFile(version, 'model.json'), `feature_names must be [${features.join(', ')}]`);
    }
    const preprocessor = await readArtifact(
      this.modelFile(version, 'preprocessor.json'),
      (j) => Preprocessor.fromJSON(j, this.schema),
      sums,
    );
    const mismatch = model.inputMismatch(preprocessor.columns);
    if (mismatch) throw new ArtifactError(this.modelFile(version, 'model.json'), mismatch);
    const baselineMetrics = await readArtifact(this.baselineFile(version, 'metrics.json'), readBaselineMetrics, sums);
    const stats = await readArtifact(this.baselineFile(version, 'stats.json'), (j) => readReferenceStatistics(j, this.schema), sums);
    return { version, model, preprocessor, metadata, baselineMetrics, stats };
  }

  /** A version's metadata alone (checked), for listings that need no model. */
  async loadMetadata(version: string): Promise<ModelMetadata> {
    const sums = await this.readChecksums(version);
    return readArtifact(this.modelFile(version, 'metadata.json'), (j) => readMetadata(j, version), sums);
  }

  /** checksums.json of a version, or null for versions saved before checksums existed. */
  private async readChecksums(version: string): Promise<Record<string, string> | null> {
    return readArtifactIfPresent(path.join(this.modelsDir, version, CHECKSUMS_FILE), (json) => {
      const doc = readObject(json, 'checksums');
      for (const [key, value] of Object.entries(doc)) {
        if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new ShapeError(`${key} must be a sha256`);
      }
      return doc as Record<string, string>;
    });
  }

  /** Fails before any training when the storage cannot be written (read-only, not a folder...). */
  async assertWritable(): Promise<void> {
    try {
      await fsp.mkdir(this.root, { recursive: true });
      await fsp.access(this.root, fsConstants.W_OK);
      const probe = path.join(this.root, `.write-probe-${process.pid}`);
      await fsp.writeFile(probe, '');
      await fsp.rm(probe, { force: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(`storage ${this.root} is not writable (${code})`, { cause: err });
    }
  }

  async loadSplit(version: string): Promise<SplitIndices> {
    return readArtifact(this.baselineFile(version, 'split.json'), readSplit, await this.readChecksums(version));
  }

  /** The rows saved with a version trained on served predictions, or null for a file-trained one. */
  async loadSavedTrainingRows(version: string): Promise<TrainingRows | null> {
    const sums = await this.readChecksums(version);
    return readArtifactIfPresent(this.baselineFile(version, 'training-data.json'), (j) => readTrainingRows(j, this.schema), sums);
  }

  /**
   * Deletes what a version needs to serve or be retrained from (model, preprocessor, baseline),
   * keeping metadata.json and checksums.json, so it stays listed with why it existed. The marker
   * goes first: a crash midway leaves a version that says its artifacts are gone.
   */
  async deleteArtifacts(version: string): Promise<void> {
    if (!isVersionName(version)) throw new ArtifactError(path.join(this.modelsDir, version), 'not a version name');
    await writeDurably(path.join(this.modelsDir, version, DELETED_MARKER), '').catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
    await fsp.rm(this.modelFile(version, 'model.json'), { force: true });
    await fsp.rm(this.modelFile(version, 'preprocessor.json'), { force: true });
    await fsp.rm(path.join(this.baselineDir, version), { recursive: true, force: true });
  }

  async artifactsDeleted(version: string): Promise<boolean> {
    return isVersionName(version) && existsSync(path.join(this.modelsDir, version, DELETED_MARKER));
  }

  /** Whether a version was committed (its model folder exists). */
  async hasVersion(version: string): Promise<boolean> {
    return isVersionName(version) && (await this.listVersions()).includes(version);
  }
}

const CHECKSUMS_FILE = 'checksums.json';
/** Beside metadata.json of a version whose artifacts were deleted (RETAIN_REJECTED). */
const DELETED_MARKER = 'artifacts-deleted';

/** Small artifacts are pretty-printed for people; the large data-like ones stay compact. */
const COMPACT_FILES = new Set(['stats.json', 'split.json', 'training-data.json']);

function serialise(file: string, value: unknown): string {
  return COMPACT_FILES.has(path.basename(file)) ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

/**
 * rename(2) of a folder onto a name that must be free: the kernel refuses to replace a non-empty
 * folder (ENOTEMPTY / EEXIST), which makes claiming a version number atomic across processes.
 */
async function renameIfFree(from: string, to: string): Promise<boolean> {
  try {
    await fsp.rename(from, to);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw err;
  }
}

/** A new version's metadata.json: what was fitted, on what, why, and when. */
export function versionMetadata(
  trained: TrainedModel,
  provenance: Provenance,
  version: string,
  now: Date,
  schema: DatasetSchema,
): ModelMetadata {
  return {
    version,
    schema: { name: schema.name, sha256: schema.hash },
    created_at: formatTimestamp(now),
    created_at_iso: now.toISOString(),
    data_file: provenance.dataFile,
    data_sha256: provenance.dataSha256,
    rows: trained.rows,
    seed: provenance.seed,
    params: trained.params,
    solver: trained.solver,
    metrics: trained.metrics,
    parent_version: provenance.parentVersion,
    reason: provenance.reason,
    trained_until: provenance.trainedUntil ?? null,
    challenger: provenance.challenger ?? false,
  };
}
