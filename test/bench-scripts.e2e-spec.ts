import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, makeTempDir } from './support/test-app';

/**
 * The benchmark scripts load the built code (dist/) directly, so a change to what src/ exports can
 * break them without any other test noticing (the schema change once did). Each runs here in its
 * shortest form against the build; its figures are not checked (the machine's load moves them),
 * only that it runs to the end, says what it measured, and exits 0.
 */
const run = promisify(execFile);

async function bench(script: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join('bench', script), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    timeout: 240_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

describe('benchmark scripts run against the build', () => {
  it('npm run bench (bench/run.js): /predict and /predict/batch for a second each, results written', async () => {
    const out = await bench('run.js', [], { BENCH_ONLY: 'ceiling,predict,batch', BENCH_DURATION: '1', BENCH_WARMUP: '0' });
    expect(out).toMatch(/POST \/predict/);
    expect(out).toMatch(/rows\/s/);
    const results = JSON.parse(readFileSync(path.join(REPO_ROOT, 'bench', 'results.json'), 'utf8'));
    expect(results).toEqual(expect.any(Object));
  });

  it('bench/fit-specs.js, bench/heal-stall.js and bench/synthetic-history.js', async () => {
    expect(await bench('fit-specs.js', ['1000', '1'])).toMatch(/one_hot\+isotonic/);
    expect(await bench('heal-stall.js', ['500'])).toMatch(/heal over 500 labelled predictions: \w+/);
    const out = path.join(makeTempDir(), 'synthetic.csv');
    expect(await bench('synthetic-history.js', [out])).toMatch(/wrote .*12000 rows/);
    expect(existsSync(out)).toBe(true);
  });
});
