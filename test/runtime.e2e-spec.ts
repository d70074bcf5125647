/**
 * Which Node the tests run on, and that what they start runs on the same one. `.ci/run` runs every
 * test twice, on Node 20 and with Node 24 first on PATH, and sets EXPECT_NODE_MAJOR for each pass:
 * a pass that silently ran on another Node fails here. The first line this spec prints names the
 * runtime, so a CI log shows which pass it is reading.
 *
 * What differs between the runtimes is tested by the suites that use it, in both passes: the V8 flags
 * of `npm start` here; worker threads in src/common/worker-offload.spec.ts and the /predict/batch
 * e2e specs; the Express adapter's prototypes in src/configure-app.spec.ts and every HTTP spec;
 * `fetch` in the image's HEALTHCHECK in test/container/dockerfile.e2e-spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { startServer } from './support/server-process';
import { REPO_ROOT, makeTempDir } from './support/test-app';

const PACKAGE = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: { start: string };
};
const MAJOR = Number(process.versions.node.split('.')[0]);
const EXPECTED = process.env.EXPECT_NODE_MAJOR;

/** The majors of an engines range written as `^A || ^B ...` (the form package.json uses). */
function engineMajors(range: string): number[] {
  return range.split('||').map((part) => {
    const match = /^\^(\d+)(\.\d+){0,2}$/.exec(part.trim());
    if (!match) throw new Error(`engines.node '${range}': this check reads '^N || ^M' only; update it with the range`);
    return Number(match[1]);
  });
}

/** A preload that reports the runtime of the process it is loaded into, on stderr. */
function runtimeReporter(): string {
  const file = path.join(makeTempDir('shmp-runtime-'), 'report-runtime.js');
  writeFileSync(file, 'process.stderr.write(`runtime-check: ${process.version} ${process.execPath}\\n`);\n');
  return file;
}

const reported = (output: string): string | undefined => /^runtime-check: (\S+) (.+)$/m.exec(output)?.slice(1).join(' ');
const THIS_RUNTIME = `${process.version} ${process.execPath}`;

describe('the Node runtime of the tests', () => {
  it('is one package.json accepts, and under .ci/run the one the pass is for', () => {
    process.stdout.write(
      `runtime: Node ${process.version} (${process.execPath}), V8 ${process.versions.v8}` +
        `${EXPECTED ? `; .ci/run expects Node ${EXPECTED}` : ''}\n`,
    );
    expect(engineMajors(PACKAGE.engines.node)).toContain(MAJOR);
    if (EXPECTED !== undefined) expect(`Node ${MAJOR}`).toBe(`Node ${EXPECTED}`);
  });

  it('is the `node` on PATH (what npm scripts, jest and any `node` command run)', () => {
    const onPath = spawnSync('node', ['-p', 'process.execPath'], { encoding: 'utf8' });
    expect(onPath.status).toBe(0);
    expect(realpathSync(onPath.stdout.trim())).toBe(realpathSync(process.execPath));
  });

  it('runs the servers and the CLI the tests start (test/support)', async () => {
    const NODE_OPTIONS = `--require ${runtimeReporter()}`;
    const cli = runCli(['models'], { NODE_OPTIONS, STORAGE_DIR: makeTempDir() });
    expect(reported(cli.stderr)).toBe(THIS_RUNTIME);

    const server = await startServer({ NODE_OPTIONS, STORAGE_DIR: makeTempDir(), AUTO_TRAIN: 'false' });
    try {
      expect(reported(server.output())).toBe(THIS_RUNTIME);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it("applies npm start's V8 flags as they mean: --max-semi-space-size in MiB, three semi-spaces in the heap limit", () => {
    const flags = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main$/.exec(PACKAGE.scripts.start)?.[1].trim().split(/\s+/) ?? [];
    const semiSpace = Number(flags.find((f) => f.startsWith('--max-semi-space-size='))?.split('=')[1]);
    expect(semiSpace).toBeGreaterThan(0);
    const heapLimitMiB = (args: string[]): number => {
      const run = spawnSync(process.execPath, [...args, '-p', "require('v8').getHeapStatistics().heap_size_limit / 2 ** 20"], {
        encoding: 'utf8',
      });
      expect([run.status, run.stderr]).toEqual([0, '']); // accepted, without a warning
      return Number(run.stdout);
    };
    // The old generation pinned, so the figure does not depend on this machine's memory.
    expect(heapLimitMiB(['--max-old-space-size=1024', ...flags])).toBe(1024 + 3 * semiSpace);
    // V8's own default differs between runtimes (and with the memory): the flag makes it one size everywhere.
    const defaultSemiSpace = semiSpace - (heapLimitMiB(flags) - heapLimitMiB([])) / 3;
    process.stdout.write(`runtime: V8's default semi-space here ${defaultSemiSpace} MiB; npm start sets ${semiSpace} MiB\n`);
  });
});
