import { sigmoid, softplus } from '../logistic-regression';

/** Platt's sigmoid on the model's decision function f: P(yes) = 1 / (1 + exp(a * f + b)). */
export interface PlattMap {
  a: number;
  b: number;
}

export function plattProbability(map: PlattMap, score: number): number {
  return sigmoid(-(map.a * score + map.b));
}

/** Gradient norm per row at which the fit stops: far below what changes a probability. */
const TOLERANCE_PER_ROW = 1e-12;
const MAX_ITERATIONS = 100;

/**
 * Fits a and b as scikit-learn's _SigmoidCalibration does (CalibratedClassifierCV(method='sigmoid')):
 * the log loss of 1 / (1 + exp(a f + b)) against Platt's smoothed targets, (N+ + 1) / (N+ + 2) for
 * a "yes" and 1 / (N- + 2) for a "no", so a slice that happens to separate the classes still gives
 * finite a and b. sklearn minimises it by BFGS (L-BFGS-B in newer versions) to a gradient of 1e-5
 * (1e-6); the objective is convex, so Newton's method on the 2x2 system reaches the same optimum,
 * only more exactly. Starts, as sklearn, from a = 0 and b = log((N- + 1) / (N+ + 1)).
 */
export function fitPlattScaling(scores: ArrayLike<number>, labels: ArrayLike<number>): PlattMap {
  const n = scores.length;
  if (n === 0) throw new Error('Platt scaling needs at least one row');
  if (labels.length !== n) throw new Error('scores and labels differ in length');
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const negatives = n - positives;
  const targetYes = (positives + 1) / (positives + 2);
  const targetNo = 1 / (negatives + 2);
  const target = (i: number) => (labels[i] === 1 ? targetYes : targetNo);
  const loss = (a: number, b: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = a * scores[i] + b;
      const t = target(i);
      sum += t * softplus(u) + (1 - t) * softplus(-u);
    }
    return sum;
  };

  let a = 0;
  let b = Math.log((negatives + 1) / (positives + 1));
  let value = loss(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    // d loss / du = T - P and d2 loss / du2 = P (1 - P), with u = a f + b and P = sigmoid(-u).
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    for (let i = 0; i < n; i++) {
      const f = scores[i];
      const p = sigmoid(-(a * f + b));
      const r = target(i) - p;
      const w = p * (1 - p);
      ga += r * f;
      gb += r;
      haa += w * f * f;
      hab += w * f;
      hbb += w;
    }
    if (Math.hypot(ga, gb) < TOLERANCE_PER_ROW * n) break;
    const det = haa * hbb - hab * hab;
    // Every score equal: a is not identified (it stays 0) and b alone is fitted.
    const [da, db] = det > 1e-12 * haa * hbb ? [(hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det] : [0, gb / hbb];
    let t = 1;
    for (;;) {
      const next = loss(a - t * da, b - t * db);
      // Near the optimum the loss changes by less than its rounding: such a step is taken as it is.
      if (next <= value || Math.abs(next - value) <= 1e-12 * Math.abs(value) || t < 1e-10) {
        a -= t * da;
        b -= t * db;
        value = next;
        break;
      }
      t /= 2;
    }
  }
  return { a, b };
}
