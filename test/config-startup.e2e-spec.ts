import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, makeTempDir } from './support/test-app';

/** Starts `node dist/main` with a bad environment: it must refuse, in one line, with exit code 1. */
function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'main.js')], {
    cwd: REPO_ROOT,
    env: { ...process.env, STORAGE_DIR: makeTempDir(), ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('the server refuses a bad configuration at start', () => {
  it.each([
    [{ PORT: 'abc' }, "invalid configuration: PORT must be an integer from 0 to 65535 (got 'abc')"],
    [{ DRIFT_WINDOW: '-5' }, "invalid configuration: DRIFT_WINDOW must be an integer from 1 to 50000 (got '-5')"],
    [{ DRIFT_SHARE: '2' }, "invalid configuration: DRIFT_SHARE must be a number from 0 to 1 (got '2')"],
    [{ HEAL_STRATEGY: 'yolo' }, "invalid configuration: HEAL_STRATEGY must be one of append, window (got 'yolo')"],
    [{ AUTO_TRAIN: 'maybe' }, "invalid configuration: AUTO_TRAIN must be true or false (got 'maybe')"],
    [
      { HEAL_SEARCH_DEFAULT: 'one_hot/7000' },
      "invalid configuration: HEAL_SEARCH_DEFAULT must be none or <spec>/<window> with a spec of HEAL_SPECS (prior, one_hot) and a window of HEAL_SEARCH_WINDOWS (5000, 10000, 20000) (got 'one_hot/7000')",
    ],
    [
      { PUBLIC_URL: 'https://ml.example.com/api' },
      "invalid configuration: PUBLIC_URL must be an http:// or https:// URL of the service's root, like https://ml.example.com (no path, query or credentials) (got 'https://ml.example.com/api')",
    ],
  ])('%j', (env, message) => {
    const res = startWith(env);
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(message);
    expect(res.stdout).toBe('');
  });

  it('a data file that cannot be trained on stops start-up with one line naming it', () => {
    const res = startWith({ DATA_FILE: '/nope/missing.csv', LOG_LEVEL: 'silent' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('cannot start: /nope/missing.csv: file not found');
  });
});
