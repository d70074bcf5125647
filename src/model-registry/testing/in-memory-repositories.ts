import { SplitIndices } from '../../preprocessing/stratified-split';
import { TrainedModel } from '../../training/training-pipeline';
import { ArtifactError } from '../artifact-error';
import { ModelEvent } from '../model-event';
import { LoadedModel, ModelMetadata, compareVersions } from '../model-version';
import { Provenance, TrainingRows } from '../provenance';
import { RegistryState } from '../registry-state';
import { EventRepository, RegistryRepository, VersionRepository } from '../repositories';
import { versionMetadata } from '../version-store';
import { DatasetSchema } from '../../data/dataset-schema';
import { BANK_SCHEMA } from '../../data/testing/bank-schema';

/** In-memory fakes of the registry's repositories, for unit specs of the policies above them. */

export class InMemoryVersions extends VersionRepository {
  readonly saved = new Map<string, { trained: TrainedModel; provenance: Provenance; metadata: ModelMetadata }>();
  /** Versions whose artifacts "cannot be loaded". */
  readonly broken = new Set<string>();
  /** Versions whose artifacts were deleted (metadata kept). */
  readonly deleted = new Set<string>();
  writable = true;

  constructor(private readonly schema: DatasetSchema = BANK_SCHEMA) {
    super();
  }

  async saveVersion(trained: TrainedModel, provenance: Provenance, now: Date): Promise<ModelMetadata> {
    const version = `v${this.saved.size + 1}`;
    const metadata = versionMetadata(trained, provenance, version, now, this.schema);
    this.saved.set(version, { trained, provenance, metadata });
    return metadata;
  }

  async loadVersion(version: string): Promise<LoadedModel> {
    const saved = this.saved.get(version);
    if (!saved) throw new ArtifactError(`models/${version}/model.json`, 'file is missing');
    if (this.broken.has(version)) throw new ArtifactError(`models/${version}/model.json`, 'file is not valid JSON');
    if (this.deleted.has(version)) throw new ArtifactError(`models/${version}/model.json`, 'file is missing');
    const { trained, metadata } = saved;
    return {
      version,
      model: trained.model,
      preprocessor: trained.preprocessor,
      metadata,
      baselineMetrics: trained.metrics,
      stats: trained.stats,
    };
  }

  async loadMetadata(version: string): Promise<ModelMetadata> {
    const saved = this.saved.get(version);
    if (!saved || this.broken.has(version)) return (await this.loadVersion(version)).metadata;
    return saved.metadata;
  }

  async deleteArtifacts(version: string): Promise<void> {
    this.deleted.add(version);
  }

  async artifactsDeleted(version: string): Promise<boolean> {
    return this.deleted.has(version);
  }

  async listVersions(): Promise<string[]> {
    return [...this.saved.keys()].sort(compareVersions);
  }

  async hasVersion(version: string): Promise<boolean> {
    return this.saved.has(version);
  }

  async loadSplit(version: string): Promise<SplitIndices> {
    return (await this.loadVersion(version)) && this.saved.get(version)!.trained.split;
  }

  async loadSavedTrainingRows(version: string): Promise<TrainingRows | null> {
    return this.saved.get(version)?.provenance.trainingRows ?? null;
  }

  async assertWritable(): Promise<void> {
    if (!this.writable) throw new Error('storage /fake is not writable (EROFS)');
  }
}

export class InMemoryRegistry extends RegistryRepository {
  state: RegistryState | null = null;
  writes = 0;

  async read(): Promise<RegistryState | null> {
    return this.state && structuredClone(this.state);
  }

  async update(change: (state: RegistryState | null) => RegistryState): Promise<RegistryState> {
    const next = change(await this.read());
    this.state = structuredClone(next);
    this.writes++;
    return next;
  }

  async changeStamp(): Promise<number | null> {
    return this.state ? this.writes : null;
  }
}

export class InMemoryEvents extends EventRepository {
  readonly all: ModelEvent[] = [];

  async append(event: ModelEvent): Promise<void> {
    this.all.push(event);
  }

  async latest(limit: number): Promise<ModelEvent[]> {
    return this.all.slice(-limit);
  }
}
