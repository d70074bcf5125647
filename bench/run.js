'use strict';
/**
 * `npm run bench` (after `npm run build`): load and timing figures of the real service, next to a
 * bare node:http ceiling, printed as a table and written to bench/results.json.
 *
 *   1. ceiling        bench/ceiling-server.js, 32 connections
 *   2. /predict       the seed's example body and a mix of 100 rows, at 1 and 32 connections
 *   3. /predict/batch 1,000 rows per request (skipped when the endpoint answers 404)
 *   4. drift          GET /monitoring/drift?window=1000 and 10000 after the load
 *   5. server memory  VmRSS and VmHWM of the server after the load
 *   6. training       `node dist/cli train` as a whole process, small and full file
 *
 * The ceiling, the server and the CLI run on BENCH_NODE when it is set (another node binary), else
 * on the node running this script; autocannon, the load generator, always runs here.
 * All traffic goes to 127.0.0.1. Every child process is stopped on the way out, error or not.
 * Knobs (environment): see bench/README.md.
 */
const autocannon = require('autocannon');
const {
  alive,
  table,
  envNumber,
  tail,
  request: httpRequest,
  createJanitor,
  serverNodeFlags,
  benchNode,
  startServer,
  loadCsvRows,
} = require('./common');
const { spawn, fork, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { summarizeProfile, formatSummary } = require('./profile-summary');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(__dirname, 'results.json');
const SMALL_DATA = 'data/bank-additional.csv';
const FULL_DATA = 'data/bank-additional-full.csv';

// ---------------------------------------------------------------------------------------------
// Settings

const SECTIONS = ['ceiling', 'predict', 'batch', 'drift', 'train'];

function loadSettings() {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`BENCH_ONLY: unknown section '${s}' (known: ${SECTIONS.join(', ')})`);
  return {
    duration: envNumber('BENCH_DURATION', 10, 1),
    warmup: envNumber('BENCH_WARMUP', 2, 0),
    connections: envNumber('BENCH_CONNECTIONS', 32, 1),
    batchConnections: envNumber('BENCH_BATCH_CONNECTIONS', 4, 1),
    batchRows: envNumber('BENCH_BATCH_ROWS', 1000, 1),
    trainRuns: envNumber('BENCH_TRAIN_RUNS', 5, 1),
    driftCalls: envNumber('BENCH_DRIFT_CALLS', 20, 1),
    startTimeoutS: envNumber('BENCH_START_TIMEOUT', 60, 1),
    cpuProfDir: process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : null,
    strict: ['1', 'true', 'yes'].includes((process.env.BENCH_STRICT ?? '').toLowerCase()),
    keepTmp: ['1', 'true', 'yes'].includes((process.env.BENCH_KEEP_TMP ?? '').toLowerCase()),
    sections: only.length ? only : SECTIONS,
    stores: loadStores(),
  };
}

/** BENCH_STORES: the stores the server sections run on, side by side (files, postgres); default files. */
function loadStores() {
  const stores = (process.env.BENCH_STORES ?? 'files')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of stores)
    if (!['files', 'postgres'].includes(s)) throw new Error(`BENCH_STORES: unknown store '${s}' (known: files, postgres)`);
  if (stores.includes('postgres') && !process.env.DATABASE_URL) {
    throw new Error('BENCH_STORES=postgres needs DATABASE_URL (a server where the bench may create and drop a database of its own)');
  }
  return stores.length ? stores : ['files'];
}

/**
 * A scratch database for the postgres store: CREATE DATABASE bench_<random> on DATABASE_URL's
 * server, dropped afterwards.
 */
async function scratchDatabase() {
  const { Client } = require('pg');
  const base = new URL(process.env.DATABASE_URL);
  const name = `bench_${require('node:crypto').randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes and scratch folders: everything started here is stopped here

const janitor = createJanitor('bench', 5000);
const { children, track, stopChild, killAllNow, makeTmpDir, removeTmpDir, keepTmp: setKeepTmp } = janitor;

// ---------------------------------------------------------------------------------------------
// Small helpers

function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile of a sorted array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

const round = (x, digits = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function fmtInt(x) {
  return x === null || x === undefined ? '-' : Math.round(x).toLocaleString('en-US');
}

function fmtMs(x) {
  if (x === null || x === undefined) return '-';
  return x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(1)} ms`;
}

function log(message) {
  process.stdout.write(`${message}\n`);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One request on the shared keep-alive agent. */
function request(port, method, urlPath, body, timeoutMs = 30_000) {
  return httpRequest(port, agent, method, urlPath, body, {}, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// Data: the seed's example body and rows of the CSV as /predict bodies

// The first client of data/bank-additional.csv as a request, from the build the bench measures.
const SEED_BODY = { ...require(path.join(__dirname, '..', 'dist', 'data', 'testing', 'bank-schema')).EXAMPLE_CLIENT };

/** The first `count` data rows of a bank-marketing CSV as /predict bodies. */
function loadBodies(file, count) {
  return loadCsvRows(file, count).map((row) => row.features);
}

// ---------------------------------------------------------------------------------------------
// Load generation

/**
 * autocannon against POST url with one body or a rotation of bodies (each connection cycles through
 * the `requests` array). Latency percentiles are computed from every response's own time (float ms):
 * autocannon's histogram keeps whole milliseconds only.
 */
async function load({ port, urlPath, bodies, connections, duration, title }) {
  const opts = {
    url: `http://127.0.0.1:${port}${urlPath}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration,
    title,
    timeout: 10,
  };
  const encoded = bodies.map((b) => (typeof b === 'string' ? b : JSON.stringify(b)));
  if (encoded.length === 1) opts.body = encoded[0];
  else opts.requests = encoded.map((body) => ({ body }));
  const latencies = [];
  const instance = autocannon(opts);
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    title,
    path: urlPath,
    bodies: encoded.length,
    connections,
    duration_s: result.duration,
    requests_total: completed,
    ok_total: result['2xx'],
    req_per_s: round(completed / result.duration, 1),
    req_per_s_autocannon_avg: round(result.requests.average, 1),
    latency_ms: {
      mean: round(latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1), 3),
      p50: round(percentile(latencies, 50), 3),
      p97_5: round(percentile(latencies, 97.5), 3),
      p99: round(percentile(latencies, 99), 3),
      max: round(latencies[latencies.length - 1] ?? null, 3),
    },
    latency_ms_autocannon_whole_ms: { p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    status_codes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

// ---------------------------------------------------------------------------------------------
// Sections

async function benchCeiling(settings) {
  const child = track(
    fork(path.join(__dirname, 'ceiling-server.js'), [], {
      cwd: ROOT,
      execPath: benchNode().path,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('ceiling server did not report its port within 10 s')), 10_000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve(m.port);
      });
      child.once('exit', (code) => reject(new Error(`ceiling server exited early (code ${code})`)));
    });
    const probe = await request(port, 'POST', '/predict', SEED_BODY);
    if (probe.status !== 200) throw new Error(`ceiling server answered ${probe.status}: ${probe.text}`);
    const common = { port, urlPath: '/predict', bodies: [SEED_BODY], connections: settings.connections };
    if (settings.warmup > 0) await load({ ...common, duration: settings.warmup, title: 'ceiling warm-up' });
    log(`  ceiling: ${settings.connections} connections, ${settings.duration} s ...`);
    return await load({ ...common, duration: settings.duration, title: 'ceiling' });
  } finally {
    await stopChild(child);
  }
}

/** The real server, as npm start runs it (under the CPU profiler with BENCH_CPU_PROF). */
function startBenchServer(settings, env = {}) {
  const nodeArgs = [];
  if (settings.cpuProfDir) {
    fs.mkdirSync(settings.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${settings.cpuProfDir}`, '-r', path.join(__dirname, 'exit-on-signal.js'));
  }
  return startServer(janitor, {
    label: 'bench',
    env,
    nodeArgs,
    startTimeoutS: settings.startTimeoutS,
    timeoutHint: ' (BENCH_START_TIMEOUT)',
  });
}

async function benchPredict(settings, server) {
  const mix = loadBodies(SMALL_DATA, 100);
  const first = JSON.stringify(mix[0]);
  if (first !== JSON.stringify(SEED_BODY)) {
    log(`  note: the first CSV row differs from the seed body: ${first}`);
  }
  // Every body must be valid, or the load figures would be measuring 400s.
  const probe = await request(server.port, 'POST', '/predict', SEED_BODY);
  if (probe.status !== 200) throw new Error(`POST /predict with the seed body answered ${probe.status}: ${probe.text}`);
  log(`  POST /predict (seed body) -> ${probe.text}`);
  const rejected = [];
  for (let i = 0; i < mix.length; i++) {
    const r = await request(server.port, 'POST', '/predict', mix[i]);
    if (r.status !== 200) rejected.push({ row: i + 1, status: r.status, message: r.text.slice(0, 300) });
  }
  if (rejected.length) log(`  warning: ${rejected.length} of the 100 mix bodies are rejected, e.g. ${JSON.stringify(rejected[0])}`);

  if (settings.warmup > 0) {
    await load({
      port: server.port,
      urlPath: '/predict',
      bodies: mix,
      connections: settings.connections,
      duration: settings.warmup,
      title: 'warm-up',
    });
  }
  const runs = [];
  for (const [label, bodies] of [
    ['seed body', [SEED_BODY]],
    ['mix of 100', mix],
  ]) {
    for (const connections of [1, settings.connections]) {
      log(`  /predict ${label}: ${connections} connection(s), ${settings.duration} s ...`);
      const run = await load({
        port: server.port,
        urlPath: '/predict',
        bodies,
        connections,
        duration: settings.duration,
        title: `/predict ${label}`,
      });
      run.body = label;
      runs.push(run);
    }
  }
  return { mix_rejected_on_probe: rejected, runs };
}

async function benchBatch(settings, server) {
  // The small file's rows, repeated when BENCH_BATCH_ROWS asks for more than it has.
  const source = loadBodies(SMALL_DATA, Math.min(settings.batchRows, 4000));
  const rows = Array.from({ length: settings.batchRows }, (_, i) => source[i % source.length]);
  const probe = await request(server.port, 'POST', '/predict/batch', { instances: rows.slice(0, 2) });
  if (probe.status === 404) return { status: 'skipped', reason: 'POST /predict/batch answered 404 (not implemented yet)' };
  if (probe.status !== 200 && probe.status !== 201) {
    return { status: 'failed', reason: `POST /predict/batch with 2 rows answered ${probe.status}: ${probe.text.slice(0, 500)}` };
  }
  const body = JSON.stringify({ instances: rows });
  const full = await request(server.port, 'POST', '/predict/batch', body);
  const predictions = full.json?.predictions;
  if (full.status >= 300 || !Array.isArray(predictions) || predictions.length !== rows.length) {
    return {
      status: 'failed',
      reason: `POST /predict/batch with ${rows.length} rows answered ${full.status} with ${Array.isArray(predictions) ? predictions.length : 'no'} predictions: ${full.text.slice(0, 500)}`,
    };
  }
  const common = { port: server.port, urlPath: '/predict/batch', bodies: [body], connections: settings.batchConnections };
  if (settings.warmup > 0) await load({ ...common, duration: settings.warmup, title: 'batch warm-up' });
  log(`  /predict/batch: ${rows.length} rows per request, ${settings.batchConnections} connections, ${settings.duration} s ...`);
  const run = await load({ ...common, duration: settings.duration, title: '/predict/batch' });
  return {
    status: 'ok',
    rows_per_request: rows.length,
    body_bytes: Buffer.byteLength(body),
    single_request_ms: round(full.ms, 2),
    model_version: full.json.model_version ?? null,
    rows_per_s: round((run.ok_total * rows.length) / run.duration_s, 0),
    run,
  };
}

async function benchDrift(settings, server) {
  const windows = {};
  for (const window of [1000, 10000]) {
    const urlPath = `/monitoring/drift?window=${window}`;
    const roundTrips = [];
    const reported = [];
    const sizes = new Set();
    let verdict = null;
    for (let i = 0; i < settings.driftCalls; i++) {
      const r = await request(server.port, 'GET', urlPath);
      if (r.status !== 200) {
        windows[window] = { status: 'failed', reason: `GET ${urlPath} answered ${r.status}: ${r.text.slice(0, 300)}` };
        break;
      }
      roundTrips.push(r.ms);
      reported.push(r.json.duration_ms);
      sizes.add(r.json.window_size);
      verdict = r.json.verdict;
    }
    if (windows[window]) continue;
    windows[window] = {
      status: 'ok',
      calls: settings.driftCalls,
      window_size: [...sizes].join(', '),
      verdict,
      http_ms_median: round(median(roundTrips), 3),
      http_ms_max: round(Math.max(...roundTrips), 3),
      duration_ms_median: round(median(reported), 3),
      duration_ms_max: round(Math.max(...reported), 3),
    };
  }
  return windows;
}

function readProcStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => {
      const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { vm_rss_kib: kb('VmRSS'), vm_hwm_kib: kb('VmHWM') };
  } catch {
    return { vm_rss_kib: null, vm_hwm_kib: null, note: `/proc/${pid}/status not readable` };
  }
}

function timeCommand() {
  if (!fs.existsSync('/usr/bin/time')) return null;
  try {
    const out = path.join(makeTmpDir('bench-time-'), 'probe');
    execFileSync('/usr/bin/time', ['-o', out, '-f', '%e %M', 'true'], { stdio: 'ignore' });
    return /^\d+(\.\d+)? \d+$/.test(fs.readFileSync(out, 'utf8').trim()) ? '/usr/bin/time' : null;
  } catch {
    return null;
  }
}

/** One `node dist/cli train` in a fresh storage folder: {wall_s, peak_rss_mib}. */
async function trainOnce(dataFile, timeBin) {
  const storage = makeTmpDir('bench-train-');
  const timeOut = path.join(storage, 'time.out');
  const cli = ['dist/cli', 'train', '--storage', storage, '--data', dataFile];
  const [cmd, args] = timeBin
    ? [timeBin, ['-o', timeOut, '-f', '%e %M', benchNode().path, ...cli]]
    : [benchNode().path, ['-r', path.join(__dirname, 'max-rss-reporter.js'), ...cli]];
  const env = { ...process.env, STORAGE_DIR: storage, LOG_LEVEL: 'info' };
  const started = process.hrtime.bigint();
  const child = track(spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const code = await new Promise((resolve) => child.once('close', resolve));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`node ${cli.join(' ')} exited ${code}:\n${stderr || stdout}`);
  let rssKib;
  let timeWall = null;
  if (timeBin) {
    const [e, m] = fs.readFileSync(timeOut, 'utf8').trim().split(/\s+/);
    timeWall = Number(e);
    rssKib = Number(m);
  } else {
    const m = stderr.match(/BENCH_MAX_RSS_KB=(\d+)/);
    if (!m) throw new Error(`no BENCH_MAX_RSS_KB in the CLI's stderr:\n${stderr}`);
    rssKib = Number(m[1]);
  }
  const trained = stdout.match(/^trained (v\d+)/m)?.[1] ?? null;
  removeTmpDir(storage);
  return { wall_s: wall, time_wall_s: timeWall, peak_rss_mib: rssKib / 1024, version: trained };
}

async function benchTraining(settings) {
  const timeBin = timeCommand();
  const method = timeBin
    ? '/usr/bin/time -f "%e %M" (wall: hrtime around the spawn)'
    : 'node -r bench/max-rss-reporter.js (process.resourceUsage().maxRSS)';
  const out = { method, runs_per_file: settings.trainRuns, files: {} };
  for (const file of [SMALL_DATA, FULL_DATA]) {
    const runs = [];
    for (let i = 0; i < settings.trainRuns; i++) {
      runs.push(await trainOnce(file, timeBin));
    }
    out.files[file] = {
      wall_s_median: round(median(runs.map((r) => r.wall_s)), 3),
      peak_rss_mib_median: round(median(runs.map((r) => r.peak_rss_mib)), 1),
      wall_s_runs: runs.map((r) => round(r.wall_s, 3)),
      peak_rss_mib_runs: runs.map((r) => round(r.peak_rss_mib, 1)),
    };
    log(
      `  train ${file}: median ${out.files[file].wall_s_median} s, ${out.files[file].peak_rss_mib_median} MiB (${settings.trainRuns} runs)`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

function machineInfo() {
  const cpus = os.cpus();
  let commit = null;
  let dirty = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
  } catch {
    // not a git checkout
  }
  return {
    cpu_model: cpus[0]?.model ?? 'unknown',
    cpu_count: cpus.length,
    total_memory_bytes: os.totalmem(),
    total_memory_gib: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    measured_node: benchNode(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    load_average_at_start: os.loadavg().map((x) => round(x, 2)),
    git_commit: commit,
    git_dirty: dirty,
  };
}

function verdict(pass) {
  return pass === null ? 'n/a' : pass ? 'PASS' : 'MISS';
}

/** The stores side by side: /predict (mix, hot connections) against the ceiling, and batch rows/s. */
function addStoreComparison(results, add) {
  const ceiling = results.ceiling?.req_per_s ?? null;
  for (const [store, r] of Object.entries(results.stores)) {
    const hot = (r.predict?.runs ?? []).find((run) => run.body === 'mix of 100' && run.connections === results.settings.connections);
    if (hot) {
      const ratio = ceiling ? hot.req_per_s / ceiling : null;
      add(
        `[${store}] /predict mix, ${hot.connections} conn: req/s (ratio to ceiling)`,
        `${fmtInt(hot.req_per_s)}${ratio === null ? '' : ` (${ratio.toFixed(3)})`}`,
        store === 'postgres' ? '>= 0.20' : '-',
        store === 'postgres' && ratio !== null ? ratio >= 0.2 : null,
      );
    }
    if (r.batch?.status === 'ok') {
      add(
        `[${store}] /predict/batch rows/s (${r.batch.rows_per_request} rows, ${r.batch.run.connections} conn)`,
        fmtInt(r.batch.rows_per_s),
        store === 'postgres' ? '>= 100,000' : '-',
        store === 'postgres' ? r.batch.rows_per_s >= 100_000 : null,
      );
    }
  }
}

function buildSummary(results) {
  const rows = [];
  const add = (figure, value, target, pass) => rows.push({ figure, value, target, verdict: verdict(pass) });
  add('Node of the ceiling, the server and the CLI', results.machine.measured_node.version, '-', null);
  const ceiling = results.ceiling;
  if (ceiling) add(`ceiling req/s (${ceiling.connections} conn)`, fmtInt(ceiling.req_per_s), '-', null);
  const predict = results.predict?.runs ?? [];
  for (const run of predict) {
    const name = `/predict ${run.body}, ${run.connections} conn`;
    const hot = run.connections === results.settings.connections;
    add(`${name}: req/s`, fmtInt(run.req_per_s), hot ? '>= 5,000' : '-', hot ? run.req_per_s >= 5000 : null);
    if (hot && ceiling) {
      const ratio = run.req_per_s / ceiling.req_per_s;
      run.ratio_to_ceiling = round(ratio, 3);
      add(`${name}: ratio to ceiling`, ratio.toFixed(3), '>= 0.15', ratio >= 0.15);
    }
    add(`${name}: p50 / p97.5`, `${fmtMs(run.latency_ms.p50)} / ${fmtMs(run.latency_ms.p97_5)}`, '-', null);
    add(`${name}: p99`, fmtMs(run.latency_ms.p99), '< 20 ms', run.latency_ms.p99 < 20);
  }
  if (predict.length) {
    const errors = predict.reduce((a, r) => a + r.errors, 0);
    const non2xx = predict.reduce((a, r) => a + r.non2xx, 0);
    const timeouts = predict.reduce((a, r) => a + r.timeouts, 0);
    add('/predict errors / timeouts / non-2xx (all runs)', `${errors} / ${timeouts} / ${non2xx}`, '0', errors + non2xx + timeouts === 0);
  }
  const batch = results.batch;
  if (batch) {
    if (batch.status === 'ok') {
      add(
        `/predict/batch rows/s (${batch.rows_per_request} rows, ${batch.run.connections} conn)`,
        fmtInt(batch.rows_per_s),
        '>= 200,000',
        batch.rows_per_s >= 200_000,
      );
      add('/predict/batch p99 per request', fmtMs(batch.run.latency_ms.p99), '-', null);
      add('/predict/batch errors / non-2xx', `${batch.run.errors} / ${batch.run.non2xx}`, '0', batch.run.errors + batch.run.non2xx === 0);
    } else {
      add('/predict/batch rows/s', batch.status.toUpperCase(), '>= 200,000', batch.status === 'skipped' ? null : false);
    }
  }
  if (results.stores && Object.keys(results.stores).length > 1) addStoreComparison(results, add);
  const drift = results.drift;
  if (drift) {
    for (const [window, d] of Object.entries(drift)) {
      const target = window === '10000' ? '< 50 ms' : '-';
      if (d.status !== 'ok') {
        add(`drift window=${window}`, 'FAILED', target, false);
        continue;
      }
      const judge = (x) => (window === '10000' ? x < 50 : null);
      add(
        `drift window=${window} (n=${d.window_size}): duration_ms median`,
        fmtMs(d.duration_ms_median),
        target,
        judge(d.duration_ms_median),
      );
      add(`drift window=${window} (n=${d.window_size}): HTTP round trip median`, fmtMs(d.http_ms_median), target, judge(d.http_ms_median));
    }
  }
  const mem = results.server_memory;
  if (mem) {
    const mib = (kib) => (kib === null ? '-' : `${(kib / 1024).toFixed(1)} MiB`);
    add('server VmRSS after the load', mib(mem.vm_rss_kib), '-', null);
    add('server VmHWM (peak RSS)', mib(mem.vm_hwm_kib), '-', null);
  }
  if (results.server_start) add('server start to healthy (trains v1)', `${results.server_start.ms_to_healthy} ms`, '-', null);
  const training = results.training;
  if (training) {
    for (const [file, t] of Object.entries(training.files)) {
      const full = file === FULL_DATA;
      const base = path.basename(file);
      add(
        `train ${base}: wall (median of ${training.runs_per_file})`,
        `${t.wall_s_median.toFixed(3)} s`,
        full ? '< 1.5 s' : '-',
        full ? t.wall_s_median < 1.5 : null,
      );
      add(
        `train ${base}: peak RSS (median)`,
        `${t.peak_rss_mib_median.toFixed(1)} MiB`,
        full ? '< 300 MiB' : '-',
        full ? t.peak_rss_mib_median < 300 : null,
      );
    }
  }
  return rows;
}

function printDetails(results) {
  const runs = [results.ceiling, ...(results.predict?.runs ?? []), results.batch?.run].filter(Boolean);
  if (runs.length) {
    log('\nLoad runs (latency from every response, float ms):');
    log(
      table(
        ['run', 'conn', 's', 'requests', 'req/s', 'p50', 'p97.5', 'p99', 'max', 'errors', 'timeouts', 'non-2xx'],
        runs.map((r) => [
          r.title + (r.bodies > 1 ? ` (${r.bodies} bodies)` : ''),
          r.connections,
          r.duration_s,
          fmtInt(r.requests_total),
          fmtInt(r.req_per_s),
          fmtMs(r.latency_ms.p50),
          fmtMs(r.latency_ms.p97_5),
          fmtMs(r.latency_ms.p99),
          fmtMs(r.latency_ms.max),
          r.errors,
          r.timeouts,
          r.non2xx,
        ]),
      ),
    );
  }
}

/** The server's start-up log names its store: a run must measure the store it reports. */
function checkServerStore(server, store) {
  const onPostgres = fs.readFileSync(server.logFile, 'utf8').includes('shared store: PostgreSQL');
  if (onPostgres !== (store === 'postgres')) {
    throw new Error(
      `the server meant for the ${store} store started on ${onPostgres ? 'PostgreSQL' : 'files'}; its output:\n${tail(server.logFile)}`,
    );
  }
}

/** The server sections (predict, batch, drift, memory) on one store. */
async function benchServerSections(settings, want, store, database) {
  const results = {};
  const env = database ? { DATABASE_URL: database.url } : {};
  log(`\n[2] starting the server on the ${store} store (node ${[...serverNodeFlags(), 'dist/main'].join(' ')}, as npm start) ...`);
  const server = await startBenchServer(settings, env);
  log(`  healthy on 127.0.0.1:${server.port} after ${server.msToHealthy} ms (pid ${server.child.pid}, storage ${server.storage})`);
  checkServerStore(server, store);
  results.server_start = { ms_to_healthy: server.msToHealthy, pid: server.child.pid, node_flags: serverNodeFlags(), store };
  try {
    if (want('predict')) results.predict = await benchPredict(settings, server);
    if (want('batch')) {
      log(`\n[3] /predict/batch (${store})`);
      results.batch = await benchBatch(settings, server);
      if (results.batch.status !== 'ok') log(`  ${results.batch.status}: ${results.batch.reason}`);
    }
    if (want('drift')) {
      log(`\n[4] drift report timing (${store})`);
      results.drift = await benchDrift(settings, server);
    }
    results.server_memory = readProcStatus(server.child.pid);
    if (!alive(server.child)) throw new Error(`the server died during the bench; its output:\n${tail(server.logFile)}`);
  } finally {
    await stopChild(server.child, 10_000);
  }
  if (settings.cpuProfDir) {
    const profiles = fs
      .readdirSync(settings.cpuProfDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(settings.cpuProfDir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (profiles.length) {
      const summary = summarizeProfile(profiles[0], 10);
      results.cpu_profile = { file: profiles[0], ...summary };
      log(`\nCPU profile of the server (${profiles[0]}; figures above were taken under the profiler):`);
      log(formatSummary(summary));
    } else {
      log(`\nno .cpuprofile was written to ${settings.cpuProfDir}`);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const settings = loadSettings();
  setKeepTmp(settings.keepTmp);
  for (const entry of ['dist/main.js', 'dist/cli.js']) {
    if (!fs.existsSync(path.join(ROOT, entry))) throw new Error(`${entry} is missing: run \`npm run build\` first (npm run bench does)`);
  }
  const results = { machine: machineInfo(), settings, started_at: new Date().toISOString() };
  const m = results.machine;
  log(
    `bench: ${m.cpu_count} x ${m.cpu_model}, ${m.total_memory_gib} GiB, ${m.date}${m.git_commit ? `, ${m.git_commit}${m.git_dirty ? ' (dirty)' : ''}` : ''}`,
  );
  log(`       measured processes on Node ${m.measured_node.version} (${m.measured_node.path}); load generator on Node ${m.node}`);
  log(`       load average ${m.load_average_at_start.join(' ')} (other processes on this machine move the figures)`);
  log(`       ${settings.duration} s per load run, ${settings.warmup} s warm-up, sections: ${settings.sections.join(', ')}`);
  const want = (s) => settings.sections.includes(s);

  if (want('ceiling')) {
    log('\n[1] ceiling: bare node:http');
    results.ceiling = await benchCeiling(settings);
  }

  if (want('predict') || want('batch') || want('drift')) {
    results.stores = {};
    for (const store of settings.stores) {
      const database = store === 'postgres' ? await scratchDatabase() : null;
      try {
        results.stores[store] = await benchServerSections(settings, want, store, database);
      } finally {
        await database?.drop();
      }
    }
    // The first store's figures are the report's main ones (files, unless only postgres was asked).
    Object.assign(results, results.stores[settings.stores[0]]);
  }

  if (want('train')) {
    log('\n[5] training end to end (node dist/cli train)');
    results.training = await benchTraining(settings);
  }

  results.finished_at = new Date().toISOString();
  results.machine.load_average_at_end = os.loadavg().map((x) => round(x, 2));
  results.summary = buildSummary(results);
  printDetails(results);
  log('\nSummary:');
  log(
    table(
      ['figure', 'value', 'target', ''],
      results.summary.map((r) => [r.figure, r.value, r.target, r.verdict]),
    ),
  );
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  log(`\nwrote ${path.relative(ROOT, RESULTS_FILE)}`);
  const misses = results.summary.filter((r) => r.verdict === 'MISS').length;
  if (misses) log(`${misses} figure(s) miss their target`);
  if (settings.strict && misses) process.exitCode = 1;
}

main()
  .catch((err) => {
    process.stderr.write(`\nbench failed: ${err.message}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await Promise.all([...children].map((c) => stopChild(c, 3000)));
    agent.destroy();
    killAllNow();
  });
