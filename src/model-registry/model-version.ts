import { ShapeError, readObject, readString } from '../common/json-shape';
import { Preprocessor } from '../preprocessing/preprocessor';
import { ValidationCalibration } from '../training/calibration-baseline';
import { LogisticModel } from '../training/logistic-model';
import { ProbabilityMetrics } from '../training/metrics';
import { ReferenceStatistics } from '../training/reference-statistics';

/** metadata.json of a version. */
export interface ModelMetadata {
  version: string;
  /** The dataset schema it was trained with; absent in versions saved before schemas were data (bank marketing). */
  schema?: { name: string; sha256: string };
  /** Local time of training as YYYYMMDD_HHMMSS. */
  created_at: string;
  /** The same moment as an ISO 8601 UTC timestamp. */
  created_at_iso: string;
  data_file: string | null;
  data_sha256: string | null;
  rows: { total: number; train: number; validation: number; test: number };
  seed: number;
  params: Record<string, unknown>;
  solver: { iterations: number; gradient_norm: number; class_weights: { 0: number; 1: number } };
  metrics: { validation: ProbabilityMetrics; test: ProbabilityMetrics };
  parent_version: string | null;
  reason: string;
  /** For a model trained on served predictions: the newest prediction it learned from. */
  trained_until?: string | null;
  /** Trained by the healing loop; absent (older versions) counts as trained by a person. */
  challenger?: boolean;
}

/** baseline/vN/metrics.json: what "healthy" means for this version. */
export interface BaselineMetrics {
  validation: ProbabilityMetrics;
  test: ProbabilityMetrics;
  /** The validation rows' calibration figures; null for a version saved before they were recorded. */
  validation_calibration: ValidationCalibration | null;
}

/** A version loaded from disk and checked, ready to serve. */
export interface LoadedModel {
  version: string;
  model: LogisticModel;
  preprocessor: Preprocessor;
  metadata: ModelMetadata;
  baselineMetrics: BaselineMetrics;
  stats: ReferenceStatistics;
}

const VERSION_PATTERN = /^v([1-9][0-9]{0,8})$/;

/** The number of a version name ("v12" -> 12), or null when it is not one. */
export function versionNumber(name: string): number | null {
  const match = VERSION_PATTERN.exec(name);
  return match ? Number(match[1]) : null;
}

export function isVersionName(name: string): boolean {
  return versionNumber(name) !== null;
}

export function compareVersions(a: string, b: string): number {
  return (versionNumber(a) ?? 0) - (versionNumber(b) ?? 0);
}

/** Checks the parts of metadata.json the service relies on. */
export function readMetadata(json: unknown, expectedVersion: string): ModelMetadata {
  const doc = readObject(json, 'metadata');
  const version = readString(doc.version, 'version');
  if (version !== expectedVersion) throw new ShapeError(`version is '${version}' but the folder is ${expectedVersion}`);
  readString(doc.created_at, 'created_at');
  const metrics = readObject(doc.metrics, 'metrics');
  readObject(metrics.validation, 'metrics.validation');
  if (doc.schema !== undefined) {
    const schema = readObject(doc.schema, 'schema');
    readString(schema.name, 'schema.name');
    if (typeof schema.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(schema.sha256)) throw new ShapeError('schema.sha256 must be a sha256');
  }
  return doc as unknown as ModelMetadata;
}

/** Local time as YYYYMMDD_HHMMSS, the seed's created_at format. */
export function formatTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}_` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`
  );
}
