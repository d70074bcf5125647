import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { makeTempDir } from './support/test-app';

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
