import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ArtifactError } from './artifact-error';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** An artifact's key in checksums.json: its name (the names of models/ and baseline/ files differ). */
export const checksumKey = (file: string) => path.basename(file);

/**
 * Reads a JSON artifact and checks its shape with `read`, then its checksum when one is known;
 * every failure is an ArtifactError naming the file and what is wrong with it.
 */
export async function readArtifact<T>(
  file: string,
  read: (json: unknown) => T,
  checksums: Record<string, string> | null = null,
): Promise<T> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ArtifactError(file, code === 'ENOENT' ? 'file is missing' : `cannot read (${code})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ArtifactError(file, text.length === 0 ? 'file is empty' : 'file is not valid JSON');
  }
  let value: T;
  try {
    value = read(json);
  } catch (err) {
    throw new ArtifactError(file, (err as Error).message);
  }
  // Last, so a damaged file says what is wrong with it; a well-formed but altered one fails here.
  const expected = checksums?.[checksumKey(file)];
  if (expected !== undefined && sha256(text) !== expected) {
    throw new ArtifactError(file, 'checksum mismatch: the file changed after it was saved');
  }
  return value;
}

/** readArtifact, or null when the file does not exist. */
export async function readArtifactIfPresent<T>(
  file: string,
  read: (json: unknown) => T,
  checksums: Record<string, string> | null = null,
): Promise<T | null> {
  try {
    await fsp.access(file);
  } catch {
    return null;
  }
  return readArtifact(file, read, checksums);
}
