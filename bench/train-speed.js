'use strict';
/**
 * `node dist/cli train` on the full file as a whole process, against a reference training command
 * measured in the same run (interleaved, median of N): the ratio is what compares, since absolute
 * times move with a shared machine's load. Then one profiled run (`node --cpu-prof`) says where our
 * time went: start-up (loading modules), CSV parsing, preprocessing, the fit, evaluation, reference
 * statistics, saving, the garbage collector.
 *
 *   npm run build && TRAIN_REFERENCE='python3 /tmp/train_sklearn.py' node bench/train-speed.js [runs=7]
 *
 * TRAIN_REFERENCE is a command line (split on spaces) that gets the data file and an output folder
 * as its last two arguments, e.g. scikit-learn's training script (kept outside the repo: the
 * project holds no Python). Without it, only our figures and the profile are printed. CPU time
 * (user + system of the child) is read from /proc/self/stat where there is one.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const DATA = path.join(ROOT, 'data', 'bank-additional-full.csv');
const CLI = path.join(ROOT, 'dist', 'cli.js');

const runs = Number(process.argv[2] ?? 7);
if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
  process.stderr.write(`train-speed: runs must be a whole number from 1 to 100 (got '${process.argv[2]}')\n`);
  process.exit(1);
}
if (!fs.existsSync(CLI)) {
  process.stderr.write('train-speed: dist/cli.js is missing: run `npm run build` first\n');
  process.exit(1);
}
const reference = (process.env.TRAIN_REFERENCE ?? '').trim().split(/\s+/).filter(Boolean);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-speed-'));

/** Children's user + system CPU seconds so far (Linux), or null. */
function childCpuSeconds() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

function measure(command, args) {
  const cpu = childCpuSeconds();
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  const after = childCpuSeconds();
  return { wall, cpu: cpu === null || after === null ? null : after - cpu };
}

const ours = (i) => measure(process.execPath, [CLI, 'train', '--data', DATA, '--storage', path.join(tmp, `ours-${i}`)]);
const theirs = (i) => measure(reference[0], [...reference.slice(1), DATA, path.join(tmp, `reference-${i}`)]);

/** Where our time went: one run under the profiler, self time bucketed by what the code does. */
function profile() {
  const dir = path.join(tmp, 'profile');
  const result = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      '--cpu-prof-interval',
      '250',
      '--cpu-prof-dir',
      dir,
      CLI,
      'train',
      '--data',
      DATA,
      '--storage',
      path.join(tmp, 'profiled'),
    ],
    { stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'silent' } },
  );
  if (result.status !== 0) throw new Error('the profiled run failed');
  const file = path.join(dir, fs.readdirSync(dir)[0]);
  const buckets = bucketProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
  const total = Object.values(buckets).reduce((a, b) => a + b, 0);
  console.log(`where the time went (one run under --cpu-prof, ${(total / 1000).toFixed(2)} s sampled):`);
  for (const [name, ms] of Object.entries(buckets).sort((x, y) => y[1] - x[1])) {
    console.log(`  ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
  }
}

/** Categories by the file a frame comes from; the innermost frame that names one decides. */
const CATEGORIES = [
  ['CSV parsing (papaparse, the loader)', /papaparse|csv-parse|csv-dataset-loader|csv-syntax/],
  ['fit (logistic regression, Newton)', /training\/logistic-regression|ml-matrix/],
  ['preprocessing (encoders, scalers, split)', /preprocessing\//],
  ['reference statistics (drift baseline)', /training\/(reference-statistics|histogram)/],
  ['evaluation (metrics, calibration)', /training\/(metrics|calibration-baseline|evaluation|calibrated-model|logistic-model)/],
  ['saving the version (JSON, files)', /model-registry\/|common\/atomic-file/],
];

function bucketProfile(p) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i + 1] ?? 0));
  const out = {};
  const add = (name, us) => (out[name] = (out[name] ?? 0) + us / 1000);
  for (const [id, us] of self) {
    const leaf = byId.get(id).callFrame.functionName;
    if (leaf === '(garbage collector)') add('garbage collector', us);
    else if (leaf === '(idle)' || leaf === '(program)') add('idle, waiting for I/O, V8 internals', us);
    else add(categoryOf(id, byId, parent), us);
  }
  return out;
}

function categoryOf(id, byId, parent) {
  let loading = false;
  let category = null;
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const frame = byId.get(cur).callFrame;
    if (frame.functionName === 'Module._load' || frame.functionName === 'compileForInternalLoader') loading = true;
    if (category === null) category = CATEGORIES.find(([, pattern]) => pattern.test(frame.url))?.[0] ?? null;
  }
  if (loading) return 'start-up (loading and compiling modules)';
  return category ?? 'other (Nest and the CLI, node internals)';
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const figures = { ours: [], reference: [] };
  try {
    for (let i = 0; i < runs; i++) {
      figures.ours.push(ours(i));
      if (reference.length > 0) figures.reference.push(theirs(i));
    }
    const line = (name, xs) => {
      const wall = median(xs.map((x) => x.wall));
      const cpu = xs.every((x) => x.cpu !== null) ? median(xs.map((x) => x.cpu)) : null;
      console.log(
        `${name.padEnd(34)} median ${wall.toFixed(2)} s wall${cpu === null ? '' : `, ${cpu.toFixed(2)} s CPU`} (${xs.length} runs)`,
      );
      return { wall, cpu };
    };
    console.log(
      `train on ${path.relative(ROOT, DATA)}, whole processes, interleaved, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(2)}`,
    );
    const a = line('node dist/cli train', figures.ours);
    if (reference.length > 0) {
      const b = line(reference.join(' '), figures.reference);
      const cpuRatio = a.cpu !== null && b.cpu !== null ? `, CPU ${(a.cpu / b.cpu).toFixed(2)}` : '';
      console.log(`ratio ours / reference: wall ${(a.wall / b.wall).toFixed(2)}${cpuRatio} (<= 1.00: no slower)`);
    }
    profile();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
