import { escapeHtml as esc } from '../html/html';
import { niceAxis } from './scale';

export interface FeatureBar {
  feature: string;
  kind: string;
  psi: number;
  /** The PSI the feature must exceed to count as drifted (max of the floor and its critical value). */
  threshold: number;
  drifted: boolean;
  /** Where its name links to (its distribution). */
  href: string;
  selected?: boolean;
}

const ROW = 22;
const LABEL = 170;
const PLOT = 560;
const VALUE = 150;
const TOP = 34;
const COLORS = { drifted: '#c0392b', stable: '#4e79a7', threshold: '#222' };
const f = (n: number) => (Math.round(n * 100) / 100).toString();

/** Features most drifted first: by PSI over its threshold, then by name. */
export function sortByDrift<T extends { feature: string; psi: number; psi_threshold: number }>(features: readonly T[]): T[] {
  const ratio = (f: T) => f.psi / (f.psi_threshold || Number.EPSILON);
  return [...features].sort((a, b) => ratio(b) - ratio(a) || a.feature.localeCompare(b.feature));
}

/**
 * One row per feature, in the order given: its PSI as a bar (red when drifted), its threshold as a
 * black tick across the row, the numbers to the right, and its name linking to its distribution.
 */
export function renderDriftBars(bars: readonly FeatureBar[]): string {
  const axis = niceAxis(
    bars.flatMap((b) => [b.psi, b.threshold]),
    { include: [0] },
  );
  const x = (v: number) => LABEL + ((v - axis.lo) / (axis.hi - axis.lo || 1)) * PLOT;
  const height = TOP + bars.length * ROW + 30;
  const width = LABEL + PLOT + VALUE;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="drift-scores" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="PSI of each feature against its threshold">`,
    `<text x="${LABEL}" y="14" font-weight="bold">PSI against each feature's threshold (drifted in red)</text>`,
  ];
  for (const v of axis.ticks) {
    parts.push(`<line x1="${f(x(v))}" x2="${f(x(v))}" y1="${TOP - 6}" y2="${TOP + bars.length * ROW}" stroke="#eee"/>`);
    parts.push(
      `<text x="${f(x(v))}" y="${TOP + bars.length * ROW + 14}" text-anchor="middle" font-size="11">${v.toFixed(axis.decimals)}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const y = TOP + i * ROW;
    const color = b.drifted ? COLORS.drifted : COLORS.stable;
    parts.push(`<g data-feature="${esc(b.feature)}" data-drifted="${b.drifted}">`);
    if (b.selected) parts.push(`<rect x="0" y="${y}" width="${width}" height="${ROW}" fill="#fff6d5"/>`);
    parts.push(
      `<a href="${esc(b.href)}"><text x="${LABEL - 8}" y="${y + 15}" text-anchor="end"${b.drifted ? ' font-weight="bold"' : ''}>${esc(b.feature)}</text></a>`,
    );
    parts.push(`<rect x="${LABEL}" y="${y + 4}" width="${f(Math.max(1, x(b.psi) - LABEL))}" height="${ROW - 8}" fill="${color}"/>`);
    parts.push(
      `<line x1="${f(x(b.threshold))}" x2="${f(x(b.threshold))}" y1="${y + 1}" y2="${y + ROW - 1}" stroke="${COLORS.threshold}" stroke-width="2"/>`,
    );
    parts.push(
      `<text x="${LABEL + PLOT + 8}" y="${y + 15}" font-size="11">${b.psi.toFixed(3)} / ${b.threshold.toFixed(3)}${b.drifted ? ' drifted' : ''}</text>`,
    );
    parts.push('</g>');
  });
  parts.push(
    `<text x="${LABEL + PLOT / 2}" y="${height - 2}" text-anchor="middle" font-size="11">PSI (the black tick: the feature's threshold)</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
