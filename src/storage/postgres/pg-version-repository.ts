import { Pool } from 'pg';
import { DatasetSchema } from '../../data/dataset-schema';
import { Preprocessor } from '../../preprocessing/preprocessor';
import { SplitIndices } from '../../preprocessing/stratified-split';
import { LogisticModel } from '../../training/logistic-model';
import { TrainedModel } from '../../training/training-pipeline';
import { ArtifactError, SchemaMismatchError } from '../../model-registry/artifact-error';
import { readBaselineMetrics, readReferenceStatistics, readSplit, readTrainingRows } from '../../model-registry/artifact-readers';
import { LoadedModel, ModelMetadata, isVersionName, readMetadata, versionNumber } from '../../model-registry/model-version';
import { Provenance, TrainingRows } from '../../model-registry/provenance';
import { VersionRepository } from '../../model-registry/repositories';
import { versionMetadata } from '../../model-registry/version-store';
import { inTransaction } from './transaction';

/** The artifacts of a version as one JSON document (the files of models/vN and baseline/vN). */
type ArtifactName = 'model' | 'preprocessor' | 'schema' | 'metrics' | 'stats' | 'split' | 'training_data';
type Artifacts = Partial<Record<ArtifactName, unknown>>;

/**
 * Versions in the model_versions table: metadata and artifacts as JSONB, written once in one
 * transaction (a version is there whole or not at all). The next number is allocated under a
 * table lock, so two replicas training at once get two numbers.
 */
export class PgVersionRepository extends VersionRepository {
  constructor(
    private readonly pool: Pool,
    private readonly schema: DatasetSchema,
  ) {
    super();
  }

  async saveVersion(trained: TrainedModel, provenance: Provenance, now: Date): Promise<ModelMetadata> {
    const artifacts: Artifacts = {
      model: trained.model.toJSON(),
      preprocessor: trained.preprocessor.toJSON(),
      schema: this.schema.toJSON(),
      metrics: trained.metrics,
      stats: trained.stats,
      split: trained.split,
    };
    const rows = provenance.trainingRows;
    if (rows) {
      artifacts.training_data = {
        feature_names: [...this.schema.featureNames],
        rows: rows.records.map((r) => this.schema.featureNames.map((name) => r[name])),
        labels: Array.from(rows.labels),
      };
    }
    const artifactsText = JSON.stringify(artifacts);
    return inTransaction(this.pool, async (client) => {
      // SHARE ROW EXCLUSIVE conflicts with itself: one allocation at a time; readers are not blocked.
      await client.query('LOCK TABLE model_versions IN SHARE ROW EXCLUSIVE MODE');
      const { rows: top } = await client.query<{ next: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM model_versions');
      const version = `v${top[0].next}`;
      const metadata = versionMetadata(trained, provenance, version, now, this.schema);
      await client.query('INSERT INTO model_versions (number, metadata, artifacts) VALUES ($1, $2::jsonb, $3::jsonb)', [
        top[0].next,
        JSON.stringify(metadata),
        artifactsText,
      ]);
      return metadata;
    });
  }

  async loadVersion(version: string): Promise<LoadedModel> {
    const { metadata, artifacts } = await this.row(version);
    if (artifacts === null) throw new ArtifactError(where(version, 'model'), 'the artifacts were deleted (RETAIN_REJECTED)');
    const recorded = metadata.schema;
    if (recorded && recorded.sha256 !== this.schema.hash) {
      throw new SchemaMismatchError(version, `${recorded.name} (sha256 ${recorded.sha256.slice(0, 12)})`, this.schema.label);
    }
    const model = readPart(version, artifacts, 'model', (j) => LogisticModel.fromJSON(j));
    const features = this.schema.featureNames;
    if (model.featureNames.length !== features.length || model.featureNames.some((name, i) => name !== features[i])) {
      throw new ArtifactError(where(version, 'model'), `feature_names must be [${features.join(', ')}]`);
    }
    const preprocessor = readPart(version, artifacts, 'preprocessor', (j) => Preprocessor.fromJSON(j, this.schema));
    const mismatch = model.inputMismatch(preprocessor.columns);
    if (mismatch) throw new ArtifactError(where(version, 'model'), mismatch);
    const baselineMetrics = readPart(version, artifacts, 'metrics', readBaselineMetrics);
    const stats = readPart(version, artifacts, 'stats', (j) => readReferenceStatistics(j, this.schema));
    return { version, model, preprocessor, metadata, baselineMetrics, stats };
  }

  async loadMetadata(version: string): Promise<ModelMetadata> {
    return (await this.row(version, false)).metadata;
  }

  async listVersions(): Promise<string[]> {
    const { rows } = await this.pool.query<{ number: number }>('SELECT number FROM model_versions ORDER BY number');
    return rows.map((r) => `v${r.number}`);
  }

  async hasVersion(version: string): Promise<boolean> {
    const number = isVersionName(version) ? versionNumber(version) : null;
    if (number === null) return false;
    const { rowCount } = await this.pool.query('SELECT 1 FROM model_versions WHERE number = $1', [number]);
    return rowCount === 1;
  }

  async loadSplit(version: string): Promise<SplitIndices> {
    const { artifacts } = await this.row(version);
    if (artifacts === null) throw new ArtifactError(where(version, 'split'), 'the artifacts were deleted (RETAIN_REJECTED)');
    return readPart(version, artifacts, 'split', readSplit);
  }

  async loadSavedTrainingRows(version: string): Promise<TrainingRows | null> {
    const { artifacts } = await this.row(version);
    if (artifacts === null || artifacts.training_data === undefined) return null;
    return readPart(version, artifacts, 'training_data', (j) => readTrainingRows(j, this.schema));
  }

  async assertWritable(): Promise<void> {
    try {
      await this.pool.query('SELECT 1 FROM model_versions LIMIT 1');
    } catch (err) {
      throw new Error(`the database cannot be reached: ${(err as Error).message}`, { cause: err });
    }
  }

  async deleteArtifacts(version: string): Promise<void> {
    const number = versionNumber(version);
    if (!isVersionName(version) || number === null) throw new ArtifactError(where(version, 'model'), 'not a version name');
    await this.pool.query('UPDATE model_versions SET artifacts = NULL WHERE number = $1', [number]);
  }

  async artifactsDeleted(version: string): Promise<boolean> {
    const number = isVersionName(version) ? versionNumber(version) : null;
    if (number === null) return false;
    const { rows } = await this.pool.query<{ deleted: boolean }>('SELECT artifacts IS NULL AS deleted FROM model_versions WHERE number = $1', [
      number,
    ]);
    return rows[0]?.deleted === true;
  }

  /** A version's row, checked: its metadata read as metadata.json would be; artifacts an object or null. */
  private async row(version: string, withArtifacts = true): Promise<{ metadata: ModelMetadata; artifacts: Artifacts | null }> {
    const number = isVersionName(version) ? versionNumber(version) : null;
    if (number === null) throw new ArtifactError(where(version, 'model'), 'not a version name');
    const columns = withArtifacts ? 'metadata, artifacts' : 'metadata, NULL AS artifacts';
    const { rows } = await this.pool.query<{ metadata: unknown; artifacts: unknown }>(
      `SELECT ${columns} FROM model_versions WHERE number = $1`,
      [number],
    );
    if (rows.length === 0) throw new ArtifactError(where(version, 'model'), 'no such version in the database');
    let metadata: ModelMetadata;
    try {
      metadata = readMetadata(rows[0].metadata, version);
    } catch (err) {
      throw new ArtifactError(where(version, 'metadata'), (err as Error).message);
    }
    const artifacts = rows[0].artifacts;
    if (artifacts !== null && (typeof artifacts !== 'object' || Array.isArray(artifacts))) {
      throw new ArtifactError(where(version, 'artifacts'), 'must be a JSON object');
    }
    return { metadata, artifacts: artifacts as Artifacts | null };
  }
}

/** How an artifact is named in errors: the table, the version and the part. */
function where(version: string, part: string): string {
  return `model_versions ${version} ${part}`;
}

function readPart<T>(version: string, artifacts: Artifacts, name: ArtifactName, read: (json: unknown) => T): T {
  const json = artifacts[name];
  if (json === undefined) throw new ArtifactError(where(version, name), 'is missing');
  try {
    return read(json);
  } catch (err) {
    throw new ArtifactError(where(version, name), (err as Error).message);
  }
}
