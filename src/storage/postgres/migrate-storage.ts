import { createReadStream, existsSync, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Pool } from 'pg';
import { DatasetSchema } from '../../data/dataset-schema';
import { ModelStore } from '../../model-registry/model-store';
import { versionNumber } from '../../model-registry/model-version';
import { PredictionLogEntry } from '../../predictions/prediction-log-entry';
import { migrate } from './migrate';
import { insertPredictionGroup } from './prediction-sql';

/** Rows per INSERT while copying the logs. */
const CHUNK = 5000;

export interface CopySummary {
  versions: number;
  registry: boolean;
  events: number;
  predictions: number;
  /** Lines of inference.log skipped: unreadable, of another schema, or a request id already copied. */
  skippedPredictions: number;
  outcomes: number;
  skippedOutcomes: number;
}

/** migrate-storage refuses a database that holds anything: it copies into an empty one only. */
export class DatabaseNotEmpty extends Error {}

/**
 * Copies a file storage (versions, registry.json, the audit trail, inference.log and
 * feedback.log with their rotated files) into an empty, migrated database. Versions keep their
 * numbers and metadata; each is loaded and checked (checksums) before it is copied.
 */
export async function copyStorageToDatabase(
  storageDir: string,
  schema: DatasetSchema,
  pool: Pool,
  progress: (line: string) => void = () => undefined,
): Promise<CopySummary> {
  await migrate(pool);
  await assertEmpty(pool);
  const store = new ModelStore(storageDir, schema);
  const summary: CopySummary = { versions: 0, registry: false, events: 0, predictions: 0, skippedPredictions: 0, outcomes: 0, skippedOutcomes: 0 };
  for (const version of await store.versions.listVersions()) {
    await copyVersion(store, version, pool);
    summary.versions++;
  }
  progress(`versions: ${summary.versions}`);
  const state = await store.registry.read();
  if (state) {
    await pool.query('UPDATE registry_state SET state = $1::jsonb, change_count = change_count + 1 WHERE id = 1', [JSON.stringify(state)]);
    summary.registry = true;
  }
  for await (const line of lines([store.events.file])) {
    const event = parseJson(line);
    if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') continue;
    await pool.query('INSERT INTO model_events (event) VALUES ($1::jsonb)', [line]);
    summary.events++;
  }
  progress(`events: ${summary.events}`);
  await copyPredictions(storageDir, schema, pool, summary);
  progress(`predictions: ${summary.predictions} (skipped ${summary.skippedPredictions})`);
  await copyOutcomes(storageDir, schema, pool, summary);
  progress(`outcomes: ${summary.outcomes} (skipped ${summary.skippedOutcomes})`);
  return summary;
}

async function assertEmpty(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ versions: number; predictions: number; events: number; registry: boolean }>(
    `SELECT (SELECT count(*) FROM model_versions)::int AS versions, (SELECT count(*) FROM predictions)::int AS predictions,
            (SELECT count(*) FROM model_events)::int AS events, (SELECT state IS NOT NULL FROM registry_state WHERE id = 1) AS registry`,
  );
  const r = rows[0];
  if (r.versions + r.predictions + r.events > 0 || r.registry) {
    throw new DatabaseNotEmpty(
      `the database is not empty (${r.versions} versions, ${r.predictions} predictions, ${r.events} events${r.registry ? ', a registry state' : ''}): migrate-storage copies into an empty database only`,
    );
  }
}

async function copyVersion(store: ModelStore, version: string, pool: Pool): Promise<void> {
  const versions = store.versions;
  const deleted = await versions.artifactsDeleted(version);
  if (!deleted) await versions.loadVersion(version); // every artifact checked (shape, checksum) before anything is copied
  const metadata = await versions.loadMetadata(version);
  let artifacts: Record<string, unknown> | null = null;
  if (!deleted) {
    const read = async (file: string) => JSON.parse(await fsp.readFile(file, 'utf8')) as unknown;
    artifacts = {
      model: await read(versions.modelFile(version, 'model.json')),
      preprocessor: await read(versions.modelFile(version, 'preprocessor.json')),
      metrics: await read(versions.baselineFile(version, 'metrics.json')),
      stats: await read(versions.baselineFile(version, 'stats.json')),
      split: await read(versions.baselineFile(version, 'split.json')),
    };
    const schemaFile = versions.modelFile(version, 'schema.json');
    if (existsSync(schemaFile)) artifacts.schema = await read(schemaFile);
    const trainingData = versions.baselineFile(version, 'training-data.json');
    if (existsSync(trainingData)) artifacts.training_data = await read(trainingData);
  }
  await pool.query('INSERT INTO model_versions (number, metadata, artifacts) VALUES ($1, $2::jsonb, $3::jsonb)', [
    versionNumber(version),
    JSON.stringify(metadata),
    artifacts === null ? null : JSON.stringify(artifacts),
  ]);
}

/** A log and its rotated files, oldest first (file.K ... file.1, file). */
function logFiles(file: string): string[] {
  const rotated: string[] = [];
  for (let i = 1; existsSync(`${file}.${i}`); i++) rotated.push(`${file}.${i}`);
  return [...rotated.reverse(), file].filter((f) => existsSync(f));
}

async function* lines(files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    if (!existsSync(file)) continue;
    for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
      if (line.trim() !== '') yield line;
    }
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function isPrediction(value: unknown, schema: DatasetSchema): value is PredictionLogEntry {
  const e = value as PredictionLogEntry;
  if (typeof e !== 'object' || e === null || typeof e.request_id !== 'string' || typeof e.timestamp !== 'string') return false;
  if (typeof e.model_version !== 'string' || (e.prediction !== 0 && e.prediction !== 1) || !Number.isFinite(e.probability)) return false;
  if (typeof e.input !== 'object' || e.input === null || Number.isNaN(Date.parse(e.timestamp))) return false;
  return schema.features.every((f) => typeof e.input[f.name] === (f.type === 'categorical' ? 'string' : 'number'));
}

async function copyPredictions(storageDir: string, schema: DatasetSchema, pool: Pool, summary: CopySummary): Promise<void> {
  const replica = `migrate-storage ${path.resolve(storageDir)}`;
  let chunk: PredictionLogEntry[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const results = await insertPredictionGroup(
      pool,
      chunk.map((entry) => [{ ...entry, latency_ms: Number.isFinite(entry.latency_ms) ? entry.latency_ms : 0 }]),
      replica,
    );
    const clashes = results.filter((r) => r !== null).length;
    summary.predictions += chunk.length - clashes;
    summary.skippedPredictions += clashes;
    chunk = [];
  };
  for await (const line of lines(logFiles(path.join(storageDir, 'logs', 'inference.log')))) {
    const entry = parseJson(line);
    if (!isPrediction(entry, schema)) {
      summary.skippedPredictions++;
      continue;
    }
    chunk.push(entry);
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
}

const INSERT_OUTCOMES = `
INSERT INTO outcomes (request_id, actual, label, trusted, recorded_at, recorded_by)
SELECT i.request_id, i.actual, i.label, i.trusted, i.recorded_at, $6
FROM unnest($1::text[], $2::text[], $3::smallint[], $4::boolean[], $5::timestamptz[]) AS i (request_id, actual, label, trusted, recorded_at)
WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.request_id = i.request_id)
ON CONFLICT (request_id) DO NOTHING`;

async function copyOutcomes(storageDir: string, schema: DatasetSchema, pool: Pool, summary: CopySummary): Promise<void> {
  let chunk: Array<{ request_id: string; actual: string; label: number; trusted: boolean; at: string }> = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const { rowCount } = await pool.query(INSERT_OUTCOMES, [
      chunk.map((o) => o.request_id),
      chunk.map((o) => o.actual),
      chunk.map((o) => o.label),
      chunk.map((o) => o.trusted),
      chunk.map((o) => o.at),
      `migrate-storage ${path.resolve(storageDir)}`,
    ]);
    summary.outcomes += rowCount ?? 0;
    summary.skippedOutcomes += chunk.length - (rowCount ?? 0);
    chunk = [];
  };
  for await (const line of lines(logFiles(path.join(storageDir, 'logs', 'feedback.log')))) {
    const o = parseJson(line) as { request_id?: unknown; actual?: unknown; timestamp?: unknown; trusted?: unknown } | undefined;
    const label = typeof o?.actual === 'string' ? schema.outcomeOf(o.actual) : null;
    if (!o || typeof o.request_id !== 'string' || label === null || typeof o.timestamp !== 'string' || Number.isNaN(Date.parse(o.timestamp))) {
      summary.skippedOutcomes++;
      continue;
    }
    // A line written before outcomes carried their source is taken as anonymous, as the file store does.
    chunk.push({ request_id: o.request_id, actual: o.actual as string, label, trusted: o.trusted === true, at: o.timestamp });
    if (chunk.length >= CHUNK) await flush();
  }
  await flush();
}
