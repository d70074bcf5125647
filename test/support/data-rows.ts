import { BANK_SCHEMA } from '../../src/data/testing/bank-schema';
import { readFileSync } from 'node:fs';

export interface LabelledRow {
  features: Record<string, string | number>;
  actual: 'yes' | 'no';
}

/** Rows of a Bank Marketing CSV as /predict bodies plus their outcome (a small, test-only reader). */
export function readRows(file: string): LabelledRow[] {
  const [header, ...lines] = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const names = header.split(';').map((h) => h.replace(/"/g, '').replace(/\./g, '_'));
  return lines.map((line) => {
    const cells = line.split(';').map((c) => c.replace(/"/g, ''));
    const features: Record<string, string | number> = {};
    for (const name of BANK_SCHEMA.featureNames) {
      const cell = cells[names.indexOf(name)];
      features[name] = BANK_SCHEMA.isCategorical(name) ? cell : Number(cell);
    }
    return { features, actual: cells[names.indexOf('y')] === 'yes' ? 'yes' : 'no' };
  });
}

/** A deterministic pseudo-random sample of `n` rows (mulberry32-seeded shuffle). */
export function sampleRows<T>(rows: readonly T[], n: number, seed = 1): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...rows];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, n);
}
