import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EventLog } from './event-log';
import { ModelEvent } from './model-event';

const event = (i: number, overrides: Partial<ModelEvent> = {}): ModelEvent => ({
  time: `2024-01-01T00:00:0${i}.000Z`,
  type: 'promoted',
  actor: 'auto',
  version: `v${i + 1}`,
  reason: `reason ${i}`,
  ...overrides,
});

let dir: string;

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'event-log-spec-'));
});

afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('EventLog', () => {
  it('reads a missing file as no events', async () => {
    const log = new EventLog(path.join(dir, 'registry', 'events.jsonl'));
    expect(await log.latest(10)).toEqual([]);
  });

  it('creates the folder on first append and writes one JSON line per event', async () => {
    const file = path.join(dir, 'deep', 'registry', 'events.jsonl');
    const log = new EventLog(file);
    expect(log.file).toBe(file);
    await log.append(event(0));
    await log.append(event(1, { type: 'rejected', actor: 'cli', gate: { roc_auc: 0.7 } }));
    const text = await fsp.readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toEqual(event(0));
    expect(JSON.parse(lines[1])).toEqual(event(1, { type: 'rejected', actor: 'cli', gate: { roc_auc: 0.7 } }));
  });

  it('returns appended events oldest first, with every field kept', async () => {
    const log = new EventLog(path.join(dir, 'events.jsonl'));
    const events = [
      event(0, { type: 'trained', from_version: null, to_version: 'v1' }),
      event(1, { type: 'promoted', trigger: { verdict: 'drift', features: ['age'] } }),
      event(2, { type: 'rolled_back', actor: 'api', version: null, reason: 'a "quoted"\nreason' }),
    ];
    for (const e of events) await log.append(e);
    expect(await log.latest(10)).toEqual(events);
  });

  it('returns only the last `limit` events', async () => {
    const log = new EventLog(path.join(dir, 'events.jsonl'));
    for (let i = 0; i < 5; i++) await log.append(event(i));
    expect((await log.latest(2)).map((e) => e.reason)).toEqual(['reason 3', 'reason 4']);
    expect((await log.latest(5)).map((e) => e.reason)).toEqual(['reason 0', 'reason 1', 'reason 2', 'reason 3', 'reason 4']);
    expect(await log.latest(0)).toEqual([]);
  });

  it('keeps appending to an existing file (from another instance)', async () => {
    const file = path.join(dir, 'events.jsonl');
    await new EventLog(file).append(event(0));
    await new EventLog(file).append(event(1));
    expect((await new EventLog(file).latest(10)).map((e) => e.version)).toEqual(['v1', 'v2']);
  });

  it('skips unreadable lines: not JSON, JSON that is not an event, blank lines', async () => {
    const file = path.join(dir, 'events.jsonl');
    await fsp.writeFile(
      file,
      [
        JSON.stringify(event(0)),
        '{"type": "promoted", broken',
        'not json at all',
        'null',
        '42',
        '"a string"',
        '[1, 2]',
        '{"time": "t", "reason": "no type"}',
        '{"type": 7}',
        '',
        JSON.stringify(event(1)),
      ].join('\n') + '\n',
    );
    expect(await new EventLog(file).latest(100)).toEqual([event(0), event(1)]);
  });

  it('drops a last line cut short by a crash (no newline)', async () => {
    const file = path.join(dir, 'events.jsonl');
    await fsp.writeFile(file, `${JSON.stringify(event(0))}\n${JSON.stringify(event(1)).slice(0, 20)}`);
    expect(await new EventLog(file).latest(10)).toEqual([event(0)]);
  });

  it('keeps an event appended after a torn last line readable', async () => {
    const file = path.join(dir, 'events.jsonl');
    await fsp.writeFile(file, `${JSON.stringify(event(0))}\n${JSON.stringify(event(1)).slice(0, 20)}`);
    const log = new EventLog(file);
    await log.append(event(2));
    expect(await log.latest(10)).toEqual([event(0), event(2)]);
  });

  it('returns `limit` events when an unreadable line sits among the last ones', async () => {
    const file = path.join(dir, 'events.jsonl');
    await fsp.writeFile(file, [event(0), event(1), event(2)].map((e) => JSON.stringify(e)).join('\n') + '\nnot json\n');
    expect((await new EventLog(file).latest(2)).map((e) => e.reason)).toEqual(['reason 1', 'reason 2']);
  });
});
