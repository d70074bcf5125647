'use strict';
/**
 * Preload (`node -r ./bench/max-rss-reporter.js dist/cli train ...`) used when /usr/bin/time is not
 * installed: on exit, prints the process's peak resident set size to stderr as
 * `BENCH_MAX_RSS_KB=<n>` (process.resourceUsage().maxRSS, in KiB).
 */
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
