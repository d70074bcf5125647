'use strict';
/**
 * /predict latency under a storm of large drift reports (issue 15: fifty concurrent 50,000-row
 * reports starved /predict). Starts the real server, serves 50,000 predictions, then probes
 * POST /predict one at a time for `seconds` alone, and again while 50 concurrent
 * GET /monitoring/drift?window=50000 run over and over. Prints p50 / p99 / max of both and the
 * failures (target: p99 under the storm < 100 ms, no failure).
 *
 *   npm run build && node bench/report-storm.js [seconds=10]
 */
const http = require('node:http');
const path = require('node:path');
const { createJanitor, startServer, request, loadCsvRows } = require('./common');

const janitor = createJanitor('report-storm', 5000);
const seconds = Number(process.argv[2] ?? 10);
// The first client of data/bank-additional.csv as a request, from the build the bench measures.
const SEED_BODY = { ...require(path.join(__dirname, '..', 'dist', 'data', 'testing', 'bank-schema')).EXAMPLE_CLIENT };

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Probes /predict one after another for `ms`: latencies (ms) and failures. */
async function probe(port, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let failures = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const res = await request(port, agent, 'POST', '/predict', SEED_BODY, {}, 10_000);
      if (res.status === 200) latencies.push(res.ms);
      else failures++;
    } catch {
      failures++;
    }
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const f = (x) => (x === null ? '-' : `${x.toFixed(2)} ms`);
  return {
    n: latencies.length,
    failures,
    p50: f(percentile(latencies, 50)),
    p99: f(percentile(latencies, 99)),
    max: f(latencies.at(-1) ?? null),
  };
}

async function main() {
  const server = await startServer(janitor, { label: 'report-storm', startTimeoutS: 60 });
  const rows = loadCsvRows('data/bank-additional-full.csv', 10_000).map((r) => r.features);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 5; i++) {
    const res = await request(server.port, agent, 'POST', '/predict/batch', { instances: rows }, {}, 60_000);
    if (res.status !== 200) throw new Error(`POST /predict/batch answered ${res.status}: ${res.text.slice(0, 300)}`);
  }
  const alone = await probe(server.port, seconds * 1000);
  let storming = true;
  let reports = 0;
  const reporters = Array.from({ length: 50 }, async () => {
    const own = new http.Agent({ keepAlive: true, maxSockets: 1 });
    while (storming) {
      await request(server.port, own, 'GET', '/monitoring/drift?window=50000', undefined, {}, 60_000).catch(() => undefined);
      reports++;
    }
    own.destroy();
  });
  const storm = await probe(server.port, seconds * 1000);
  storming = false;
  await Promise.all(reporters);
  console.log(`/predict alone:                               ${JSON.stringify(alone)}`);
  console.log(`/predict under 50 concurrent 50,000-row drift reports (${reports} reports answered): ${JSON.stringify(storm)}`);
  await janitor.stopChild(server.child);
}

main()
  .catch((err) => {
    console.error(`report-storm: ${err.message}`);
    process.exitCode = 1;
  })
  .finally(() => janitor.killAllNow?.());
