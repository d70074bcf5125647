'use strict';
/**
 * Writes the synthetic drift history (src/replay/testing/synthetic-history.ts: a sudden concept change,
 * then a slide; the defaults unless given) as a CSV in the bank file's format, for a replay:
 *
 *   npm run build && node bench/synthetic-history.js OUT.csv [seed]
 *   node dist/cli replay --data OUT.csv --initial 3000 --chunk 1000 --out DIR
 */
const fs = require('node:fs');
const path = require('node:path');
const dist = path.join(__dirname, '..', 'dist', 'replay', 'testing', 'synthetic-history');
const { DEFAULT_SYNTHETIC_HISTORY, syntheticHistory, syntheticHistoryCsv } = require(dist);

const [out, seedArg] = process.argv.slice(2);
const seed = Number(seedArg ?? DEFAULT_SYNTHETIC_HISTORY.seed);
if (!out || !Number.isInteger(seed) || seed < 0) {
  process.stderr.write('usage: node bench/synthetic-history.js OUT.csv [seed, a whole number >= 0]\n');
  process.exit(1);
}
const options = { ...DEFAULT_SYNTHETIC_HISTORY, seed };
const tmp = `${out}.tmp-${process.pid}`;
fs.writeFileSync(tmp, syntheticHistoryCsv(syntheticHistory(options)));
fs.renameSync(tmp, out);
const { rows, changeAt, slideFrom, slideTo } = options;
console.log(
  `wrote ${out}: ${rows} rows, seed ${seed}; concept A, sudden change to B at row ${changeAt}, B slides to C over rows ${slideFrom}-${slideTo}`,
);
