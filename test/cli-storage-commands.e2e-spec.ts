import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { REPO_ROOT, makeTempDir } from './support/test-app';

/** models, promote and rollback read and change the registry only: never the prediction logs. */
describe('node dist/cli models / promote / rollback with the logs folder unusable', () => {
  const storage = makeTempDir();
  const env = { STORAGE_DIR: storage };

  beforeAll(() => {
    for (let i = 0; i < 2; i++) expect(runCli(['train', '--no-activate'], env).status).toBe(0);
    // A file where storage/logs should be: anything that opened the logs would fail.
    writeFileSync(path.join(storage, 'logs'), 'not a folder');
  });

  it('models lists the versions', () => {
    const res = runCli(['models'], env);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^v1 +archived/m);
    expect(res.stdout).toMatch(/^v2 +archived/m);
  });

  it('promote and rollback change the registry and say so', () => {
    expect(runCli(['promote', 'v1'], env)).toMatchObject({ status: 0, stderr: '' });
    const promoted = runCli(['promote', 'v2'], env);
    expect(promoted).toMatchObject({ status: 0, stderr: '' });
    expect(promoted.stdout).toContain('v2 is now active (previous: v1)');
    const rolled = runCli(['rollback'], env);
    expect(rolled).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8')).active).toBe('v1');
    expect(runCli(['models', '--events'], env).stdout).toMatch(/rolled_back/);
  });

  it('drift, which reads the prediction logs, fails with one clear line instead', () => {
    const res = runCli(['drift'], env);
    expect(res.status).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});

/** `--storage DIR` stands for STORAGE_DIR on every command that reads the storage folder. */
describe('node dist/cli <command> --storage DIR, and --version', () => {
  const storage = makeTempDir();
  const elsewhere = makeTempDir(); // STORAGE_DIR: must stay untouched
  const env = { STORAGE_DIR: elsewhere };

  beforeAll(() => {
    expect(runCli(['train', '--storage', storage], env).status).toBe(0);
    expect(runCli(['train', `--storage=${storage}`, '--no-activate'], env).status).toBe(0);
  });

  it('models, promote, rollback, drift and heal read and change the folder given, never STORAGE_DIR', () => {
    expect(runCli(['models', '--storage', storage], env).stdout).toMatch(/^v2 +archived/m);
    expect(runCli(['promote', 'v2', '--storage', storage], env)).toMatchObject({ status: 0, stdout: 'v2 is now active (previous: v1)\n' });
    expect(runCli(['rollback', '--storage', storage], env)).toMatchObject({ status: 0, stdout: 'rolled back: v1 is active again\n' });
    const drift = runCli(['drift', '--storage', storage], env);
    expect(drift).toMatchObject({ status: 0, stderr: '' });
    expect(drift.stdout).toMatch(/^drift of the last 0 predictions against the training data of v1/);
    const heal = runCli(['heal', '--storage', storage], env);
    expect(heal).toMatchObject({ status: 0, stderr: '' });
    expect(heal.stdout).toMatch(/^skipped: /);
    expect(JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8')).active).toBe('v1');
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a folder that is not there: one line, exit 1, nothing created', () => {
    const missing = path.join(storage, 'no-such-folder');
    const res = runCli(['models', '--storage', missing], env);
    expect(res).toMatchObject({ status: 1, stdout: '', stderr: `error: --storage ${missing}: no such folder\n` });
    expect(existsSync(missing)).toBe(false);
  });

  it("a command's --help works from any folder; a command run elsewhere without --schema says where it looked", () => {
    const folder = makeTempDir();
    for (const command of ['train', 'replay', 'drift']) {
      const help = runCli([command, '--help'], {}, folder);
      expect(help).toMatchObject({ status: 0, stderr: '' });
      expect(help.stdout).toMatch(new RegExp(`^Usage: cli ${command} \\[options\\]`));
    }
    expect(runCli(['train', '--data', 'x.csv'], {}, folder)).toEqual({
      status: 1,
      stdout: '',
      stderr: `error: data/bank-marketing.schema.json: schema file not found in ${folder} (run from the project folder, or set DATA_SCHEMA / --schema)\n`,
    });
  });

  it("--version prints package.json's name and version without loading a command", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    for (const flag of ['--version', '-V'])
      expect(runCli([flag])).toEqual({ status: 0, stdout: `${pkg.name} ${pkg.version}\n`, stderr: '' });
  });
});
