import { FeatureRecord } from './dataset-schema';

/** A loaded, validated data file: one record and one 0/1 label per data row, in file order. */
export interface Dataset {
  /** Path as given by the user. */
  file: string;
  /** sha256 of the file's bytes, so a model names exactly what it learned from. */
  sha256: string;
  records: FeatureRecord[];
  /** 1 = the schema's positive label, 0 = the other. */
  labels: Uint8Array;
  /** Each row's value of the schema's `time` column, when it has one (the replay dates chunks by it). */
  times?: string[];
}

/** A bad data file: names the file, the line (1-based, header = 1) when known, and the problem. */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super(line === null ? `${file}: ${problem}` : `${file}, line ${line}: ${problem}`);
    this.name = 'DatasetError';
  }
}
