import { Pool } from 'pg';
import { ModelEvent } from '../../model-registry/model-event';
import { EventRepository } from '../../model-registry/repositories';

/** The audit trail in model_events, in the order appended. */
export class PgEventRepository extends EventRepository {
  constructor(private readonly pool: Pool) {
    super();
  }

  async append(event: ModelEvent): Promise<void> {
    await this.pool.query('INSERT INTO model_events (event) VALUES ($1::jsonb)', [JSON.stringify(event)]);
  }

  /** The last `limit` events, oldest first; a row that is not an event is skipped, as an unreadable line is. */
  async latest(limit: number): Promise<ModelEvent[]> {
    const { rows } = await this.pool.query<{ event: unknown }>('SELECT event FROM model_events ORDER BY seq DESC LIMIT $1', [limit]);
    return rows
      .map((r) => r.event)
      .filter(isEvent)
      .reverse();
  }
}

function isEvent(value: unknown): value is ModelEvent {
  const event = value as ModelEvent;
  return typeof event === 'object' && event !== null && typeof event.type === 'string' && typeof event.time === 'string';
}
