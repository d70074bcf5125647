'use strict';
/** Helpers shared by bench/run.js and bench/soak.js. */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');

/** One line of `;`-separated, `"`-quoted CSV -> [{value, quoted}]. */
function parseCsvLine(line) {
  const fields = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in: ${line}`);
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push({ value, quoted: true });
    } else {
      const end = line.indexOf(';', i);
      fields.push({ value: line.slice(i, end < 0 ? line.length : end), quoted: false });
      i = end < 0 ? line.length : end;
    }
    if (i >= line.length) break;
    if (line[i] !== ';') throw new Error(`expected ';' at ${i} in: ${line}`);
    i++;
  }
  return fields;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function alive(child) {
  return child.exitCode === null && child.signalCode === null;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c).padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function envNumber(name, fallback, min = 0) {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number >= ${min} (got '${text}')`);
  return value;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}

/** One HTTP request to 127.0.0.1 -> {status, text, json (or null), ms}; rejects on a transport error or no answer. */
function request(port, agent, method, urlPath, body, headers = {}, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          ...headers,
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, text, json, ms });
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${urlPath}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/**
 * Everything a bench script starts is stopped by it: child processes (SIGTERM, then SIGKILL after
 * a grace period) and scratch folders, also on exit and on Ctrl-C or SIGTERM.
 */
function createJanitor(label, defaultGraceMs) {
  const children = new Set();
  const tmpDirs = new Set();
  let keepTmp = false;

  function track(child) {
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  /** SIGTERM, then SIGKILL if the child is still there after `graceMs`. Resolves with how it ended. */
  function stopChild(child, graceMs = defaultGraceMs) {
    if (!child || !alive(child)) {
      return Promise.resolve({ code: child?.exitCode ?? null, signal: child?.signalCode ?? null, forced: false });
    }
    return new Promise((resolve) => {
      let forced = false;
      const timer = setTimeout(() => {
        if (alive(child)) {
          forced = true;
          child.kill('SIGKILL');
        }
      }, graceMs);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, forced });
      });
      child.kill('SIGTERM');
    });
  }

  /** Synchronous last resort, for process 'exit' and signals. */
  function killAllNow() {
    for (const child of children) {
      if (alive(child)) {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (!keepTmp) for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  }

  function makeTmpDir(prefix) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tmpDirs.add(dir);
    return dir;
  }

  function removeTmpDir(dir) {
    if (keepTmp) return;
    fs.rmSync(dir, { recursive: true, force: true });
    tmpDirs.delete(dir);
  }

  process.on('exit', killAllNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\n${label}: ${signal}, stopping child processes\n`);
      killAllNow();
      process.exit(130);
    });
  }

  return {
    children,
    track,
    stopChild,
    killAllNow,
    makeTmpDir,
    removeTmpDir,
    keepTmp: (keep) => (keepTmp = keep),
  };
}

/**
 * The node flags `npm start` runs the server with (package.json's start script, `node [flags]
 * dist/main`), so the benchmarks measure the server users run.
 */
function serverNodeFlags() {
  const start = require('../package.json').scripts.start.trim();
  const match = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/main$/.exec(start);
  if (!match) throw new Error(`package.json's start script is not "node [--flags] dist/main": ${start}`);
  return match[1].trim().split(/\s+/).filter(Boolean);
}

const ROOT = path.resolve(__dirname, '..');

let measuredNode = null;

/**
 * The node the measured processes run on (the server, the ceiling, the CLI): BENCH_NODE (a path to
 * a node binary, e.g. Node 24 while the bench itself runs on Node 20), or the node running the bench.
 * The load generator always runs in the bench's own process. -> {path, version}
 */
function benchNode() {
  if (measuredNode) return measuredNode;
  const wanted = (process.env.BENCH_NODE ?? '').trim();
  if (wanted === '') return (measuredNode = { path: process.execPath, version: process.version });
  const file = path.resolve(wanted);
  const probe = spawnSync(file, ['-p', 'process.version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0 || !/^v\d+\./.test(probe.stdout.trim())) {
    throw new Error(
      `BENCH_NODE=${wanted}: not a node binary that runs (${probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`)})`,
    );
  }
  return (measuredNode = { path: file, version: probe.stdout.trim() });
}

/**
 * The first `count` data rows of a bank-marketing CSV (all by default) as /predict bodies (the
 * 19 fields, numbers as numbers) with their outcome: [{features, actual: 'yes' | 'no'}].
 */
function loadCsvRows(file, count = Number.POSITIVE_INFINITY) {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split(/\r?\n/);
  const header = parseCsvLine(lines[0]).map((f) => f.value.replace(/\./g, '_'));
  const rows = [];
  for (let n = 1; n < lines.length && rows.length < count; n++) {
    if (lines[n].trim() === '') continue;
    const fields = parseCsvLine(lines[n]);
    if (fields.length !== header.length) throw new Error(`${file}:${n + 1}: ${fields.length} fields, expected ${header.length}`);
    const features = {};
    let actual = null;
    header.forEach((name, i) => {
      const { value, quoted } = fields[i];
      if (name === 'duration') return;
      if (name === 'y') {
        actual = value;
        return;
      }
      if (quoted) features[name] = value;
      else {
        const x = Number(value);
        if (value === '' || !Number.isFinite(x)) throw new Error(`${file}:${n + 1}: ${name} is not a number: '${value}'`);
        features[name] = x;
      }
    });
    rows.push({ features, actual });
  }
  if (Number.isFinite(count) && rows.length < count) throw new Error(`${file} has only ${rows.length} rows, wanted ${count}`);
  return rows;
}

/**
 * Starts the real server as `npm start` does, on benchNode(), on a free port of 127.0.0.1 with a
 * scratch storage folder that trains v1 from data/bank-additional.csv, and waits until /health
 * answers 200.
 * `env` adds to or overrides that environment; `nodeArgs` come before the start script's flags.
 * Its output goes to <storage>/server-output.log, whose tail is in every error.
 */
async function startServer(janitor, { label, env = {}, nodeArgs = [], startTimeoutS, timeoutHint = '' }) {
  const storage = janitor.makeTmpDir(`${label}-storage-`);
  const port = await freePort();
  const logFile = path.join(storage, 'server-output.log');
  const out = fs.openSync(logFile, 'a');
  // The store is the caller's choice (env), never an inherited DATABASE_URL: the bench's own
  // DATABASE_URL names the server it makes scratch databases on, and a "files" run that inherited
  // it would measure PostgreSQL.
  const { DATABASE_URL: _inherited, ...inheritedEnv } = process.env;
  const serverEnv = {
    ...inheritedEnv,
    PORT: String(port),
    HOST: '127.0.0.1',
    STORAGE_DIR: storage,
    DATA_FILE: 'data/bank-additional.csv',
    LOG_LEVEL: 'info',
    AUTO_TRAIN: 'true',
    ...env,
  };
  const started = Date.now();
  const args = [...nodeArgs, ...serverNodeFlags(), 'dist/main'];
  const child = janitor.track(spawn(benchNode().path, args, { cwd: ROOT, env: serverEnv, stdio: ['ignore', out, out] }));
  fs.closeSync(out);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = started + startTimeoutS * 1000;
  let lastProblem;
  try {
    for (;;) {
      if (!alive(child)) {
        throw new Error(
          `the server exited before it was healthy (code ${child.exitCode}, signal ${child.signalCode}); its output:\n${tail(logFile)}`,
        );
      }
      try {
        const health = await request(port, agent, 'GET', '/health', undefined, {}, 2000);
        if (health.status === 200) break;
        lastProblem = `GET /health answered ${health.status}: ${health.text.slice(0, 300)}`;
      } catch (err) {
        lastProblem = err.message;
      }
      if (Date.now() > deadline) {
        await janitor.stopChild(child);
        throw new Error(
          `the server was not healthy within ${startTimeoutS} s${timeoutHint}; last: ${lastProblem}; its output:\n${tail(logFile)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    agent.destroy();
  }
  return { child, port, storage, logFile, msToHealthy: Date.now() - started };
}

module.exports = {
  parseCsvLine,
  freePort,
  alive,
  table,
  envNumber,
  tail,
  request,
  createJanitor,
  serverNodeFlags,
  benchNode,
  startServer,
  loadCsvRows,
};
