/**
 * How long `node dist/cli --help` takes as a whole process, against `node -e 0` measured in the
 * same run (interleaved, median of N): the CLI's own start-up cost as a ratio.
 *   node bench/cli-startup.js [runs]     (default 21; run `npm run build` first)
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runs = Number(process.argv[2] ?? 21);
if (!Number.isInteger(runs) || runs < 3 || runs > 1000) {
  console.error(`runs must be a whole number from 3 to 1000 (got '${process.argv[2]}')`);
  process.exit(1);
}
const cli = path.join(__dirname, '..', 'dist', 'cli.js');
const cases = { 'node -e 0': ['-e', '0'], 'cli --help': [cli, '--help'], 'cli models --help': [cli, 'models', '--help'] };

function seconds(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let i = 0; i < runs; i++) for (const [name, args] of Object.entries(cases)) times[name].push(seconds(args));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const baseline = median(times['node -e 0']);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(18)} median ${(m * 1000).toFixed(0).padStart(5)} ms  ${(m / baseline).toFixed(2)}x node -e 0`);
}
