import { SplitIndices } from '../preprocessing/stratified-split';
import { TrainedModel } from '../training/training-pipeline';
import { ModelEvent } from './model-event';
import { LoadedModel, ModelMetadata } from './model-version';
import { Provenance, TrainingRows } from './provenance';
import { RegistryState } from './registry-state';

/**
 * The three records behind the model lifecycle, as narrow interfaces (also Nest DI tokens): the
 * lifecycle, the active model and the catalogue depend on these, not on files, so the file store
 * can be swapped and the lifecycle tested with fakes.
 */

/** Saved versions and their artifacts: written once, never overwritten. */
export abstract class VersionRepository {
  /** Saves a trained model as the next free version and returns its metadata. */
  abstract saveVersion(trained: TrainedModel, provenance: Provenance, now: Date): Promise<ModelMetadata>;
  /** Every artifact of a version, checked; throws ArtifactError naming the bad one. */
  abstract loadVersion(version: string): Promise<LoadedModel>;
  abstract loadMetadata(version: string): Promise<ModelMetadata>;
  /** Committed versions, oldest first. */
  abstract listVersions(): Promise<string[]>;
  abstract hasVersion(version: string): Promise<boolean>;
  abstract loadSplit(version: string): Promise<SplitIndices>;
  /** The rows saved with a version trained on served predictions, or null. */
  abstract loadSavedTrainingRows(version: string): Promise<TrainingRows | null>;
  /** Fails with a clear message when nothing can be saved (before any training time is spent). */
  abstract assertWritable(): Promise<void>;
  /** Deletes a version's artifacts but its metadata (retention of rejected challengers); it can no longer load. */
  abstract deleteArtifacts(version: string): Promise<void>;
  abstract artifactsDeleted(version: string): Promise<boolean>;
}

/** Which version serves, which served before, which may never serve, and the watch. */
export abstract class RegistryRepository {
  /** The state, or null before the first activation; a damaged record is an ArtifactError. */
  abstract read(): Promise<RegistryState | null>;
  /** Reads, changes and writes the state as one step that excludes every other writer. */
  abstract update(change: (state: RegistryState | null) => RegistryState): Promise<RegistryState>;
  /** A cheap token that changes whenever the state may have changed (to follow other writers). */
  abstract changeStamp(): Promise<number | null>;
}

/** The audit trail of decisions about models. */
export abstract class EventRepository {
  abstract append(event: ModelEvent): Promise<void>;
  /** The last `limit` events, oldest first. */
  abstract latest(limit: number): Promise<ModelEvent[]>;
}
