/**
 * A small, dependency-free SVG chart for the replay report: stacked panels sharing one x axis
 * (chunks), a polyline or bars per series, horizontal reference lines, vertical markers for events
 * (with a tag such as the version), and labels under each chunk. Every series carries
 * data-series="<name>", every marker data-marker="<label>", so tests (and people) can find them.
 */
import { niceStep } from '../common/nice-step';

export { niceStep };

export interface LineSeries {
  name: string;
  color: string;
  /** One value per chunk; null leaves a gap. */
  values: Array<number | null>;
  /** A stroke-dasharray, so lines that overlap stay apart (true: "6 3"). */
  dashed?: boolean | string;
  /** Stroke width (default 2). */
  width?: number;
  /** Bars or a line; by default the panel's kind. */
  kind?: 'lines' | 'bars';
}

export interface Panel {
  title: string;
  series: LineSeries[];
  /** Fixed y range, or derived from the data (and `yMin`, references), rounded out to whole ticks. */
  yRange?: [number, number];
  /** A bound the derived range always includes (0 for a Brier score). */
  yMin?: number;
  kind?: 'lines' | 'bars';
  /** Dashed horizontal lines, e.g. ROC-AUC 0.5 (chance); a derived range includes them. */
  references?: Array<{ value: number; label: string }>;
}

export interface Marker {
  index: number;
  /** Its kind (first word, in the legend) and what it is, e.g. "promotion v3". */
  label: string;
  color: string;
  /** Drawn at the top of the marker line, e.g. the version promoted. */
  tag?: string;
  /** Dotted and thin for minor events (a rejected challenger); dashed otherwise. */
  minor?: boolean;
}

/** Labels under the chunks (lines of text per chunk) and the axis title. */
export interface Axis {
  labels: string[][];
  title: string;
}

const WIDTH = 1000;
const PANEL_HEIGHT = 180;
const GAP = 50;
const LEFT = 60;
const RIGHT = 210;
const TOP = 40;
const AXIS_LINE = 13;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

/** The y range and its ticks: a fixed range in quarters, or the data's range rounded out to round steps. */
export function yAxis(panel: Panel): { lo: number; hi: number; ticks: number[]; decimals: number } {
  if (panel.yRange) {
    const [lo, hi] = panel.yRange;
    const { decimals } = niceStep((hi - lo) / 4);
    return { lo, hi, ticks: [0, 1, 2, 3, 4].map((t) => lo + ((hi - lo) * t) / 4), decimals };
  }
  const values = [
    ...panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null)),
    ...(panel.references ?? []).map((r) => r.value),
    ...(panel.yMin === undefined ? [] : [panel.yMin]),
  ];
  if (values.length === 0) return yAxis({ ...panel, yRange: [0, 1] });
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.05 || 0.05;
  // About five intervals: the tick step is a round number, the range whole steps.
  const { step, decimals } = niceStep((max - min + 2 * pad) / 5);
  const lowest = panel.yMin !== undefined && min >= panel.yMin ? panel.yMin : min - pad;
  const round = (v: number) => Number(v.toFixed(decimals + 2));
  const lo = round(Math.floor(round(lowest / step)) * step);
  const hi = round(Math.ceil(round((max + pad) / step)) * step);
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step / 1000; k++) ticks.push(round(lo + k * step));
  return { lo, hi, ticks, decimals };
}

const dashOf = (dashed: LineSeries['dashed']) => (dashed === true ? '6 3' : dashed || null);

export function renderChart(title: string, count: number, panels: Panel[], markers: Marker[], axis?: Axis): string {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const xLabels = axis?.labels ?? Array.from({ length: count }, (_, i) => [String(i + 1)]);
  const labelLines = Math.max(1, ...xLabels.map((l) => l.length));
  const height = TOP + panels.length * (PANEL_HEIGHT + GAP) + 20 + (labelLines - 1) * AXIS_LINE;
  // Each chunk sits in the middle of its own slot, so bars and end points stay inside the frame.
  const x = (i: number) => LEFT + ((i + 0.5) / Math.max(count, 1)) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${LEFT}" y="22" font-size="16" font-weight="bold">${escape(title)}</text>`,
  ];
  panels.forEach((panel, p) => {
    const top = TOP + p * (PANEL_HEIGHT + GAP) + 20;
    const { lo, hi, ticks, decimals } = yAxis(panel);
    const y = (v: number) => top + PANEL_HEIGHT - ((v - lo) / (hi - lo || 1)) * PANEL_HEIGHT;
    parts.push(`<g data-panel="${escape(panel.title)}">`);
    parts.push(`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${escape(panel.title)}</text>`);
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
    for (const v of ticks) {
      parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#eee"/>`);
      parts.push(`<text x="${LEFT - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${v.toFixed(decimals)}</text>`);
    }
    for (const ref of panel.references ?? []) {
      parts.push(
        `<line data-reference="${escape(ref.label)}" x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${fmt(y(ref.value))}" y2="${fmt(y(ref.value))}" stroke="#555" stroke-dasharray="2 4"/>`,
      );
      parts.push(`<text x="${LEFT + 4}" y="${fmt(y(ref.value) - 3)}" font-size="10" fill="#555">${escape(ref.label)}</text>`);
    }
    for (const marker of markers) {
      const style = marker.minor ? 'stroke-dasharray="1 3" stroke-width="1"' : 'stroke-dasharray="4 3"';
      parts.push(
        `<line data-marker="${escape(marker.label)}" x1="${fmt(x(marker.index))}" x2="${fmt(x(marker.index))}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="${marker.color}" ${style}/>`,
      );
      if (marker.tag && p === 0) {
        parts.push(
          `<text data-tag="${escape(marker.label)}" x="${fmt(x(marker.index))}" y="${top + 11}" text-anchor="middle" font-size="10" fill="${marker.color}">${escape(marker.tag)}</text>`,
        );
      }
    }
    panel.series.forEach((series, s) => {
      const bars = (series.kind ?? panel.kind) === 'bars';
      const dash = dashOf(series.dashed);
      if (bars) {
        const barWidth = Math.max(2, (plotWidth / Math.max(count, 1)) * 0.6);
        parts.push(`<g data-series="${escape(series.name)}" fill="${series.color}">`);
        series.values.forEach((v, i) => {
          if (v === null) return;
          parts.push(`<rect x="${fmt(x(i) - barWidth / 2)}" y="${fmt(y(v))}" width="${fmt(barWidth)}" height="${fmt(y(lo) - y(v))}"/>`);
        });
        parts.push('</g>');
      } else {
        // Gaps (null) split the line into segments.
        const segments: string[][] = [[]];
        series.values.forEach((v, i) => {
          if (v === null) segments.push([]);
          else segments[segments.length - 1].push(`${fmt(x(i))},${fmt(y(v))}`);
        });
        parts.push(`<g data-series="${escape(series.name)}">`);
        for (const points of segments.filter((seg) => seg.length > 0)) {
          parts.push(
            `<polyline points="${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="${series.width ?? 2}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
          );
          for (const point of points) {
            const [cx, cy] = point.split(',');
            parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${series.color}"/>`);
          }
        }
        parts.push('</g>');
      }
      const ly = top + 14 + s * 18;
      // The legend shows a line as it is drawn (its dash and width), so overlapping lines can be told apart.
      parts.push(
        bars
          ? `<rect x="${LEFT + plotWidth + 12}" y="${ly - 9}" width="14" height="4" fill="${series.color}"/>`
          : `<line x1="${LEFT + plotWidth + 6}" x2="${LEFT + plotWidth + 28}" y1="${ly - 7}" y2="${ly - 7}" stroke="${series.color}" stroke-width="${series.width ?? 2}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      );
      parts.push(`<text x="${LEFT + plotWidth + 32}" y="${ly - 3}">${escape(series.name)}</text>`);
    });
    parts.push('</g>');
  });
  const axisY = TOP + panels.length * (PANEL_HEIGHT + GAP) + 2;
  for (let i = 0; i < count; i++) {
    (xLabels[i] ?? []).forEach((line, l) => {
      parts.push(
        `<text x="${fmt(x(i))}" y="${axisY + l * AXIS_LINE}"${l > 0 ? ' font-size="10"' : ''} text-anchor="middle">${escape(line)}</text>`,
      );
    });
  }
  parts.push(
    `<text x="${LEFT + plotWidth / 2}" y="${axisY + (labelLines - 1) * AXIS_LINE + 16}" text-anchor="middle">${escape(axis?.title ?? 'chunk')}</text>`,
  );
  const legendY = TOP + 20 + PANEL_HEIGHT - 10;
  const kinds = [...new Map(markers.map((m) => [m.label.split(' ')[0], m])).entries()];
  kinds.forEach(([label, m], i) => {
    const style = m.minor ? 'stroke-dasharray="1 3"' : 'stroke-dasharray="4 3"';
    const ly = legendY - (kinds.length - 1 - i) * 18;
    parts.push(`<line x1="${LEFT + plotWidth + 12}" x2="${LEFT + plotWidth + 26}" y1="${ly}" y2="${ly}" stroke="${m.color}" ${style}/>`);
    parts.push(`<text x="${LEFT + plotWidth + 32}" y="${ly + 4}">${escape(label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
