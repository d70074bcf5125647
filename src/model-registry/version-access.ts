import { ConflictException, NotFoundException } from '@nestjs/common';
import { ArtifactError } from './artifact-error';
import { LoadedModel, isVersionName } from './model-version';
import { VersionRepository } from './repositories';

/** A version that exists and loads whole: 404 for no such version, 409 for a broken one. */
export async function loadExistingVersion(versions: VersionRepository, version: string): Promise<LoadedModel> {
  await assertVersionExists(versions, version);
  return loadOrConflict(versions, version);
}

export async function assertVersionExists(versions: VersionRepository, version: string): Promise<void> {
  if (!isVersionName(version)) throw new NotFoundException(`'${version}' is not a version name (such as v1)`);
  if (!(await versions.hasVersion(version))) throw new NotFoundException(`there is no version ${version}`);
}

export async function loadOrConflict(versions: VersionRepository, version: string): Promise<LoadedModel> {
  try {
    return await versions.loadVersion(version);
  } catch (err) {
    if (err instanceof ArtifactError) throw new ConflictException(`${version} cannot be loaded: ${err.message}`);
    throw err;
  }
}

/** The registry state for a reader; a damaged record is a 409 that says how to mend it. */
export async function readStateOrConflict<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ArtifactError) {
      throw new ConflictException(`registry.json cannot be read (${err.message}): promote a version to write a new one`);
    }
    throw err;
  }
}
