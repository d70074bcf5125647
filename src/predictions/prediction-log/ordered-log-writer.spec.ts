import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendOnlyLog } from '../../common/logs/append-only-log';
import { OrderedLogWriter } from './ordered-log-writer';

const tempLog = () => new AppendOnlyLog(path.join(mkdtempSync(path.join(tmpdir(), 'ordered-')), 'x.log'));
const line = (text: string) => Buffer.from(`${text}\n`);

function deferred(): { promise: Promise<Buffer>; resolve: (b: Buffer) => void; reject: (e: Error) => void } {
  let resolve!: (b: Buffer) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<Buffer>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('OrderedLogWriter', () => {
  it('writes lines handed in after a pending batch only after it, in the order handed in', async () => {
    const log = tempLog();
    const written: Buffer[] = [];
    const writer = new OrderedLogWriter({
      file: log.file,
      appendEncodedLines: (bytes: Buffer) => {
        written.push(bytes);
        return log.appendEncodedLines(bytes);
      },
      flush: () => log.flush(),
      close: () => log.close(),
    });
    const first = deferred();
    const second = deferred();
    writer.write(line('a'));
    writer.write(first.promise);
    writer.write(line('b'));
    writer.write(second.promise);
    writer.write(line('c'));
    second.resolve(line('second'));
    await new Promise((r) => setImmediate(r));
    expect(written.map(String)).toEqual(['a\n']);
    first.resolve(line('first'));
    await writer.flush();
    expect(readFileSync(writer.file, 'utf8')).toBe('a\nfirst\nb\nsecond\nc\n');
  });

  it('says so when a promised batch fails, and goes on writing the lines after it', async () => {
    const warnings: string[] = [];
    const writer = new OrderedLogWriter(tempLog(), (m) => warnings.push(m));
    const pending = deferred();
    const lost = writer.write(pending.promise);
    const after = writer.write(line('after'));
    pending.reject(new Error('worker gone'));
    await expect(lost).rejects.toThrow('worker gone');
    await after;
    await writer.close();
    expect(readFileSync(writer.file, 'utf8')).toBe('after\n');
    expect(warnings).toEqual([expect.stringMatching(/a batch's lines were lost: worker gone/)]);
  });

  it('flush waits for what was handed in before it, not for batches handed in later', async () => {
    const writer = new OrderedLogWriter(tempLog());
    const first = deferred();
    const later = deferred();
    writer.write(first.promise);
    const flushed = writer.flush();
    writer.write(later.promise);
    first.resolve(line('first'));
    await flushed;
    expect(readFileSync(writer.file, 'utf8')).toBe('first\n');
    later.resolve(line('later'));
    await writer.close();
    expect(readFileSync(writer.file, 'utf8')).toBe('first\nlater\n');
  });

  it('flush and close wait for pending batches', async () => {
    const writer = new OrderedLogWriter(tempLog());
    const pending = deferred();
    writer.write(pending.promise);
    setTimeout(() => pending.resolve(line('late')), 20);
    await writer.close();
    expect(readFileSync(writer.file, 'utf8')).toBe('late\n');
  });

  it('a write resolves only once its lines are in the file, in the order handed in', async () => {
    const writer = new OrderedLogWriter(tempLog());
    const batch = deferred();
    const first = writer.write(batch.promise);
    const second = writer.write(line('b'));
    setTimeout(() => batch.resolve(line('a')), 10);
    await second;
    expect(readFileSync(writer.file, 'utf8')).toBe('a\nb\n');
    await first;
  });

  it('a write rejects when the log cannot write its lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ordered-'));
    writeFileSync(path.join(dir, 'logs'), 'a file where the folder should be');
    const writer = new OrderedLogWriter(new AppendOnlyLog(path.join(dir, 'logs', 'x.log')));
    await expect(writer.write(line('x'))).rejects.toThrow(/cannot write .*x\.log: (EEXIST|ENOTDIR)/);
    await expect(writer.write(Promise.resolve(line('y')))).rejects.toThrow(/EEXIST|ENOTDIR/);
  });

  it('flush resolves at once with nothing pending', async () => {
    const writer = new OrderedLogWriter(tempLog());
    await writer.flush();
    writer.write(line('x'));
    await writer.flush();
    expect(readFileSync(writer.file, 'utf8')).toBe('x\n');
  });
});
