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
