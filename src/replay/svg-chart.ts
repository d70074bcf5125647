/**
 * A small, dependency-free SVG line chart for the replay report: stacked panels sharing one x
 * axis (chunks), a polyline per series, vertical markers for events, and a bar panel. Every
 * series carries data-series="<name>" so tests (and people) can find it.
 */
export interface LineSeries {
  name: string;
  color: string;
  /** One value per chunk; null leaves a gap. */
  values: Array<number | null>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  series: LineSeries[];
  /** Fixed y range, or derived from the data with some padding. */
  yRange?: [number, number];
  kind?: 'lines' | 'bars';
}

export interface Marker {
  index: number;
  label: string;
  color: string;
}

const WIDTH = 960;
const PANEL_HEIGHT = 180;
const GAP = 50;
const LEFT = 60;
const RIGHT = 170;
const TOP = 40;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Math.round(n * 100) / 100).toString();

function rangeOf(panel: Panel): [number, number] {
  if (panel.yRange) return panel.yRange;
  const values = panel.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  if (values.length === 0) return [0, 1];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = (max - min) * 0.1 || 0.05;
  return [min - pad, max + pad];
}

export function renderChart(title: string, count: number, panels: Panel[], markers: Marker[]): string {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const height = TOP + panels.length * (PANEL_HEIGHT + GAP) + 20;
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
    const [lo, hi] = rangeOf(panel);
    const y = (v: number) => top + PANEL_HEIGHT - ((v - lo) / (hi - lo || 1)) * PANEL_HEIGHT;
    parts.push(`<g data-panel="${escape(panel.title)}">`);
    parts.push(`<text x="${LEFT}" y="${top - 8}" font-weight="bold">${escape(panel.title)}</text>`);
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
    for (let t = 0; t <= 4; t++) {
      const v = lo + ((hi - lo) * t) / 4;
      parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="#eee"/>`);
      parts.push(`<text x="${LEFT - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${v.toFixed(3)}</text>`);
    }
    for (const marker of markers) {
      parts.push(
        `<line data-marker="${escape(marker.label)}" x1="${fmt(x(marker.index))}" x2="${fmt(x(marker.index))}" y1="${top}" y2="${top + PANEL_HEIGHT}" stroke="${marker.color}" stroke-dasharray="4 3"/>`,
      );
    }
    panel.series.forEach((series, s) => {
      if (panel.kind === 'bars') {
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
            `<polyline points="${points.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 3"' : ''}/>`,
          );
          for (const point of points) {
            const [cx, cy] = point.split(',');
            parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${series.color}"/>`);
          }
        }
        parts.push('</g>');
      }
      const ly = top + 14 + s * 18;
      parts.push(`<rect x="${LEFT + plotWidth + 12}" y="${ly - 9}" width="14" height="4" fill="${series.color}"/>`);
      parts.push(`<text x="${LEFT + plotWidth + 32}" y="${ly - 3}">${escape(series.name)}</text>`);
    });
    parts.push('</g>');
  });
  const axisY = TOP + panels.length * (PANEL_HEIGHT + GAP) + 2;
  for (let i = 0; i < count; i++) {
    parts.push(`<text x="${fmt(x(i))}" y="${axisY}" text-anchor="middle">${i + 1}</text>`);
  }
  parts.push(`<text x="${LEFT + plotWidth / 2}" y="${axisY + 16}" text-anchor="middle">chunk</text>`);
  const legendY = TOP + 20 + PANEL_HEIGHT - 10;
  const kinds = [...new Map(markers.map((m) => [m.label.split(' ')[0], m.color])).entries()];
  kinds.forEach(([label, color], i) => {
    parts.push(
      `<line x1="${LEFT + plotWidth + 12}" x2="${LEFT + plotWidth + 26}" y1="${legendY + i * 18}" y2="${legendY + i * 18}" stroke="${color}" stroke-dasharray="4 3"/>`,
    );
    parts.push(`<text x="${LEFT + plotWidth + 32}" y="${legendY + i * 18 + 4}">${escape(label)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
