import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readLastLines } from '../common/logs/read-last-lines';
import { ModelEvent } from './model-event';

/**
 * The audit trail: append-only JSON lines, each fsynced before the call returns, since an event
 * is the only record of why a model serves (they are rare, so durability costs nothing).
 */
export class EventLog {
  constructor(readonly file: string) {}

  async append(event: ModelEvent): Promise<void> {
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fsp.open(this.file, 'a');
    try {
      await handle.write(`${JSON.stringify(event)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** The last `limit` events, oldest first; unreadable lines are skipped. */
  async latest(limit: number): Promise<ModelEvent[]> {
    const events: ModelEvent[] = [];
    for (const line of await readLastLines(this.file, limit)) {
      try {
        const event = JSON.parse(line) as ModelEvent;
        if (typeof event === 'object' && event !== null && typeof event.type === 'string') events.push(event);
      } catch {
        // A line that is not JSON is not an event; the rest of the trail still reads.
      }
    }
    return events;
  }
}
