import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { readLastLines } from '../common/logs/read-last-lines';
import { ModelEvent } from './model-event';
import { EventRepository } from './repositories';

/**
 * The audit trail: append-only JSON lines, each fsynced before the call returns, since an event
 * is the only record of why a model serves (they are rare, so durability costs nothing).
 */
export class EventLog implements EventRepository {
  constructor(readonly file: string) {}

  async append(event: ModelEvent): Promise<void> {
    await fsp.mkdir(path.dirname(this.file), { recursive: true });
    const handle = await fsp.open(this.file, 'a+');
    try {
      // A crash may have cut the last line short: start on a line of our own, or the fragment
      // would swallow this event when the trail is read.
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      const separator = size > 0 && last[0] !== 0x0a ? '\n' : '';
      await handle.write(`${separator}${JSON.stringify(event)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** The last `limit` events, oldest first; unreadable lines are skipped (and read past). */
  async latest(limit: number): Promise<ModelEvent[]> {
    for (let lines = limit; ; lines *= 2) {
      const read = await readLastLines(this.file, lines);
      const events = read.map(parseEvent).filter((e): e is ModelEvent => e !== null);
      if (events.length >= limit || read.length < lines) return events.slice(-limit);
    }
  }
}

function parseEvent(line: string): ModelEvent | null {
  try {
    const event = JSON.parse(line) as ModelEvent;
    return typeof event === 'object' && event !== null && typeof event.type === 'string' ? event : null;
  } catch {
    return null; // a line that is not JSON is not an event; the rest of the trail still reads
  }
}
