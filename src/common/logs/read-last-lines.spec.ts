import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readLastLines, readLastLinesAcross } from './read-last-lines';

describe('readLastLines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tail-'));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('returns [] for a missing or empty file', async () => {
    expect(await readLastLines(path.join(dir, 'missing.log'), 10)).toEqual([]);
    expect(await readLastLines(write('empty.log', ''), 10)).toEqual([]);
  });

  it('returns the last n lines oldest first, or all of them', async () => {
    const file = write('small.log', 'a\nb\nc\n');
    expect(await readLastLines(file, 2)).toEqual(['b', 'c']);
    expect(await readLastLines(file, 10)).toEqual(['a', 'b', 'c']);
  });

  it('drops a last line cut short (no newline) and skips blank lines', async () => {
    expect(await readLastLines(write('cut.log', 'a\n\nb\n{"half'), 10)).toEqual(['a', 'b']);
    expect(await readLastLines(write('only-cut.log', '{"half'), 10)).toEqual([]);
  });

  it('reads lines that span chunk boundaries in a large file', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(i % 97)}"}`);
    const file = write('large.log', `${lines.join('\n')}\n`);
    expect(await readLastLines(file, 5000)).toEqual(lines.slice(-5000));
    expect(await readLastLines(file, 50_000)).toEqual(lines);
  });

  it('handles a line longer than a chunk', async () => {
    const long = 'y'.repeat(200_000);
    const file = write('long.log', `first\n${long}\nlast\n`);
    expect(await readLastLines(file, 3)).toEqual(['first', long, 'last']);
    expect(await readLastLines(write('long-cut.log', `first\n${long}`), 3)).toEqual(['first']);
  });
});

describe('readLastLinesAcross', () => {
  it('continues into older rotated files until it has n lines', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tail-across-'));
    const file = path.join(dir, 'a.log');
    writeFileSync(`${file}.2`, '1\n2\n');
    writeFileSync(`${file}.1`, '3\n4\n');
    writeFileSync(file, '5\n');
    const files = [file, `${file}.1`, `${file}.2`, `${file}.3`];
    expect(await readLastLinesAcross(files, 4)).toEqual(['2', '3', '4', '5']);
    expect(await readLastLinesAcross(files, 100)).toEqual(['1', '2', '3', '4', '5']);
  });
});
