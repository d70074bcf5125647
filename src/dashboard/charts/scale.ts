import { niceStep } from '../../common/nice-step';

/** A y (or x) axis: its range rounded out to whole round steps, the ticks, and their decimals. */
export interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  decimals: number;
}

/**
 * The axis for `values` (nulls and non-finite ones ignored) and any `include`d bounds (0 for a
 * share, a baseline), about five round steps; a fixed range ticks in quarters.
 */
export function niceAxis(values: ReadonlyArray<number | null>, options: { include?: number[]; fixed?: [number, number] } = {}): Axis {
  if (options.fixed) {
    const [lo, hi] = options.fixed;
    const { decimals } = niceStep((hi - lo) / 4);
    return { lo, hi, ticks: [0, 1, 2, 3, 4].map((k) => lo + ((hi - lo) * k) / 4), decimals };
  }
  const all = [...values, ...(options.include ?? [])].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (all.length === 0) return niceAxis([], { fixed: [0, 1] });
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (min === max) {
    min -= Math.abs(min) * 0.1 || 0.5;
    max += Math.abs(max) * 0.1 || 0.5;
  }
  const { step, decimals } = niceStep((max - min) / 5);
  const round = (v: number) => Number(v.toFixed(decimals + 2));
  const lo = round(Math.floor(round(min / step)) * step);
  const hi = round(Math.ceil(round(max / step)) * step);
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step / 1000; k++) ticks.push(round(lo + k * step));
  return { lo, hi, ticks, decimals };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/**
 * Ticks for a time axis from t0 to t1 (ms since the epoch): the smallest round step (5 s .. 1 week)
 * that gives at most `most` ticks, at multiples of it in UTC, each with a label (HH:MM:SS under a
 * minute, HH:MM under a day, else the date).
 */
export function timeTicks(t0: number, t1: number, most = 7): Array<{ t: number; label: string }> {
  const span = Math.max(t1 - t0, 1);
  const step = TIME_STEPS.find((s) => span / s <= most) ?? Math.ceil(span / most / DAY) * DAY;
  const iso = (t: number) => new Date(t).toISOString();
  const label = (t: number) => (step < MINUTE ? iso(t).slice(11, 19) : step < DAY ? iso(t).slice(11, 16) : iso(t).slice(0, 10));
  const ticks: Array<{ t: number; label: string }> = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push({ t, label: label(t) });
  return ticks;
}
