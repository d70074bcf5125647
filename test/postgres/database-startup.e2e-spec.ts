import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT, makeTempDir } from '../support/test-app';
import { createTempDatabase, setConnectable } from './support/temp-database';

const MAIN = path.join(REPO_ROOT, 'dist', 'main.js');

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, [MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, STORAGE_DIR: makeTempDir(), LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('DATABASE_URL at start', () => {
  it.each([
    [
      'mysql://db/ml',
      "invalid configuration: DATABASE_URL must be a postgres:// URL such as postgres://user:password@host:5432/database (got 'mysql://db/ml')",
    ],
    [
      'not a url',
      "invalid configuration: DATABASE_URL must be a postgres:// URL such as postgres://user:password@host:5432/database (got 'not a url')",
    ],
    [
      'postgres://u:secret@db/a/b',
      "invalid configuration: DATABASE_URL must be a postgres:// URL such as postgres://user:password@host:5432/database (got '***')",
    ],
  ])('a malformed %j stops start-up with one line, exit 1', (url, message) => {
    const res = startWith({ DATABASE_URL: url });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(message);
  });

  it('an unreachable database is retried for DATABASE_CONNECT_TIMEOUT_S, then one line, exit 1', () => {
    const started = Date.now();
    const res = startWith({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing', DATABASE_CONNECT_TIMEOUT_S: '2' });
    const took = Date.now() - started;
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toMatch(
      /^cannot start: the database at 127\.0\.0\.1:1\/nothing did not answer within 2 s \(DATABASE_CONNECT_TIMEOUT_S\): .*ECONNREFUSED/,
    );
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(15_000);
  });

  it('a database that comes up during the retries is used: the server starts', async () => {
    const db = await createTempDatabase();
    try {
      await setConnectable(db.name, false);
      const child = spawn(process.execPath, [MAIN], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          STORAGE_DIR: makeTempDir(),
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'info',
          DATABASE_URL: db.url,
          DATABASE_CONNECT_TIMEOUT_S: '30',
          AUTO_HEAL: 'false',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      for (let waited = 0; waited < 15_000 && !output.includes('not reachable'); waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain('not reachable');
      await setConnectable(db.name, true);
      const listening = await new Promise<boolean>((resolve) => {
        const timer = setInterval(() => /listening on/.test(output) && done(true), 100);
        const done = (value: boolean) => {
          clearInterval(timer);
          resolve(value);
        };
        child.on('exit', () => done(false));
        setTimeout(() => done(false), 60_000).unref();
      });
      expect(listening).toBe(true);
      child.kill('SIGTERM');
      await new Promise((resolve) => child.on('exit', resolve));
    } finally {
      await db.drop();
    }
  }, 90_000);
});
