'use strict';
/**
 * Preload for profiling runs (BENCH_CPU_PROF): `node --cpu-prof -r ./bench/exit-on-signal.js dist/main`.
 * --cpu-prof writes its profile only when the process exits normally, not when a signal kills it,
 * so SIGTERM / SIGINT here end the process with process.exit(0).
 */
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
