/**
 * A version trained with another dataset schema than the one configured: serving it would read
 * requests with other columns than it learned, so the service refuses to start instead.
 */
export class SchemaMismatchError extends Error {
  constructor(
    readonly version: string,
    readonly trainedWith: string,
    readonly configured: string,
  ) {
    super(
      `${version} was trained with schema ${trainedWith} but the configured schema (DATA_SCHEMA / --schema) is ${configured}: ` +
        'use the schema it was trained with, or another storage folder',
    );
    this.name = 'SchemaMismatchError';
  }
}

/** A stored artifact that cannot be used: names the file and what is wrong with it. */
export class ArtifactError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ArtifactError';
  }
}
