import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AppendOnlyLog, LogWriteError, encodeLines } from './append-only-log';

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

describe('AppendOnlyLog pre-serialised lines', () => {
  const tempFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'lines-')), 'x.log');

  it('appendLine and appendEncodedLines write the lines as given, in order, mixed with append', async () => {
    const log = new AppendOnlyLog(tempFile());
    log.appendLine('{"a":1}');
    log.appendEncodedLines(encodeLines(['{"b":2}', '{"c":"é"}', '{"d":4}']));
    log.appendEncodedLines(encodeLines([]));
    log.append({ e: 5 });
    await log.close();
    expect(readFileSync(log.file, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":"é"}\n{"d":4}\n{"e":5}\n');
  });

  it('appendEncodedLines rotates between two lines when a batch crosses the size, losing none', async () => {
    const file = tempFile();
    const log = new AppendOnlyLog(file, { maxBytes: 2000, keep: 5 });
    const line = (i: number) => JSON.stringify({ i, pad: 'p'.repeat(20) });
    for (let start = 0; start < 300; start += 60)
      log.appendEncodedLines(encodeLines(Array.from({ length: 60 }, (_, k) => line(start + k))));
    await log.close();
    const files = [`${file}.5`, `${file}.4`, `${file}.3`, `${file}.2`, `${file}.1`, file];
    for (const f of files) if (existsSync(f)) expect(statSync(f).size).toBeLessThanOrEqual(2000);
    const kept = files
      .filter((f) => existsSync(f))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).i as number),
      );
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 300 - kept.length + k));
  });
});

describe('AppendOnlyLog rotation', () => {
  const dir = () => mkdtempSync(path.join(tmpdir(), 'rot-'));

  it('rotates by size, keeps K files, and loses no line', async () => {
    const file = path.join(dir(), 'x.log');
    const log = new AppendOnlyLog(file, { maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 300; i++) log.append({ i, pad: 'p'.repeat(20) });
    await log.close();
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(statSync(f).size).toBeLessThanOrEqual(2000);
    const kept = [`${file}.2`, `${file}.1`, file].flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).i as number),
    );
    // The newest lines survive, in order and without gaps.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 300 - kept.length + k));
  });

  it('with keep 0 it starts the file afresh', async () => {
    const file = path.join(dir(), 'y.log');
    const log = new AppendOnlyLog(file, { maxBytes: 1024, keep: 0 });
    for (let i = 0; i < 100; i++) log.append({ i, pad: 'q'.repeat(30) });
    await log.close();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(JSON.parse(lines[lines.length - 1]).i).toBe(99);
    expect(lines.length).toBeLessThan(100);
  });
});

describe('AppendOnlyLog confirms what it wrote', () => {
  const tempDir = () => mkdtempSync(path.join(tmpdir(), 'confirm-'));

  it('an append resolves only once its line is in the file', async () => {
    const log = new AppendOnlyLog(path.join(tempDir(), 'x.log'));
    const appended = log.append({ n: 1 });
    expect(existsSync(log.file) ? readFileSync(log.file, 'utf8') : '').toBe('');
    await appended;
    expect(readFileSync(log.file, 'utf8')).toBe('{"n":1}\n');
    await log.close();
  });

  it('rejects the appends of a write that failed, says why, and writes again once it can', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'logs'), 'a file where the folder should be');
    const log = new AppendOnlyLog(path.join(dir, 'logs', 'x.log'));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const failed = await Promise.allSettled([log.append({ n: 1 }), log.append({ n: 2 })]);
      expect(failed.map((f) => f.status)).toEqual(['rejected', 'rejected']);
      const reason = (failed[0] as PromiseRejectedResult).reason as LogWriteError;
      expect(reason).toBeInstanceOf(LogWriteError);
      expect(reason.code).toMatch(/^(EEXIST|ENOTDIR)$/);
      expect(log.lastFailure?.message).toMatch(/^cannot write .*x\.log: (EEXIST|ENOTDIR)/);
      expect(stderr).toHaveBeenCalledTimes(1);
    } finally {
      stderr.mockRestore();
    }
    rmSync(path.join(dir, 'logs'));
    mkdirSync(path.join(dir, 'logs'));
    await log.append({ n: 3 });
    expect(log.lastFailure).toBeNull();
    expect(readFileSync(log.file, 'utf8')).toBe('{"n":3}\n');
    await log.close();
  });

  it('starts on a line of its own after a line cut short', async () => {
    const file = path.join(tempDir(), 'x.log');
    writeFileSync(file, '{"n":1}\n{"half');
    const log = new AppendOnlyLog(file);
    await log.append({ n: 2 });
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n{"half\n{"n":2}\n');
    await log.close();
  });

  it('a file deleted under it is opened again by its path, not written into the void', async () => {
    const file = path.join(tempDir(), 'x.log');
    const log = new AppendOnlyLog(file);
    await log.append({ n: 1 });
    rmSync(file);
    await log.append({ n: 2 });
    expect(readFileSync(file, 'utf8')).toBe('{"n":2}\n');
    await log.close();
  });
});
