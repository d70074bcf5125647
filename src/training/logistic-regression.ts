import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength, as sklearn's C. */
  C?: number;
  /** 'balanced' weighs each row by n / (2 * n_class(y)), as sklearn's class_weight='balanced'. */
  classWeight?: 'balanced' | null;
  /** Stop when the gradient's Euclidean norm falls below this. */
  tolerance?: number;
  maxIterations?: number;
}

export interface LogisticRegressionFit {
  coefficients: number[];
  intercept: number;
  iterations: number;
  gradientNorm: number;
  /** The class weights used, keyed by class (0, 1). */
  classWeights: { 0: number; 1: number };
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + exp(z)) without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

export function linearScore(coefficients: ArrayLike<number>, intercept: number, x: ArrayLike<number>): number {
  let z = intercept;
  for (let j = 0; j < coefficients.length; j++) z += coefficients[j] * x[j];
  return z;
}

export class TrainingDataError extends Error {}

/**
 * The design matrix as each row's non-zero inputs, ascending, in one pair of flat arrays (row i's
 * are entries offsets[i] to offsets[i + 1]): a one-hot row of ~60 columns has 19, so the Hessian
 * costs 19^2/2 products a row instead of 60^2/2, and a score 19 instead of 60. Leaving a zero out
 * of a sum changes nothing (x + (+-0) === x for the +0-started sums here), so the fit is
 * bit-identical to the dense loops; flat arrays spare the collector two small arrays per row.
 */
export interface SparseRows {
  /** Number of input columns (without the intercept). */
  width: number;
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * Builds SparseRows from `count` rows written one at a time into a scratch buffer by `writeRow`
 * (so a caller can transform records straight into the design without an array per row).
 */
export function sparseRowsFrom(count: number, width: number, writeRow: (i: number, out: Float64Array) => void): SparseRows {
  const scratch = new Float64Array(width);
  const offsets = new Int32Array(count + 1);
  let columns = new Int32Array(Math.max(16, count * Math.min(width, 24)));
  let values = new Float64Array(columns.length);
  let size = 0;
  for (let i = 0; i < count; i++) {
    scratch.fill(0);
    writeRow(i, scratch);
    if (size + width > columns.length) {
      const grown = Math.max(columns.length * 2, size + width);
      const c = new Int32Array(grown);
      c.set(columns.subarray(0, size));
      const v = new Float64Array(grown);
      v.set(values.subarray(0, size));
      columns = c;
      values = v;
    }
    for (let j = 0; j < width; j++) {
      if (scratch[j] !== 0) {
        columns[size] = j;
        values[size++] = scratch[j];
      }
    }
    offsets[i + 1] = size;
  }
  return { width, offsets, columns: columns.slice(0, size), values: values.slice(0, size) };
}

/** SparseRows of dense rows (all of the same width). */
export function sparseRows(X: readonly ArrayLike<number>[]): SparseRows {
  const width = X.length > 0 ? X[0].length : 0;
  return sparseRowsFrom(X.length, width, (i, out) => {
    const row = X[i];
    if (row.length !== width) throw new TrainingDataError(`row ${i} has ${row.length} inputs, the first row ${width}`);
    for (let j = 0; j < width; j++) out[j] = row[j];
  });
}

/**
 * L2-regularised logistic regression with sklearn's objective
 *   0.5 * ||w||^2 + C * sum_i s_i * logloss_i   (intercept not penalised)
 * solved by Newton's method with a backtracking line search. The (d+1)x(d+1) system is small (20
 * for the seed's inputs, ~60 one-hot), so each step is exact and the solution reaches sklearn's
 * optimum to the gradient tolerance.
 */
export function fitLogisticRegression(
  X: readonly ArrayLike<number>[] | SparseRows,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LogisticRegressionFit {
  const C = options.C ?? 1;
  const tolerance = options.tolerance ?? 1e-8;
  const maxIterations = options.maxIterations ?? 100;
  const design = Array.isArray(X) ? sparseRows(X) : (X as SparseRows);
  const n = design.offsets.length - 1;
  if (n === 0) throw new TrainingDataError('no training rows');
  if (y.length !== n) throw new TrainingDataError('X and y differ in length');
  const d = design.width;
  const { offsets, columns, values } = design;
  let nPositive = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new TrainingDataError(`label ${y[i]} at row ${i} is not 0 or 1`);
    nPositive += y[i];
  }
  if (nPositive === 0 || nPositive === n) {
    throw new TrainingDataError(`training rows hold one class only (${nPositive} of ${n} positive)`);
  }
  const classWeights = options.classWeight === null ? { 0: 1, 1: 1 } : { 0: n / (2 * (n - nPositive)), 1: n / (2 * nPositive) };
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = y[i] === 1 ? classWeights[1] : classWeights[0];

  const p = d + 1; // coefficients then intercept
  let beta = new Float64Array(p);
  const scores = new Float64Array(n);

  const objective = (b: Float64Array, z: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let zi = b[d];
      for (let a = offsets[i], end = offsets[i + 1]; a < end; a++) zi += b[columns[a]] * values[a];
      z[i] = zi;
      loss += weight[i] * (softplus(zi) - y[i] * zi);
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) penalty += b[j] * b[j];
    return 0.5 * penalty + C * loss;
  };

  let value = objective(beta, scores);
  let gradientNorm = Infinity;
  let iterations = 0;
  const gradient = new Float64Array(p);
  /** Row-major p x p; the lower triangle is accumulated, then mirrored. */
  const h = new Float64Array(p * p);

  for (; iterations <= maxIterations; iterations++) {
    gradient.fill(0);
    h.fill(0);
    const interceptRow = d * p;
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(scores[i]);
      const r = C * weight[i] * (pi - y[i]);
      const curvature = C * weight[i] * pi * (1 - pi);
      const start = offsets[i];
      for (let a = start, end = offsets[i + 1]; a < end; a++) {
        const j = columns[a];
        gradient[j] += r * values[a];
        const cj = curvature * values[a];
        const rowStart = j * p;
        for (let b = start; b <= a; b++) h[rowStart + columns[b]] += cj * values[b];
        h[interceptRow + j] += cj;
      }
      gradient[d] += r;
      h[interceptRow + d] += curvature;
    }
    for (let j = 0; j < d; j++) {
      gradient[j] += beta[j];
      h[j * p + j] += 1;
    }
    for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) h[k * p + j] = h[j * p + k];

    gradientNorm = Math.hypot(...gradient);
    if (gradientNorm < tolerance || iterations === maxIterations) break;

    const H = new Matrix(Array.from({ length: p }, (_, j) => Array.from(h.subarray(j * p, (j + 1) * p))));
    const g = Matrix.columnVector(Array.from(gradient));
    const cholesky = new CholeskyDecomposition(H);
    const step = (cholesky.isPositiveDefinite() ? cholesky.solve(g) : solve(H, g)).getColumn(0);

    // Backtracking line search. Near the optimum the objective's change drops below rounding
    // (it is a sum over every row), so a step within that noise is taken as it is.
    let t = 1;
    const candidate = new Float64Array(p);
    const candidateScores = new Float64Array(n);
    let slope = 0;
    for (let j = 0; j < p; j++) slope += gradient[j] * step[j];
    for (;;) {
      for (let j = 0; j < p; j++) candidate[j] = beta[j] - t * step[j];
      const next = objective(candidate, candidateScores);
      const withinRounding = Math.abs(next - value) <= 1e-12 * Math.abs(value);
      if (next <= value - 1e-4 * t * slope || withinRounding || t < 1e-10) {
        beta = candidate;
        scores.set(candidateScores);
        value = next;
        break;
      }
      t /= 2;
    }
  }

  if (!(gradientNorm < tolerance)) {
    throw new TrainingDataError(`logistic regression did not converge in ${maxIterations} Newton steps (gradient norm ${gradientNorm})`);
  }
  return {
    coefficients: Array.from(beta.subarray(0, d)),
    intercept: beta[d],
    iterations,
    gradientNorm,
    classWeights,
  };
}
