/**
 * How long a healing run blocks the event loop that serves /predict (issue: at most 50 ms).
 * Builds the real services in this process on a scratch storage (as the replay does), serves
 * N labelled predictions from the late part of data/bank-additional-full.csv, then runs one
 * heal while perf_hooks.monitorEventLoopDelay samples every 1 ms. Prints the max and p99 delay.
 *
 *   npm run build && node bench/heal-stall.js [rows=20000]
 */
'use strict';
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const dist = path.join(__dirname, '..', 'dist');
const { loadConfig } = require(path.join(dist, 'config', 'app-config'));
const { systemClock } = require(path.join(dist, 'common', 'clock'));
const { loadCsvDataset } = require(path.join(dist, 'data', 'csv-dataset-loader'));
const { InProcessTarget } = require(path.join(dist, 'replay', 'in-process-target'));
const { BANK_SCHEMA } = require(path.join(dist, 'data', 'testing', 'bank-schema'));

async function main() {
  const rows = Number(process.argv[2] ?? 20000);
  // The served rows come after the first 10,000 (the champion's) of the 41,188.
  if (!Number.isInteger(rows) || rows < 500 || rows > 31_188) {
    process.stderr.write(`heal-stall: rows must be an integer from 500 to 31188 (got '${process.argv[2]}')\n`);
    process.exit(1);
  }
  const storage = mkdtempSync(path.join(tmpdir(), 'heal-stall-'));
  try {
    const config = loadConfig({ ...process.env, STORAGE_DIR: storage, LOG_LEVEL: 'silent', HEAL_MIN_LABELS: '500' });
    const target = await InProcessTarget.create(
      { ...config, autoTrain: false, healing: { ...config.healing, autoHeal: false } },
      systemClock,
      BANK_SCHEMA,
    );
    const data = await loadCsvDataset(path.join(__dirname, '..', 'data', 'bank-additional-full.csv'), BANK_SCHEMA);
    const known = {};
    for (const name of BANK_SCHEMA.categoricalFeatures) {
      known[name] = [...new Set(data.records.map((r) => r[name]))];
    }
    await target.start({ records: data.records.slice(0, 10000), labels: data.labels.slice(0, 10000) }, 42, known);
    const from = data.records.length - rows;
    const served = await target.predict(data.records.slice(from));
    await target.sendOutcomes(served.requestIds, data.labels.slice(from));

    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const started = performance.now();
    const step = await target.step(Math.min(rows, 10000));
    const wall = performance.now() - started;
    histogram.disable();
    await target.close();
    const ms = (ns) => (ns / 1e6).toFixed(1);
    console.log(`heal over ${rows} labelled predictions: ${step.heal.action} (${step.heal.reason})`);
    console.log(
      `wall ${wall.toFixed(0)} ms; event-loop delay max ${ms(histogram.max)} ms, p99 ${ms(histogram.percentile(99))} ms, mean ${ms(histogram.mean)} ms (target: max < 50 ms)`,
    );
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`heal-stall: ${err.message}`);
  process.exit(1);
});
