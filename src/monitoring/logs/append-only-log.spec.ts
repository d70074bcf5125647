import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendOnlyLog } from './append-only-log';

describe('AppendOnlyLog', () => {
  const tempFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'log-')), 'nested', 'x.log');

  it('appends one JSON line per record, in order, creating the folder', async () => {
    const log = new AppendOnlyLog(tempFile());
    for (let i = 0; i < 1000; i++) log.append({ i, text: 'a\nb' });
    await log.close();
    const lines = readFileSync(log.file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('flush() resolves once earlier appends are on disk, and reopening appends', async () => {
    const file = tempFile();
    const first = new AppendOnlyLog(file);
    first.append({ n: 1 });
    await first.flush();
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n');
    await first.close();
    const second = new AppendOnlyLog(file);
    second.append({ n: 2 });
    await second.close();
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n');
  });
});
