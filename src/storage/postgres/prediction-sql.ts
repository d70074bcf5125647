import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PredictionLogEntry } from '../../predictions/prediction-log-entry';
import { predictionLogLine } from '../../predictions/prediction-log/prediction-log-line';
import { RequestIdInUse } from '../../predictions/record-errors';
import { PREDICTION_COPY_COLUMNS, predictionCopyLine } from './copy-text';
import { inTransaction } from './transaction';

/**
 * Writers of predictions (and, under their own key, of outcomes) take this transaction lock, so
 * rows commit in the order of their seq: a replica following the table by seq never skips a row
 * that commits late with a smaller number.
 */
export const PREDICTIONS_WRITE_LOCK = 7_316_101;
export const OUTCOMES_WRITE_LOCK = 7_316_102;

/** The group's rows, from the JSON array `jsonArray` writes ($1), served by the replica $2. */
const INSERT_ROWS = `
INSERT INTO predictions (request_id, served_at, model_version, inputs, prediction, probability, latency_ms, served_by)
SELECT r.request_id, r.timestamp, r.model_version, r.input, r.prediction, r.probability, r.latency_ms, $2`;
const RECORDSET = `json_to_recordset($1::json) AS r(request_id text, timestamp timestamptz, model_version text, input jsonb,
  prediction smallint, probability double precision, latency_ms double precision)`;

/** Rows whose id is taken are left out (the caller undoes the rest of their request). */
const INSERT = `${INSERT_ROWS} FROM ${RECORDSET} ON CONFLICT (request_id) DO NOTHING`;

/**
 * One statement in its own transaction, failing as a whole when an id is taken. The write lock
 * comes first: the subquery yields the one row every inserted row is joined to, so no row takes
 * its seq before the lock is held, and the statement's transaction holds it to its commit.
 */
const INSERT_LOCKED = `${INSERT_ROWS} FROM (SELECT pg_advisory_xact_lock(${PREDICTIONS_WRITE_LOCK})) AS write_lock, ${RECORDSET}`;

/** The answer when a row's request id is taken: the whole statement fails, and the group is written again row by row. */
const UNIQUE_VIOLATION = '23505';

/** Rows per chunk handed to the COPY stream (a few hundred kB). */
const COPY_CHUNK_ROWS = 1000;

/**
 * A group of at most this many rows is written by one statement (INSERT_LOCKED): one round trip
 * instead of COPY's four (BEGIN, the lock, COPY, COMMIT), which is what a /predict waits for on its
 * own; parsing a few dozen rows of JSON costs the database less than the round trips saved. Larger
 * groups (batches, a loaded server) go by COPY, which parses each value once.
 */
const ONE_STATEMENT_ROWS = 64;

/**
 * Inserts a group of requests' predictions in one transaction: one INSERT for a small group, one
 * COPY for a larger one (the fastest way into PostgreSQL: one stream, rows parsed once). When an id
 * is taken (by any replica) the statement fails as a whole; the group is then written again with
 * INSERT ... ON CONFLICT DO NOTHING, without the requests that clash, each of which gets
 * RequestIdInUse: all of a request's rows, or none.
 */
export async function insertPredictionGroup(
  pool: Pool,
  requests: ReadonlyArray<readonly PredictionLogEntry[]>,
  replica: string,
): Promise<Array<Error | null>> {
  try {
    if (rowCount(requests) <= ONE_STATEMENT_ROWS) {
      // Named: each connection parses and plans it once.
      await pool.query({ name: 'insert-predictions-locked', text: INSERT_LOCKED, values: [jsonArray(requests), replica] });
    } else {
      await inTransaction(pool, async (client) => {
        await lockForWriting(client, PREDICTIONS_WRITE_LOCK);
        await copyRows(client, requests, replica);
      });
    }
    return requests.map(() => null);
  } catch (err) {
    if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
  }
  return inTransaction(pool, async (client) => {
    await lockForWriting(client, PREDICTIONS_WRITE_LOCK);
    const { rows } = await client.query<{ request_id: string }>(`${INSERT} RETURNING request_id`, [jsonArray(requests), replica]);
    const inserted = new Set(rows.map((r) => r.request_id));
    const results: Array<Error | null> = [];
    const undo: string[] = [];
    for (const request of requests) {
      const taken = request.find((entry) => !inserted.has(entry.request_id));
      if (taken === undefined) {
        results.push(null);
        continue;
      }
      results.push(new RequestIdInUse(taken.request_id));
      for (const entry of request) if (inserted.has(entry.request_id)) undo.push(entry.request_id);
    }
    if (undo.length > 0) await client.query('DELETE FROM predictions WHERE request_id = ANY($1::text[])', [undo]);
    return results;
  });
}

export async function lockForWriting(client: PoolClient, key: number): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [key]);
}

async function copyRows(client: PoolClient, requests: ReadonlyArray<readonly PredictionLogEntry[]>, replica: string): Promise<void> {
  const stream = client.query(copyFrom(`COPY predictions (${PREDICTION_COPY_COLUMNS}) FROM STDIN`));
  await pipeline(Readable.from(copyChunks(requests, replica)), stream);
}

function* copyChunks(requests: ReadonlyArray<readonly PredictionLogEntry[]>, replica: string): Generator<string> {
  let chunk = '';
  let rows = 0;
  for (const request of requests) {
    for (const entry of request) {
      chunk += predictionCopyLine(entry, replica);
      if (++rows % COPY_CHUNK_ROWS === 0) {
        yield chunk;
        chunk = '';
      }
    }
  }
  if (chunk !== '') yield chunk;
}

function rowCount(requests: ReadonlyArray<readonly PredictionLogEntry[]>): number {
  let rows = 0;
  for (const request of requests) rows += request.length;
  return rows;
}

/** The rows as one JSON array, each written as its inference.log line is. */
function jsonArray(requests: ReadonlyArray<readonly PredictionLogEntry[]>): string {
  const parts: string[] = [];
  for (const rows of requests) for (const entry of rows) parts.push(predictionLogLine(entry));
  return `[${parts.join(',')}]`;
}
