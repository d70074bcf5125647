import { Pool } from 'pg';
import { LabelOutcome } from '../../predictions/prediction-history';
import { RecordedOutcome } from '../../predictions/prediction-store';
import { OUTCOMES_WRITE_LOCK, lockForWriting } from './prediction-sql';
import { inTransaction } from './transaction';

export interface OutcomeRow {
  request_id: string;
  actual: string;
  label: 0 | 1;
}

const INSERT = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[]) AS i (request_id, actual, label)
), inserted AS (
  INSERT INTO outcomes (request_id, actual, label, trusted, recorded_at, recorded_by)
  SELECT i.request_id, i.actual, i.label, $4, $5, $6 FROM input i
  WHERE EXISTS (SELECT 1 FROM predictions p WHERE p.request_id = i.request_id)
  ON CONFLICT (request_id) DO NOTHING
  RETURNING request_id
)
SELECT i.request_id, (s.request_id IS NOT NULL) AS recorded, p.prediction, p.model_version
FROM input i
LEFT JOIN inserted s ON s.request_id = i.request_id
LEFT JOIN predictions p ON p.request_id = i.request_id`;

/**
 * Records outcomes in one transaction: each request id once across the fleet (the table's unique
 * key decides, whichever replica is asked), and only for a prediction some replica served.
 * A request id repeated within `rows` is a duplicate after its first.
 */
export async function insertOutcomes(
  pool: Pool,
  rows: readonly OutcomeRow[],
  recordedAt: string,
  trusted: boolean,
  replica: string,
): Promise<RecordedOutcome[]> {
  const firstAt = new Map<string, number>();
  rows.forEach((row, i) => firstAt.has(row.request_id) || firstAt.set(row.request_id, i));
  const unique = [...firstAt.values()].map((i) => rows[i]);
  const found = await inTransaction(pool, async (client) => {
    await lockForWriting(client, OUTCOMES_WRITE_LOCK);
    const { rows: result } = await client.query<{ request_id: string; recorded: boolean; prediction: number | null; model_version: string | null }>(
      INSERT,
      [unique.map((r) => r.request_id), unique.map((r) => r.actual), unique.map((r) => r.label), trusted, recordedAt, replica],
    );
    return new Map(result.map((r) => [r.request_id, r]));
  });
  return rows.map((row, i) => {
    const r = found.get(row.request_id);
    const served = r && r.prediction !== null && r.model_version !== null ? { prediction: r.prediction as 0 | 1, model_version: r.model_version } : null;
    let outcome: LabelOutcome = 'unknown';
    if (served) outcome = r!.recorded && firstAt.get(row.request_id) === i ? 'recorded' : 'duplicate';
    return { outcome, served };
  });
}
