import { escapeHtml as esc } from '../html/html';
import { niceAxis, timeTicks } from './scale';

export interface TimePoint {
  /** ms since the epoch */
  t: number;
  v: number | null;
}

export interface TimeSeries {
  name: string;
  color: string;
  points: TimePoint[];
  dashed?: boolean;
}

export interface TimePanel {
  title: string;
  series: TimeSeries[];
  /** A fixed y range (a share: [0, 1]); else the data's, with `include`d values (0 for Brier). */
  fixed?: [number, number];
  include?: number[];
}

export interface TimeMarker {
  t: number;
  /** promotion or rollback */
  kind: string;
  /** Drawn at the top, e.g. the version promoted. */
  tag: string;
  color: string;
}

const WIDTH = 960;
const LEFT = 60;
const RIGHT = 190;
const PANEL_H = 130;
const GAP = 44;
const TOP = 30;
const f = (n: number) => (Math.round(n * 100) / 100).toString();

/**
 * Panels of lines over time sharing one time axis (UTC), with vertical markers for events. A line
 * breaks where consecutive points are further apart than `gapMs` (the service was down), or at a null.
 */
export function renderTimeSeries(
  panels: readonly TimePanel[],
  markers: readonly TimeMarker[],
  range: [number, number],
  gapMs: number,
): string {
  const [t0, t1] = range[1] > range[0] ? range : [range[0] - 60_000, range[0] + 60_000];
  const plotW = WIDTH - LEFT - RIGHT;
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const height = TOP + panels.length * (PANEL_H + GAP) + 10;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="over-time" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="Monitoring over time">`,
  ];
  const ticks = timeTicks(t0, t1);
  panels.forEach((panel, p) => {
    const top = TOP + p * (PANEL_H + GAP);
    const axis = niceAxis(
      panel.series.flatMap((s) => s.points.map((pt) => pt.v)),
      { fixed: panel.fixed, include: panel.include },
    );
    const y = (v: number) => top + PANEL_H - ((v - axis.lo) / (axis.hi - axis.lo || 1)) * PANEL_H;
    parts.push(`<g data-panel="${esc(panel.title)}">`);
    parts.push(`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${esc(panel.title)}</text>`);
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotW}" height="${PANEL_H}" fill="none" stroke="#999"/>`);
    for (const v of axis.ticks) {
      parts.push(`<line x1="${LEFT}" x2="${LEFT + plotW}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#eee"/>`);
      parts.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end" font-size="11">${v.toFixed(axis.decimals)}</text>`);
    }
    for (const tick of ticks) {
      parts.push(`<line x1="${f(x(tick.t))}" x2="${f(x(tick.t))}" y1="${top}" y2="${top + PANEL_H}" stroke="#f2f2f2"/>`);
      parts.push(`<text x="${f(x(tick.t))}" y="${top + PANEL_H + 14}" text-anchor="middle" font-size="10">${tick.label}</text>`);
    }
    for (const m of markers) {
      parts.push(
        `<line data-marker="${esc(`${m.kind} ${m.tag}`)}" x1="${f(x(m.t))}" x2="${f(x(m.t))}" y1="${top}" y2="${top + PANEL_H}" stroke="${m.color}" stroke-dasharray="4 3"/>`,
      );
      if (p === 0) {
        parts.push(
          `<text x="${f(x(m.t))}" y="${top - 8 + 0}" dy="-2" text-anchor="middle" font-size="10" fill="${m.color}">${esc(m.tag)}</text>`,
        );
      }
    }
    panel.series.forEach((s, k) => {
      const segments: string[][] = [[]];
      let last: number | null = null;
      for (const pt of s.points) {
        if (pt.v === null || !Number.isFinite(pt.v) || (last !== null && pt.t - last > gapMs)) segments.push([]);
        if (pt.v !== null && Number.isFinite(pt.v)) segments[segments.length - 1].push(`${f(x(pt.t))},${f(y(pt.v))}`);
        last = pt.t;
      }
      parts.push(`<g data-series="${esc(s.name)}">`);
      for (const seg of segments) {
        if (seg.length === 1) {
          const [cx, cy] = seg[0].split(',');
          parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`);
        } else if (seg.length > 1) {
          parts.push(
            `<polyline points="${seg.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
          );
        }
      }
      parts.push('</g>');
      const ly = top + 12 + k * 16;
      parts.push(
        `<line x1="${LEFT + plotW + 8}" x2="${LEFT + plotW + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
      );
      parts.push(`<text x="${LEFT + plotW + 34}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
    });
    parts.push('</g>');
  });
  const kinds = [...new Map(markers.map((m) => [m.kind, m.color])).entries()];
  kinds.forEach(([kind, color], i) => {
    const ly = TOP + PANEL_H - 10 - i * 16;
    parts.push(
      `<line x1="${LEFT + plotW + 8}" x2="${LEFT + plotW + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-dasharray="4 3"/>`,
    );
    parts.push(`<text x="${LEFT + plotW + 34}" y="${ly}" font-size="11">${esc(kind)}</text>`);
  });
  parts.push(`<text x="${LEFT + plotW / 2}" y="${height - 2}" text-anchor="middle" font-size="11">time (UTC)</text>`);
  parts.push('</svg>');
  return parts.join('');
}
