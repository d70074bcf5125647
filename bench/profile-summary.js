'use strict';
/**
 * Top self-time functions of a V8 .cpuprofile (as written by `node --cpu-prof`).
 * Usage: node bench/profile-summary.js FILE.cpuprofile [N=10]
 */
const fs = require('node:fs');
const path = require('node:path');

/** Returns [{name, location, selfMs, share}] sorted by self time, plus the total sampled time. */
function summarizeProfile(file, top = 10) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  const { samples = [], timeDeltas = [] } = profile;
  // timeDeltas[i] is the time elapsed before sample i; charge it to the sample that follows
  // (the usual approximation, as Chrome DevTools does).
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  const totals = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id).callFrame;
    const url = frame.url ? frame.url.replace(/^file:\/\//, '') : '';
    const short = url.includes('node_modules/')
      ? url.slice(url.lastIndexOf('node_modules/') + 'node_modules/'.length)
      : url.startsWith('node:') || !url
        ? url
        : path.relative(process.cwd(), url);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}\u0000${short}:${frame.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + us);
    total += us;
  }
  const rows = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [name, location] = key.split('\u0000');
      return { name, location: location === ':0' ? '' : location, selfMs: us / 1000, share: total ? us / total : 0 };
    });
  return { totalMs: total / 1000, top: rows };
}

function formatSummary({ totalMs, top }) {
  const lines = [`sampled ${(totalMs / 1000).toFixed(1)} s; top ${top.length} by self time:`];
  for (const r of top) {
    lines.push(`  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.selfMs.toFixed(0).padStart(7)} ms  ${r.name}  ${r.location}`);
  }
  return lines.join('\n');
}

module.exports = { summarizeProfile, formatSummary };

if (require.main === module) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.js FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatSummary(summarizeProfile(file, Number(n ?? 10)))}\n`);
}
