/**
 * What a model spec costs to fit and what it scores: for each spec, trainModel (split, preprocess,
 * fit, calibrate, evaluate) on the first N rows of data/bank-additional-full.csv (date order) and
 * on the whole file, with the default seeded 70/15/15 split. Prints one line per (spec, rows): fit
 * time of the logistic regression alone and of the whole trainModel (medians of the runs, wall and
 * in brackets this process's CPU time, which other processes on a shared machine move less), Newton
 * steps, inputs, and the test part's ROC-AUC and Brier score. Not a test: figures move with the
 * machine's load.
 *
 *   npm run build && node bench/fit-specs.js [rows=20000] [runs=3]
 */
'use strict';
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const { loadCsvDataset } = require(path.join(dist, 'data', 'csv-dataset-loader'));
const { trainModel } = require(path.join(dist, 'training', 'training-pipeline'));
const { fitLogisticRegression } = require(path.join(dist, 'training', 'logistic-regression'));
const { Preprocessor } = require(path.join(dist, 'preprocessing', 'preprocessor'));
const { stratifiedSplit } = require(path.join(dist, 'preprocessing', 'stratified-split'));
const { MODEL_SPEC_PRESETS } = require(path.join(dist, 'training', 'model-spec'));
const { BANK_SCHEMA } = require(path.join(dist, 'data', 'testing', 'bank-schema'));

const SPECS = {
  original: MODEL_SPEC_PRESETS.original,
  one_hot: MODEL_SPEC_PRESETS.one_hot,
  'one_hot+platt': { ...MODEL_SPEC_PRESETS.one_hot, calibration: 'platt' },
  'one_hot+isotonic': { ...MODEL_SPEC_PRESETS.one_hot, calibration: 'isotonic' },
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** Wall time, and this process's CPU time (less moved by other processes on a shared machine). */
const time = (fn) => {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, result };
};

/** The logistic regression alone, on the default split's training rows, as trainModel fits it. */
function fitAlone(records, labels, spec) {
  const split = stratifiedSplit(labels, 42);
  const pre = Preprocessor.fit(
    BANK_SCHEMA,
    records,
    split.train,
    {},
    { encoding: spec.encoding, features: spec.features ?? BANK_SCHEMA.featureNames },
  );
  const X = pre.transformRows(records, split.train);
  const y = Uint8Array.from(split.train, (i) => labels[i]);
  return time(() => fitLogisticRegression(X, y, { C: spec.C, classWeight: spec.class_weight === 'balanced' ? 'balanced' : null }));
}

async function main() {
  const rows = Number(process.argv[2] ?? 20000);
  const runs = Number(process.argv[3] ?? 3);
  if (!Number.isInteger(rows) || rows < 1000 || !Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`fit-specs: rows must be an integer >= 1000 and runs >= 1 (got '${process.argv[2]}', '${process.argv[3]}')\n`);
    process.exit(1);
  }
  const full = await loadCsvDataset(path.join(__dirname, '..', 'data', 'bank-additional-full.csv'), BANK_SCHEMA);
  const sets = [
    [`first ${rows}`, full.records.slice(0, rows), full.labels.slice(0, rows)],
    ['full file', full.records, full.labels],
  ];
  console.log('rows        spec              train  inputs  fit ms (cpu)  trainModel ms (cpu)  newton  test roc_auc  test brier');
  for (const [label, records, labels] of sets) {
    for (const [name, spec] of Object.entries(SPECS)) {
      const fits = [];
      const fitCpu = [];
      const totals = [];
      const totalCpu = [];
      let trained;
      for (let run = 0; run < runs; run++) {
        const fit = fitAlone(records, labels, spec);
        fits.push(fit.ms);
        fitCpu.push(fit.cpuMs);
        const t = time(() => trainModel({ schema: BANK_SCHEMA, records, labels, seed: 42, spec }));
        totals.push(t.ms);
        totalCpu.push(t.cpuMs);
        trained = t.result;
      }
      console.log(
        [
          label.padEnd(11),
          name.padEnd(16),
          String(trained.rows.train).padStart(6),
          String(trained.preprocessor.width).padStart(6),
          `${median(fits).toFixed(0)} (${median(fitCpu).toFixed(0)})`.padStart(13),
          `${median(totals).toFixed(0)} (${median(totalCpu).toFixed(0)})`.padStart(20),
          String(trained.solver.iterations).padStart(7),
          trained.metrics.test.roc_auc.toFixed(4).padStart(13),
          trained.metrics.test.brier_score.toFixed(4).padStart(11),
        ].join(' '),
      );
    }
  }
}

main().catch((err) => {
  process.stderr.write(`fit-specs: ${err.message}\n`);
  process.exit(1);
});
