/**
 * `npm start` builds dist/ only when it is not a build of the sources there now (prestart:
 * scripts/build-if-stale.js): in a scratch copy of the project (its own dist/, the same
 * node_modules), the first `npm start` builds and the second starts at once; a changed source
 * makes dist/ stale again. The server is given PORT=abc, so each start ends right after the build
 * step with its one-line configuration error instead of serving.
 *
 * The copy's `build` script stands in for `nest build` by copying the dist/ `npm test` built (a
 * real build takes 10 to 30 s here, and `npm test` has just run one), then writes the stamp as the
 * real script does; prestart and start are package.json's own.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT, makeTempDir } from './support/test-app';

const INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'scripts', 'src'];

/** This machine's environment, less what `npm test` and jest add to it (npm_* would steer the inner npm). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || ['NODE_ENV', 'INIT_CWD', 'JEST_WORKER_ID', 'NODE_OPTIONS'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

describe('npm start', () => {
  const project = makeTempDir('shmp-npm-start-');

  beforeAll(() => {
    for (const input of INPUTS) cpSync(path.join(REPO_ROOT, input), path.join(project, input), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    mkdirSync(path.join(project, 'data'));
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('nest build && node scripts/build-if-stale.js --stamp');
    expect(pkg.scripts.prestart).toBe('node scripts/build-if-stale.js');
    const standIn = `require('node:fs').cpSync(${JSON.stringify(path.join(REPO_ROOT, 'dist'))}, 'dist', { recursive: true }); console.log('nest build (stand-in)')`;
    pkg.scripts.build = `node -e ${JSON.stringify(standIn)} && node scripts/build-if-stale.js --stamp`;
    writeFileSync(path.join(project, 'package.json'), JSON.stringify(pkg, null, 2));
  });

  function npmStart(): { status: number | null; output: string } {
    const res = spawnSync('npm', ['start'], {
      cwd: project,
      env: cleanEnv({ PORT: 'abc', STORAGE_DIR: path.join(project, 'storage') }),
      encoding: 'utf8',
      timeout: 5 * 60_000,
    });
    return { status: res.status, output: `${res.stdout}${res.stderr}` };
  }

  it('builds the first time, not the second; a changed source makes dist/ stale', () => {
    const first = npmStart();
    expect(first.output).toContain('dist/ is missing or older than the sources: building');
    expect(first.output).toContain('nest build (stand-in)');
    expect(first.output).toContain("invalid configuration: PORT must be an integer from 0 to 65535 (got 'abc')");
    expect(existsSync(path.join(project, 'dist', 'main.js'))).toBe(true);

    const second = npmStart();
    expect(second.output).toContain('dist/ is up to date with the sources: not rebuilding');
    expect(second.output).not.toContain('nest build (stand-in)');
    expect(second.output).toContain("invalid configuration: PORT must be an integer from 0 to 65535 (got 'abc')");

    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the script is plain CommonJS
    const { upToDate } = require(path.join(project, 'scripts', 'build-if-stale.js')) as { upToDate: (root: string) => boolean };
    expect(upToDate(project)).toBe(true);
    const file = path.join(project, 'src', 'main.ts');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n// changed\n`);
    expect(upToDate(project)).toBe(false);
  });
});
