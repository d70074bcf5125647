import { escapeHtml as esc } from '../html/html';
import { niceAxis } from './scale';

/** A bin of a numeric axis [from, to), or a category. */
export interface DistributionBin {
  label: string;
  from?: number;
  to?: number;
}

export interface DistributionChart {
  title: string;
  /** numeric: bins on a continuous axis (a histogram); categorical: one group of bars per category. */
  kind: 'numeric' | 'categorical';
  bins: DistributionBin[];
  /** Per bin: the reference's and the current window's share (or density), in the order of `bins`. */
  reference: number[];
  current: number[];
  referenceLabel: string;
  currentLabel: string;
  yLabel: string;
}

const WIDTH = 880;
const LEFT = 60;
const RIGHT = 20;
const TOP = 44;
const PLOT_H = 180;
const COLORS = { reference: '#4e79a7', current: '#f28e2b' };
const f = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * The current window's distribution over the reference's. Numbers: the current window as filled
 * bars, the reference as an outline over the same bins. Categories: two bars per category.
 */
export function renderDistribution(chart: DistributionChart): string {
  const n = chart.bins.length;
  const axis = niceAxis([...chart.reference, ...chart.current], { include: [0] });
  const plotW = WIDTH - LEFT - RIGHT;
  const y = (v: number) => TOP + PLOT_H - ((v - axis.lo) / (axis.hi - axis.lo || 1)) * PLOT_H;
  const rotate = chart.kind === 'categorical' && n > 8;
  const height = TOP + PLOT_H + (rotate ? 70 : 26);
  // The reference is an outline over a histogram's bins, a bar of its own beside each category.
  const referenceKey =
    chart.kind === 'numeric' ? `fill="none" stroke="${COLORS.reference}" stroke-width="2"` : `fill="${COLORS.reference}"`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="distribution" data-kind="${chart.kind}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${esc(chart.title)}">`,
    `<text x="${LEFT}" y="16" font-weight="bold">${esc(chart.title)}</text>`,
    `<rect x="${LEFT}" y="24" width="12" height="10" fill="${COLORS.current}" fill-opacity="0.7"/><text x="${LEFT + 16}" y="33" font-size="11">${esc(chart.currentLabel)}</text>`,
    `<rect x="${LEFT + 260}" y="24" width="12" height="10" ${referenceKey}/><text x="${LEFT + 276}" y="33" font-size="11">${esc(chart.referenceLabel)}</text>`,
    `<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${PLOT_H}" fill="none" stroke="#999"/>`,
  ];
  for (const v of axis.ticks) {
    parts.push(`<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#eee"/>`);
    parts.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end" font-size="11">${v.toFixed(axis.decimals)}</text>`);
  }
  parts.push(
    `<text transform="translate(14 ${TOP + PLOT_H / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(chart.yLabel)}</text>`,
  );
  if (chart.kind === 'numeric' && n > 0) {
    const lo = chart.bins[0].from ?? 0;
    const hi = chart.bins[n - 1].to ?? 1;
    const x = (v: number) => LEFT + ((v - lo) / (hi - lo || 1)) * plotW;
    parts.push(`<g data-series="current">`);
    chart.bins.forEach((b, i) => {
      const x0 = x(b.from ?? lo);
      const x1 = x(b.to ?? hi);
      parts.push(
        `<rect x="${f(x0)}" y="${f(y(chart.current[i]))}" width="${f(Math.max(0.5, x1 - x0))}" height="${f(y(axis.lo) - y(chart.current[i]))}" fill="${COLORS.current}" fill-opacity="0.7"><title>${esc(b.label)}: ${chart.current[i].toFixed(4)}</title></rect>`,
      );
    });
    parts.push('</g>');
    // The reference as a step outline over the same bins.
    const steps: string[] = [];
    chart.bins.forEach((b, i) => {
      steps.push(`${f(x(b.from ?? lo))},${f(y(chart.reference[i]))}`, `${f(x(b.to ?? hi))},${f(y(chart.reference[i]))}`);
    });
    parts.push(
      `<g data-series="reference"><polyline points="${f(x(lo))},${f(y(axis.lo))} ${steps.join(' ')} ${f(x(hi))},${f(y(axis.lo))}" fill="none" stroke="${COLORS.reference}" stroke-width="2"/></g>`,
    );
    const ticks = niceAxis([lo, hi]).ticks.filter((t) => t >= lo && t <= hi);
    const decimals = niceAxis([lo, hi]).decimals;
    for (const t of ticks) {
      parts.push(`<text x="${f(x(t))}" y="${TOP + PLOT_H + 16}" text-anchor="middle" font-size="11">${t.toFixed(decimals)}</text>`);
    }
  } else {
    const slot = plotW / Math.max(n, 1);
    const bar = Math.min(28, slot * 0.38);
    for (const [name, values, offset] of [
      ['reference', chart.reference, -bar],
      ['current', chart.current, 0],
    ] as const) {
      parts.push(`<g data-series="${name}">`);
      values.forEach((v, i) => {
        const cx = LEFT + (i + 0.5) * slot;
        const fill = name === 'current' ? `fill="${COLORS.current}" fill-opacity="0.85"` : `fill="${COLORS.reference}"`;
        parts.push(
          `<rect x="${f(cx + offset)}" y="${f(y(v))}" width="${f(bar)}" height="${f(y(axis.lo) - y(v))}" ${fill}><title>${esc(chart.bins[i].label)}: ${v.toFixed(4)}</title></rect>`,
        );
      });
      parts.push('</g>');
    }
    chart.bins.forEach((b, i) => {
      const cx = LEFT + (i + 0.5) * slot;
      const ly = TOP + PLOT_H + 14;
      parts.push(
        rotate
          ? `<text transform="translate(${f(cx)} ${ly}) rotate(-35)" text-anchor="end" font-size="11">${esc(b.label)}</text>`
          : `<text x="${f(cx)}" y="${ly}" text-anchor="middle" font-size="11">${esc(b.label)}</text>`,
      );
    });
  }
  parts.push('</svg>');
  return parts.join('');
}
