import { Pool } from 'pg';
import { DatasetSchema } from '../../data/dataset-schema';
import { PredictionHistory } from '../../predictions/prediction-history';
import { PredictionLogEntry } from '../../predictions/prediction-log-entry';
import { withClient } from './checkout';

/** Rows read per query while catching up. */
const PAGE = 20_000;

interface PredictionRow {
  seq: string;
  request_id: string;
  served_at: Date;
  model_version: string;
  inputs: unknown;
  prediction: number;
  probability: number;
  latency_ms: number;
}

interface OutcomeRow {
  seq: string;
  request_id: string;
  label: number;
  trusted: boolean;
}

const PREDICTION_COLUMNS = 'seq, request_id, served_at, model_version, inputs, prediction, probability, latency_ms';

/**
 * Other replicas' predictions after seq $1 (at most $2), and the table's last seq in the same
 * snapshot (`top`, on every row, and on one row of NULLs when there is nothing new): rows commit in
 * seq order, so everything up to `top` has been seen once the page is not full.
 */
const OTHERS_SINCE = `
SELECT t.top, p.* FROM (SELECT max(seq) AS top FROM predictions) t
LEFT JOIN LATERAL (
  SELECT ${PREDICTION_COLUMNS} FROM predictions WHERE seq > $1 AND seq <= t.top AND served_by <> $3 ORDER BY seq LIMIT $2
) p ON true`;

/**
 * This replica's copy of the fleet's latest predictions and outcomes: the last HISTORY_SIZE rows
 * of the predictions table, with their outcomes, followed by seq; its own rows are added as they
 * commit. Monitoring and healing read it synchronously, as they read the file store's history; it
 * is at most one refresh (half a second) behind the database. Following by seq relies on writers
 * committing in seq order (every writer takes PREDICTIONS_WRITE_LOCK first): a row inserted by
 * hand without that lock may commit behind a seq already passed and is then never read here.
 */
export class PredictionMirror {
  readonly history: PredictionHistory;
  private predictionSeq = 0;
  private outcomeSeq = 0;
  private skipped = 0;

  constructor(
    private readonly pool: Pool,
    private readonly schema: DatasetSchema,
    capacity: number,
    private readonly warn: (message: string) => void,
    /** This replica's served_by: its own rows are added as they commit (addOwn), not read back. */
    private readonly replica: string,
  ) {
    this.history = new PredictionHistory(capacity);
  }

  /** The last `capacity` predictions and their outcomes, read in one snapshot. */
  async load(): Promise<number> {
    const { rows, outcomes, top } = await withClient(this.pool, async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const latest = await client.query<PredictionRow>(`SELECT ${PREDICTION_COLUMNS} FROM predictions ORDER BY seq DESC LIMIT $1`, [
          this.history.capacity,
        ]);
        const oldest = latest.rows.length > 0 ? latest.rows[latest.rows.length - 1].seq : '0';
        const labels = await client.query<OutcomeRow>(
          `SELECT o.seq, o.request_id, o.label, o.trusted FROM outcomes o JOIN predictions p ON p.request_id = o.request_id
           WHERE p.seq >= $1 ORDER BY o.seq`,
          [oldest],
        );
        const max = await client.query<{ seq: string | null }>('SELECT MAX(seq) AS seq FROM outcomes');
        await client.query('COMMIT');
        return { rows: latest.rows.reverse(), outcomes: labels.rows, top: max.rows[0].seq };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
    this.addPredictions(rows);
    this.applyOutcomes(outcomes);
    this.outcomeSeq = Number(top ?? 0);
    return rows.length;
  }

  /**
   * Reads what was committed since the last refresh. Outcomes are read first: an outcome's
   * prediction committed before it, so the predictions read next include it.
   */
  async refresh(): Promise<void> {
    for (;;) {
      const { rows: outcomes } = await this.pool.query<OutcomeRow>(
        'SELECT seq, request_id, label, trusted FROM outcomes WHERE seq > $1 ORDER BY seq LIMIT $2',
        [this.outcomeSeq, PAGE],
      );
      for (;;) {
        const { rows } = await this.pool.query<PredictionRow & { top: string | null }>(OTHERS_SINCE, [this.predictionSeq, PAGE, this.replica]);
        const found = rows.filter((row) => row.seq !== null);
        this.addPredictions(found);
        if (found.length === PAGE) continue;
        // Past this replica's own rows too: the next refresh starts after them instead of scanning them again.
        this.predictionSeq = Math.max(this.predictionSeq, Number(rows[0]?.top ?? 0));
        break;
      }
      this.applyOutcomes(outcomes);
      if (outcomes.length > 0) this.outcomeSeq = Number(outcomes[outcomes.length - 1].seq);
      if (outcomes.length < PAGE) break;
    }
  }

  /**
   * This replica's own predictions, once committed: added here at once (a batch indexed once by its
   * id), so a replica never reads back, parses and checks the rows it just wrote.
   */
  addOwn(batchId: string | null, entries: readonly PredictionLogEntry[]): void {
    if (batchId === null) for (const entry of entries) this.history.add(entry);
    else this.history.addBatch(batchId, entries);
  }

  private addPredictions(rows: readonly PredictionRow[]): void {
    let skipped = 0;
    for (const row of rows) {
      const entry = this.toEntry(row);
      if (entry) this.history.add(entry);
      else skipped++;
    }
    if (rows.length > 0) this.predictionSeq = Number(rows[rows.length - 1].seq);
    if (skipped > 0) {
      this.skipped += skipped;
      this.warn(`predictions table: skipped ${skipped} malformed row(s) (${this.skipped} since start)`);
    }
  }

  private applyOutcomes(rows: readonly OutcomeRow[]): void {
    for (const row of rows) {
      if (row.label === 0 || row.label === 1) this.history.label(row.request_id, row.label, !row.trusted);
    }
  }

  /** A row as the service wrote it (every feature present with its type), or null: a damaged row never reaches the drift maths. */
  private toEntry(row: PredictionRow): PredictionLogEntry | null {
    const input = row.inputs as Record<string, unknown>;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
    if (!(row.served_at instanceof Date) || Number.isNaN(row.served_at.getTime())) return null;
    if ((row.prediction !== 0 && row.prediction !== 1) || !Number.isFinite(row.probability) || !Number.isFinite(row.latency_ms)) return null;
    for (const f of this.schema.features) {
      if (typeof input[f.name] !== (f.type === 'categorical' ? 'string' : 'number')) return null;
    }
    return {
      request_id: row.request_id,
      timestamp: row.served_at.toISOString(),
      model_version: row.model_version,
      input: input as PredictionLogEntry['input'],
      prediction: row.prediction,
      probability: row.probability,
      latency_ms: row.latency_ms,
    };
  }
}
