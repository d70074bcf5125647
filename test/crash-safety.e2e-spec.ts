import { BANK_SCHEMA } from '../src/data/testing/bank-schema';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelStore } from '../src/model-registry/model-store';
import { runCli } from './support/cli';
import { REPO_ROOT, makeTempDir } from './support/test-app';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Runs the CLI and SIGKILLs it after `delayMs` (if it is still running). */
function runAndKill(args: string[], storage: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, STORAGE_DIR: storage, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Deterministic delays spread over the command's life (start-up, work, exit). */
const delays = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => from + ((to - from) * ((i * 7) % n)) / n);

async function assertConsistent(storage: string): Promise<string[]> {
  const store = new ModelStore(storage, BANK_SCHEMA);
  const versions = await store.versions.listVersions();
  for (const version of versions) await store.versions.loadVersion(version); // every committed version loads whole
  const registry = await store.registry.read(); // parses, or throws naming the file
  if (registry) expect(versions).toContain(registry.active);
  // A kill while registry.json was being written may leave its temporary file (the next change
  // removes it: checked at the end of each test); nothing else may be left.
  expect(readdirSync(storage).filter((f) => f.endsWith('.tmp') && !/^\.registry\.json\.\d+\.[0-9a-f]{8}\.tmp$/.test(f))).toEqual([]);
  return versions;
}

const temporaries = (storage: string) => readdirSync(storage).filter((f) => f.endsWith('.tmp'));

describe('crash safety: SIGKILL at any moment leaves storage consistent', () => {
  it('20 kills during `train`: every version is complete and loadable or absent; the active one is among them', async () => {
    const storage = makeTempDir();
    expect(runCli(['train', '--storage', storage]).status).toBe(0);
    for (const delay of delays(20, 150, 1100)) {
      await runAndKill(['train', '--seed', String(Math.round(delay))], storage, delay);
      await assertConsistent(storage);
    }
    // After all that, training still works and takes the next free number.
    const res = runCli(['train'], { STORAGE_DIR: storage });
    expect(res.status).toBe(0);
    const versions = await assertConsistent(storage);
    expect(res.stdout).toContain(`trained ${versions[versions.length - 1]}`);
    expect(temporaries(storage)).toEqual([]);
  }, 120_000);

  it('20 kills during promote / rollback: exactly one consistent version is active', async () => {
    const storage = makeTempDir();
    expect(runCli(['train', '--storage', storage]).status).toBe(0);
    expect(runCli(['train', '--storage', storage, '--seed', '3']).status).toBe(0);
    for (const [i, delay] of delays(20, 150, 700).entries()) {
      const registry = JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8'));
      const args = registry.active === 'v2' && registry.history.length > 0 ? ['rollback'] : ['promote', i % 2 ? 'v2' : 'v1'];
      await runAndKill(args, storage, delay);
      await assertConsistent(storage);
    }
    // A lock left by a killed process does not wedge the registry.
    const active = JSON.parse(readFileSync(path.join(storage, 'registry.json'), 'utf8')).active;
    const res = runCli(['promote', active === 'v1' ? 'v2' : 'v1'], { STORAGE_DIR: storage });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(existsSync(path.join(storage, 'registry.lock'))).toBe(false);
    expect(temporaries(storage)).toEqual([]);
  }, 120_000);
});
