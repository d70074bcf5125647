'use strict';
/**
 * `npm run soak` (after `npm run build`; not part of `npm test`): issue 8's soak test.
 *
 * Starts `node dist/main` on 127.0.0.1 (a scratch storage, ADMIN_TOKEN set, AUTO_HEAL=true,
 * MONITOR_INTERVAL_S=5) and runs SOAK_MINUTES of mixed traffic against it:
 *   - POST /predict and /predict/batch with rows of data/bank-additional-full.csv, in file order
 *     (May 2008 -> Nov 2010), so the inputs drift the way the real campaign did;
 *   - POST /feedback/batch with those rows' real outcomes, so healing has labels and real drift;
 *   - GET /monitoring/drift, /monitoring/performance, /monitoring/status;
 *   - now and then POST /monitoring/heal, POST /models/:v/promote and POST /models/rollback.
 * Every 10 s it samples the server's RSS. At the end it stops the server (SIGTERM: it drains and
 * flushes its logs) and reports RSS growth (first minute vs last minute), error and 5xx counts,
 * and inference.log lines vs 2xx prediction rows (which must be equal); writes
 * bench/soak-results.json, prints a table, and exits 1 on any 5xx, a log mismatch, a transport
 * error or a server that died.
 *
 * Knobs (environment): SOAK_MINUTES (10), SOAK_CONCURRENCY (4 client loops), SOAK_PAUSE_MS
 * (10 ms between one loop's requests), SOAK_BATCH_ROWS (max rows per /predict/batch, 50),
 * SOAK_SAMPLE_S (RSS sampling period, 10), SOAK_START_TIMEOUT (60 s), SOAK_KEEP_TMP=1 (keep the
 * scratch storage and the server's output for a look afterwards), SOAK_RESULTS (another results
 * file than bench/soak-results.json), BENCH_NODE (the server and the CLI on another node binary).
 *
 * Helpers (server start, child-process tracking, HTTP client, CSV reader, table) are bench/common.js's.
 */
const { spawnSync } = require('node:child_process');
const { table, envNumber, request, createJanitor, benchNode, startServer, loadCsvRows } = require('./common');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const RESULTS_FILE = process.env.SOAK_RESULTS ? path.resolve(process.env.SOAK_RESULTS) : path.join(__dirname, 'soak-results.json');
const SMALL_DATA = 'data/bank-additional.csv';
const FULL_DATA = 'data/bank-additional-full.csv';
const ADMIN_TOKEN = 'soak-admin-token-0123456789';

// ---------------------------------------------------------------------------------------------
// Settings

function loadSettings() {
  return {
    minutes: envNumber('SOAK_MINUTES', 10, 0.1),
    concurrency: Math.round(envNumber('SOAK_CONCURRENCY', 4, 1)),
    pauseMs: envNumber('SOAK_PAUSE_MS', 10, 0),
    batchRows: Math.round(envNumber('SOAK_BATCH_ROWS', 50, 1)),
    sampleS: envNumber('SOAK_SAMPLE_S', 10, 1),
    startTimeoutS: envNumber('SOAK_START_TIMEOUT', 60, 1),
    keepTmp: ['1', 'true', 'yes'].includes((process.env.SOAK_KEEP_TMP ?? '').toLowerCase()),
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes and scratch folders: everything started here is stopped here (as bench/run.js)

const janitor = createJanitor('soak', 15_000);
const { stopChild, keepTmp: setKeepTmp } = janitor;

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, digits = 2) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const mean = (xs) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function log(message) {
  process.stdout.write(`${message}\n`);
}

function readVmRss(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Data: rows of a bank-marketing CSV as /predict bodies plus their outcome

const loadRows = (file) => loadCsvRows(file);

/** The categories v1 learns (from the small file): rows with others would be 400s, not load. */
function knownCategories(rows) {
  const known = {};
  for (const { features } of rows) {
    for (const [name, value] of Object.entries(features)) {
      if (typeof value !== 'string') continue;
      (known[name] ??= new Set()).add(value);
    }
  }
  return known;
}

// ---------------------------------------------------------------------------------------------
// The server

function startSoakServer(settings) {
  return startServer(janitor, {
    label: 'soak',
    startTimeoutS: settings.startTimeoutS,
    env: {
      ADMIN_TOKEN,
      AUTO_HEAL: 'true',
      MONITOR_INTERVAL_S: '5',
      // Rotation is exercised (64 MiB files) but never deletes a line the count needs.
      LOG_MAX_BYTES: String(64 * 1024 * 1024),
      LOG_KEEP: '1000',
    },
  });
}

/** inference.log and its rotated files: lines, and lines that are not JSON. */
function countLogLines(storage) {
  const dir = path.join(storage, 'logs');
  let lines = 0;
  let unreadable = 0;
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^inference\.log(\.\d+)?$/.test(f)) : [];
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (line.length === 0) continue;
      lines++;
      try {
        JSON.parse(line);
      } catch {
        unreadable++;
      }
    }
  }
  return { files, lines, unreadable };
}

/** Bytes under a folder (files only). */
function folderBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

/** "v1:active v2:rejected ..." -> "24 versions: 1 active, 23 rejected". */
function summariseVersions(versions) {
  const byStatus = {};
  for (const v of versions) {
    const status = v.split(':')[1];
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const active = versions.find((v) => v.endsWith(':active'))?.split(':')[0] ?? 'none';
  return `${versions.length} (${Object.entries(byStatus)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')}); active ${active}`;
}

/** Server log lines at pino level error (50) or fatal (60), and the first few of them. */
function serverErrors(logFile) {
  const found = [];
  let text;
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return { count: 0, first: [] };
  }
  for (const line of text.split('\n')) {
    let level;
    try {
      level = JSON.parse(line).level;
    } catch {
      if (line.trim()) found.push(line.slice(0, 300)); // not pino JSON: stderr of the process
      continue;
    }
    if (level >= 50) found.push(line.slice(0, 300));
  }
  return { count: found.length, first: found.slice(0, 5) };
}

// ---------------------------------------------------------------------------------------------
// Traffic

function newStats() {
  return { requests: 0, by_status: {}, transport_errors: 0, ms: [] };
}

class Traffic {
  constructor(port, rows, settings) {
    this.port = port;
    this.rows = rows;
    this.settings = settings;
    this.next = 0; // next CSV row to serve (in date order, wrapping round)
    this.pending = []; // served rows waiting for their outcome: {id, actual}
    this.stats = {};
    this.predictionRows2xx = 0;
    this.feedbackRecorded = 0;
    this.admin = { promoted: 0, rolled_back: 0, heal_outcomes: {} };
    this.promoteNext = false;
    this.transportErrors = [];
  }

  takeRows(n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(this.rows[this.next]);
      this.next = (this.next + 1) % this.rows.length;
    }
    return out;
  }

  async call(agent, name, method, urlPath, body, headers) {
    const s = (this.stats[name] ??= newStats());
    s.requests++;
    try {
      const res = await request(this.port, agent, method, urlPath, body, headers);
      s.by_status[res.status] = (s.by_status[res.status] ?? 0) + 1;
      s.ms.push(res.ms);
      if (res.status >= 500 && (s.first5xx ??= []).length < 3) s.first5xx.push(res.text.slice(0, 300));
      return res;
    } catch (err) {
      s.transport_errors++;
      if (this.transportErrors.length < 5) this.transportErrors.push(`${name}: ${err.message}`);
      return null;
    }
  }

  async predictOne(agent) {
    const [row] = this.takeRows(1);
    const res = await this.call(agent, 'POST /predict', 'POST', '/predict', row.features);
    if (res && res.status >= 200 && res.status < 300) {
      this.predictionRows2xx++;
      this.pending.push({ id: res.json.request_id, actual: row.actual });
    }
  }

  async predictBatch(agent) {
    const rows = this.takeRows(1 + Math.floor(Math.random() * this.settings.batchRows));
    const res = await this.call(agent, 'POST /predict/batch', 'POST', '/predict/batch', { instances: rows.map((r) => r.features) });
    if (res && res.status >= 200 && res.status < 300) {
      this.predictionRows2xx += res.json.predictions.length;
      res.json.predictions.forEach((p, i) => this.pending.push({ id: p.request_id, actual: rows[i].actual }));
    }
  }

  async feedback(agent) {
    // Outcomes arrive late and in bulk, like a campaign's results.
    if (this.pending.length < 20) return;
    const items = this.pending.splice(0, Math.min(this.pending.length, 500)).map(({ id, actual }) => ({ request_id: id, actual }));
    const res = await this.call(agent, 'POST /feedback/batch', 'POST', '/feedback/batch', { items });
    if (res && res.status === 200) this.feedbackRecorded += res.json.recorded;
  }

  async monitoring(agent) {
    const which = ['/monitoring/drift', '/monitoring/performance', '/monitoring/status'][Math.floor(Math.random() * 3)];
    await this.call(agent, `GET ${which}`, 'GET', which);
  }

  async heal(agent) {
    const res = await this.call(agent, 'POST /monitoring/heal', 'POST', '/monitoring/heal', undefined, {
      Authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    if (res && res.status === 200) this.admin.heal_outcomes[res.json.action] = (this.admin.heal_outcomes[res.json.action] ?? 0) + 1;
  }

  /** Promote a version that is neither active nor rejected, or roll back, in turn. */
  async promoteOrRollback(agent) {
    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    const list = await this.call(agent, 'GET /models', 'GET', '/models');
    const candidates = (list?.json ?? []).filter((v) => v.status === 'archived' || v.status === 'previous');
    this.promoteNext = !this.promoteNext; // alternate: promote, then roll it back
    if (candidates.length > 0 && this.promoteNext) {
      const pick = candidates[Math.floor(Math.random() * candidates.length)].version;
      const res = await this.call(agent, 'POST /models/:v/promote', 'POST', `/models/${pick}/promote`, undefined, auth);
      if (res?.status === 200) this.admin.promoted++;
    } else {
      const res = await this.call(agent, 'POST /models/rollback', 'POST', '/models/rollback', undefined, auth);
      if (res?.status === 200) this.admin.rolled_back++;
    }
  }

  /** One client loop: a weighted mix of everything, until `deadline`. */
  async loop(deadline, index) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const actions = [
      [40, () => this.predictOne(agent)],
      [20, () => this.predictBatch(agent)],
      [10, () => this.feedback(agent)],
      [12, () => this.monitoring(agent)],
    ];
    const total = actions.reduce((a, [w]) => a + w, 0);
    let lastAdmin = Date.now();
    let adminTicks = 0;
    while (Date.now() < deadline) {
      // Loop 0 also does the admin work: a heal every 15 s, a promote or rollback every 30 s.
      if (index === 0 && Date.now() - lastAdmin > 15_000) {
        lastAdmin = Date.now();
        await this.heal(agent);
        if (adminTicks++ % 2 === 1) await this.promoteOrRollback(agent);
      }
      let r = Math.random() * total;
      for (const [w, act] of actions) {
        r -= w;
        if (r <= 0) {
          await act();
          break;
        }
      }
      if (this.settings.pauseMs > 0) await sleep(this.settings.pauseMs);
    }
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

function summariseEndpoint(s) {
  const sorted = [...s.ms].sort((a, b) => a - b);
  const count = (pred) => Object.entries(s.by_status).reduce((a, [k, v]) => a + (pred(Number(k)) ? v : 0), 0);
  return {
    requests: s.requests,
    by_status: s.by_status,
    ok_2xx: count((c) => c >= 200 && c < 300),
    client_4xx: count((c) => c >= 400 && c < 500),
    server_5xx: count((c) => c >= 500),
    transport_errors: s.transport_errors,
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    max_ms: round(sorted[sorted.length - 1] ?? null, 2),
    first_5xx: s.first5xx ?? [],
  };
}

async function main() {
  const settings = loadSettings();
  setKeepTmp(settings.keepTmp);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first');
  const known = knownCategories(loadRows(SMALL_DATA));
  const all = loadRows(FULL_DATA);
  const rows = all.filter(({ features }) => Object.entries(features).every(([k, v]) => typeof v !== 'string' || known[k].has(v)));
  log(
    `soak: ${settings.minutes} min, ${settings.concurrency} client loops, ${rows.length} of ${all.length} rows of ${FULL_DATA} (categories v1 knows)`,
  );

  const server = await startSoakServer(settings);
  log(`  server pid ${server.child.pid} on 127.0.0.1:${server.port}, healthy after ${server.msToHealthy} ms; storage ${server.storage}`);
  let died = null;
  let stopping = false;
  server.child.once('exit', (code, signal) => {
    if (!stopping) died = { code, signal };
  });
  const traffic = new Traffic(server.port, rows, settings);
  // A second version, not activated, so promote and rollback have something to work with.
  const v2 = spawnSync(benchNode().path, ['dist/cli', 'train', '--seed', '7', '--no-activate', '--storage', server.storage], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  });
  if (v2.status !== 0) throw new Error(`node dist/cli train --no-activate failed: ${v2.stderr}`);
  log(`  ${v2.stdout.split('\n')[0]}`);

  const started = Date.now();
  const deadline = started + settings.minutes * 60_000;
  const rss = [];
  const sample = () => rss.push({ t_s: round((Date.now() - started) / 1000, 1), rss_kib: readVmRss(server.child.pid) });
  sample();
  const sampler = setInterval(() => {
    sample();
    const last = rss[rss.length - 1];
    const done = traffic.predictionRows2xx;
    log(`  t=${String(Math.round(last.t_s)).padStart(4)} s  RSS ${(last.rss_kib / 1024).toFixed(1)} MiB  prediction rows served ${done}`);
  }, settings.sampleS * 1000);

  await Promise.all(Array.from({ length: settings.concurrency }, (_, i) => traffic.loop(deadline, i)));
  clearInterval(sampler);
  sample();

  // Outcomes still pending are sent, so the end state is complete.
  const tailAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  while (traffic.pending.length >= 20) await traffic.feedback(tailAgent);
  const finalStatus = await traffic.call(tailAgent, 'GET /monitoring/status', 'GET', '/monitoring/status');
  const models = await traffic.call(tailAgent, 'GET /models', 'GET', '/models');
  const events = await traffic.call(tailAgent, 'GET /models/events', 'GET', '/models/events?limit=10000');
  tailAgent.destroy();

  stopping = true;
  const stop = await stopChild(server.child);
  const logLines = countLogLines(server.storage);
  const storageBytes = folderBytes(server.storage);
  const errorsInServerLog = serverErrors(server.logFile);

  // RSS growth: mean of the first minute's samples vs the last minute's.
  const elapsedS = (Date.now() - started) / 1000;
  const firstMinute = rss.filter((s) => s.t_s <= 60).map((s) => s.rss_kib);
  const lastMinute = rss.filter((s) => s.t_s >= Math.max(elapsedS - 60, 60)).map((s) => s.rss_kib);
  const firstMiB = mean(firstMinute) / 1024;
  const lastMiB = mean(lastMinute.length ? lastMinute : firstMinute) / 1024;

  const endpoints = Object.fromEntries(Object.entries(traffic.stats).map(([k, s]) => [k, summariseEndpoint(s)]));
  const total5xx = Object.values(endpoints).reduce((a, e) => a + e.server_5xx, 0);
  const totalTransport = Object.values(endpoints).reduce((a, e) => a + e.transport_errors, 0);
  const totalRequests = Object.values(endpoints).reduce((a, e) => a + e.requests, 0);
  const eventCounts = {};
  for (const e of events?.json ?? []) eventCounts[e.type] = (eventCounts[e.type] ?? 0) + 1;

  const checks = {
    no_5xx: total5xx === 0,
    no_transport_errors: totalTransport === 0,
    log_lines_equal_2xx_prediction_rows: logLines.lines === traffic.predictionRows2xx && logLines.unreadable === 0,
    server_alive_until_stopped: died === null,
    clean_shutdown: stop.code === 0 && !stop.forced,
  };
  const results = {
    generated_at: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? null,
      node: process.version,
      server_node: benchNode().version,
      load_average_at_end: os.loadavg().map((x) => round(x, 2)),
    },
    settings,
    duration_s: round(elapsedS, 1),
    requests_total: totalRequests,
    requests_per_s: round(totalRequests / elapsedS, 1),
    endpoints,
    predictions: {
      rows_2xx: traffic.predictionRows2xx,
      inference_log_lines: logLines.lines,
      inference_log_files: logLines.files,
      unreadable_log_lines: logLines.unreadable,
      feedback_recorded: traffic.feedbackRecorded,
    },
    rss: {
      samples: rss,
      first_minute_mib: round(firstMiB, 1),
      last_minute_mib: round(lastMiB, 1),
      growth_mib: round(lastMiB - firstMiB, 1),
      growth_pct: round(((lastMiB - firstMiB) / firstMiB) * 100, 1),
      max_mib: round(Math.max(...rss.map((s) => s.rss_kib ?? 0)) / 1024, 1),
    },
    storage: { mib: round(storageBytes / 2 ** 20, 1), versions: (models?.json ?? []).length },
    healing: {
      admin_promoted: traffic.admin.promoted,
      admin_rolled_back: traffic.admin.rolled_back,
      heal_outcomes_via_api: traffic.admin.heal_outcomes,
      audit_events: eventCounts,
      heal_failed_reasons: [...new Set((events?.json ?? []).filter((e) => e.type === 'heal_failed').map((e) => e.reason))].slice(0, 5),
      final_status: finalStatus?.json?.status ?? null,
      versions: (models?.json ?? []).map((v) => `${v.version}:${v.status}`),
    },
    server: { exit: stop, died_during_soak: died, error_lines_in_log: errorsInServerLog.count, first_error_lines: errorsInServerLog.first },
    transport_errors_first: traffic.transportErrors,
    checks,
    pass: Object.values(checks).every(Boolean),
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);

  log('');
  log(
    table(
      ['endpoint', 'requests', '2xx', '4xx', '5xx', 'transport err', 'p50 ms', 'p99 ms', 'max ms'],
      Object.entries(endpoints)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, e]) => [
          k,
          e.requests,
          e.ok_2xx,
          e.client_4xx,
          e.server_5xx,
          e.transport_errors,
          e.p50_ms ?? '-',
          e.p99_ms ?? '-',
          e.max_ms ?? '-',
        ]),
    ),
  );
  log('');
  const verdict = (ok) => (ok ? 'ok' : 'FAIL');
  log(
    table(
      ['figure', 'value', 'check'],
      [
        ['duration', `${results.duration_s} s, ${results.requests_per_s} req/s`, ''],
        ['RSS first minute (mean)', `${results.rss.first_minute_mib} MiB`, ''],
        ['RSS last minute (mean)', `${results.rss.last_minute_mib} MiB`, ''],
        ['RSS growth', `${results.rss.growth_mib} MiB (${results.rss.growth_pct}%)`, ''],
        ['RSS max', `${results.rss.max_mib} MiB`, ''],
        ['5xx responses', total5xx, verdict(checks.no_5xx)],
        ['transport errors', totalTransport, verdict(checks.no_transport_errors)],
        ['prediction rows answered 2xx', traffic.predictionRows2xx, ''],
        [
          'inference.log lines',
          `${logLines.lines} (${logLines.unreadable} unreadable)`,
          verdict(checks.log_lines_equal_2xx_prediction_rows),
        ],
        ['feedback recorded', traffic.feedbackRecorded, ''],
        ['promotions / rollbacks (admin API)', `${traffic.admin.promoted} / ${traffic.admin.rolled_back}`, ''],
        ['heal outcomes (API)', JSON.stringify(traffic.admin.heal_outcomes), ''],
        ['audit events', JSON.stringify(eventCounts), ''],
        ['versions at the end', summariseVersions(results.healing.versions), ''],
        ['storage folder at the end', `${results.storage.mib} MiB`, ''],
        ['server error lines in its log', errorsInServerLog.count, ''],
        ['server alive until stopped', died ? JSON.stringify(died) : 'yes', verdict(checks.server_alive_until_stopped)],
        ['shutdown', `exit ${stop.code}${stop.forced ? ' (SIGKILL)' : ''}`, verdict(checks.clean_shutdown)],
      ],
    ),
  );
  log(`\nresults written to ${path.relative(ROOT, RESULTS_FILE)}; ${results.pass ? 'PASS' : 'FAIL'}`);
  if (settings.keepTmp) log(`scratch storage kept: ${server.storage}`);
  if (!results.pass) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`\nsoak failed: ${err.stack || err.message}\n`);
  process.exitCode = 1;
});
