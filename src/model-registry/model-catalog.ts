import { DatasetSchema } from '../data/dataset-schema';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { ModelEvent } from './model-event';
import { LoadedModel, ModelMetadata } from './model-version';
import { TrainingRows } from './provenance';
import { RegistryState, VersionStatus, statusOf } from './registry-state';
import { EventRepository, RegistryRepository, VersionRepository } from './repositories';
import { assertVersionExists, loadExistingVersion, readStateOrConflict } from './version-access';

export interface VersionSummary {
  version: string;
  status: VersionStatus;
  created_at: string;
  parent_version: string | null;
  reason: string;
  data_file: string | null;
  rows: ModelMetadata['rows'];
  validation_metrics: ModelMetadata['metrics']['validation'];
}

/** Read-only questions about models: which exist, their status and metadata, the audit trail. */
export class ModelCatalog {
  constructor(
    private readonly versions: VersionRepository,
    private readonly registry: RegistryRepository,
    private readonly events: EventRepository,
    private readonly schema: DatasetSchema,
  ) {}

  async listVersions(): Promise<VersionSummary[]> {
    return (await this.listWithMetadata()).map(({ metadata, status }) => summarise(metadata, status));
  }

  /** Every version that can be read, oldest first, with its status and whole metadata (spec, metrics, lineage). */
  async listWithMetadata(): Promise<Array<{ version: string; status: VersionStatus; metadata: ModelMetadata }>> {
    const state = await this.registry.read().catch(() => null);
    const out: Array<{ version: string; status: VersionStatus; metadata: ModelMetadata }> = [];
    for (const version of await this.versions.listVersions()) {
      const metadata = await this.versions.loadMetadata(version).catch(() => null);
      if (!metadata) continue; // a broken version is listed by GET /models/:version with its problem
      out.push({ version, status: statusOf(state, version), metadata });
    }
    return out;
  }

  /** One version with its metadata; `artifacts_deleted` when retention took its files (it can no longer serve). */
  async describe(version: string): Promise<VersionSummary & { metadata: ModelMetadata; artifacts_deleted?: true }> {
    await assertVersionExists(this.versions, version);
    const state = await this.registry.read().catch(() => null);
    if (await this.versions.artifactsDeleted(version)) {
      const metadata = await this.versions.loadMetadata(version);
      return { ...summarise(metadata, statusOf(state, version)), metadata, artifacts_deleted: true };
    }
    const loaded = await loadExistingVersion(this.versions, version);
    return { ...summarise(loaded.metadata, statusOf(state, version)), metadata: loaded.metadata };
  }

  latestEvents(limit: number): Promise<ModelEvent[]> {
    return this.events.latest(limit);
  }

  /** The registry state; a damaged one is a 409 that says so. */
  state(): Promise<RegistryState | null> {
    return readStateOrConflict(() => this.registry.read());
  }

  loadVersion(version: string): Promise<LoadedModel> {
    return this.versions.loadVersion(version);
  }

  /**
   * The rows a version was trained on: saved with it when they came from served predictions, or
   * re-read from its data file (checked against the recorded sha256) through its saved split.
   */
  async trainingRowsOf(version: string): Promise<TrainingRows> {
    const saved = await this.versions.loadSavedTrainingRows(version);
    if (saved) return saved;
    const metadata = await this.versions.loadMetadata(version);
    if (!metadata.data_file) throw new Error(`${version} has neither a data file nor saved training rows`);
    const dataset = await loadCsvDataset(metadata.data_file, this.schema);
    if (metadata.data_sha256 && dataset.sha256 !== metadata.data_sha256) {
      throw new Error(`${metadata.data_file} changed since ${version} was trained on it (sha256 differs)`);
    }
    // In file order: a dated file's rows oldest first, as the challenger search's windows expect.
    const rows = [...(await this.versions.loadSplit(version)).train].sort((a, b) => a - b);
    return {
      records: rows.map((i) => dataset.records[i]),
      labels: Uint8Array.from(rows, (i) => dataset.labels[i]),
    };
  }
}

function summarise(metadata: ModelMetadata, status: VersionStatus): VersionSummary {
  return {
    version: metadata.version,
    status,
    created_at: metadata.created_at,
    parent_version: metadata.parent_version,
    reason: metadata.reason,
    data_file: metadata.data_file,
    rows: metadata.rows,
    validation_metrics: metadata.metrics.validation,
  };
}
