import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { SMALL_DATA, makeTempDir } from './support/test-app';

describe('node dist/cli train', () => {
  it('saves v1, makes it active and prints the split and a metrics table', () => {
    const storage = makeTempDir();
    const res = runCli(['train', '--storage', storage]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('trained v1');
    expect(res.stdout).toMatch(/train 2884, validation 618, test 617/);
    expect(res.stdout).toMatch(/roc_auc\s+0\.7693/);
    const registry = JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8'));
    expect(registry).toMatchObject({ active: 'v1', previous: null });
    for (const file of ['model.json', 'preprocessor.json', 'metadata.json']) {
      expect(existsSync(path.join(storage, 'models', 'v1', file))).toBe(true);
    }
    for (const file of ['metrics.json', 'stats.json', 'split.json']) {
      expect(existsSync(path.join(storage, 'baseline', 'v1', file))).toBe(true);
    }
    const metadata = JSON.parse(readFileSync(path.join(storage, 'models', 'v1', 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({ version: 'v1', seed: 42, rows: { total: 4119 }, parent_version: null });
    expect(metadata.data_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never overwrites: the next run makes v2; --no-activate leaves the active version alone', () => {
    const storage = makeTempDir();
    expect(runCli(['train', '--storage', storage]).status).toBe(0);
    const before = readFileSync(path.join(storage, 'models', 'v1', 'model.json'), 'utf8');
    const second = runCli(['train', '--storage', storage, '--seed', '3', '--no-activate']);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('trained v2');
    expect(second.stdout).toContain('not activated');
    expect(readFileSync(path.join(storage, 'models', 'v1', 'model.json'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8')).active).toBe('v1');
    expect(runCli(['train', '--storage', storage]).stdout).toContain('trained v3');
    const registry = JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8'));
    expect(registry).toMatchObject({ active: 'v3', previous: 'v1' });
  });

  const badFiles: Array<[string, string | null, RegExp]> = [
    ['a missing file', null, /file not found/],
    ['an empty file', '', /file is empty/],
    ['a missing column', 'age;job\n30;admin.\n', /line 1: missing column\(s\) marital/],
    ['a non-numeric value', 'BAD_AGE', /line 3: column 'age' must be a number, found 'abc'/],
    ['a bad target', 'BAD_TARGET', /line 2: target 'y' must be "yes" or "no", found 'maybe'/],
    ['a row with the wrong number of fields', 'SHORT_ROW', /line 4: expected 21 fields, found 20/],
    ['one class only', 'ONE_CLASS', /cannot train: needs at least 7 rows of each class, got 0 "yes" and 5 "no"/],
  ];

  it.each(badFiles)('%s: one clear line naming the file, exit 1, no version saved', (_name, content, expected) => {
    const storage = makeTempDir();
    const dir = makeTempDir();
    const file = path.join(dir, 'bad.csv');
    const lines = readFileSync(SMALL_DATA, 'utf8').split('\n').slice(0, 6);
    if (content === 'BAD_AGE') lines[2] = lines[2].replace(/^\d+/, 'abc');
    else if (content === 'BAD_TARGET') lines[1] = lines[1].replace(/"no"(\r?)$/, '"maybe"$1');
    else if (content === 'SHORT_ROW') lines[3] = lines[3].split(';').slice(1).join(';');
    const edited = ['BAD_AGE', 'BAD_TARGET', 'SHORT_ROW', 'ONE_CLASS'];
    if (content !== null) writeFileSync(file, edited.includes(content) ? lines.join('\n') : content);
    const res = runCli(['train', '--storage', storage, '--data', file]);
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(file);
    expect(res.stderr).toMatch(expected);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(storage, 'models')) ? readdirSync(path.join(storage, 'models')) : []).toEqual([]);
    expect(existsSync(path.join(storage, 'registry.json'))).toBe(false);
  });

  it.each([
    [['train', '--seed', 'abc'], /--seed must be an integer/],
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['nonsense'], /unknown command 'nonsense'/],
  ])('bad arguments %j: exit 1 with a clear message', (args, expected) => {
    const res = runCli(args);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(expected);
  });

  it('a bad environment variable: one line naming it, exit 1', () => {
    const res = runCli(['train'], { SEED: '-5' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe("error: invalid configuration: SEED must be an integer from 0 to 4294967295 (got '-5')");
  });
});
