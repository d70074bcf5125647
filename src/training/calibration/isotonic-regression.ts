/**
 * A fitted isotonic map: thresholds `x` (strictly increasing) and values `y` (non-decreasing, in
 * [0, 1]); between thresholds the map is linear, outside them it is clipped to the end values.
 */
export interface IsotonicMap {
  x: number[];
  y: number[];
}

/** numpy's float64 resolution: sklearn merges sorted scores closer than this into one. */
const SAME_SCORE = 1e-15;

/**
 * scikit-learn's IsotonicRegression(increasing=True, out_of_bounds='clip', y_min=0, y_max=1) fitted
 * on (score, 0/1 label) pairs, step by step as sklearn does it, so its thresholds agree to the
 * last bits: sort by score then label; merge equal scores into one point whose value is their
 * mean label and whose weight is their count (sklearn's _make_unique); pool adjacent violators,
 * ties included (a non-increasing neighbour is pooled); keep the first and last point of each
 * constant run only (the map is the same, the JSON smaller).
 */
export function fitIsotonicRegression(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicMap {
  const n = scores.length;
  if (n === 0) throw new Error('isotonic regression needs at least one row');
  if (labels.length !== n) throw new Error('scores and labels differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || labels[a] - labels[b]);

  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  let currentX = scores[order[0]];
  let sumY = 0;
  let weight = 0;
  for (const i of order) {
    if (scores[i] - currentX >= SAME_SCORE) {
      xs.push(currentX);
      ys.push(sumY / weight);
      ws.push(weight);
      currentX = scores[i];
      sumY = 0;
      weight = 0;
    }
    sumY += labels[i];
    weight += 1;
  }
  xs.push(currentX);
  ys.push(sumY / weight);
  ws.push(weight);

  poolAdjacentViolators(ys, ws);
  for (let i = 0; i < ys.length; i++) ys[i] = Math.min(1, Math.max(0, ys[i]));
  return trimConstantRuns(xs, ys);
}

/**
 * In place: the non-decreasing sequence nearest to `y` in weighted least squares. sklearn's
 * _inplace_contiguous_isotonic_regression: blocks are [i..target[i]]; a block is pooled with the
 * following decreasing (or equal) run, then the scan backtracks one block, so it is one pass.
 */
function poolAdjacentViolators(y: number[], w: number[]): void {
  const n = y.length;
  const target = Int32Array.from({ length: n }, (_, i) => i);
  let i = 0;
  while (i < n) {
    let k = target[i] + 1;
    if (k === n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    let sumWy = w[i] * y[i];
    let sumW = w[i];
    for (;;) {
      const previousY = y[k];
      sumWy += w[k] * y[k];
      sumW += w[k];
      k = target[k] + 1;
      if (k === n || previousY < y[k]) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1];
        break;
      }
    }
  }
  for (i = 0; i < n;) {
    const k = target[i] + 1;
    for (let j = i + 1; j < k; j++) y[j] = y[i];
    i = k;
  }
}

/** Drops the inner points of each run of equal values: interpolation between the ends gives the same. */
function trimConstantRuns(x: number[], y: number[]): IsotonicMap {
  const keep = (i: number) => i === 0 || i === y.length - 1 || y[i] !== y[i - 1] || y[i] !== y[i + 1];
  const kept = x.map((_, i) => i).filter(keep);
  return { x: kept.map((i) => x[i]), y: kept.map((i) => y[i]) };
}

/**
 * The map at a score: clipped to the thresholds' range, then linear between the two thresholds
 * around it, computed as scipy's interp1d (which sklearn uses) computes it.
 */
export function isotonicValue(map: IsotonicMap, score: number): number {
  const { x, y } = map;
  const last = x.length - 1;
  if (last === 0) return y[0];
  const t = Math.min(x[last], Math.max(x[0], score));
  // The first threshold >= t (numpy's searchsorted, side 'left'), kept within 1..last.
  let lo = 0;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  const upper = Math.max(1, hi);
  const lower = upper - 1;
  const slope = (y[upper] - y[lower]) / (x[upper] - x[lower]);
  return slope * (t - x[lower]) + y[lower];
}
