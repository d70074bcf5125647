/**
 * Exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, P(D >= d), under the null
 * that both samples come from one continuous distribution: the share of the C(m + n, n) equally
 * likely merge orders whose ECDF difference reaches d. Same lattice-path methods as
 * scipy.stats.ks_2samp(method='exact') (Hodges 1958; Viehmann 2021 for the stable recursion), so the
 * results agree with scipy to rounding.
 *
 * D only takes values k / lcm(m, n); callers pass h = round(D * lcm(m, n)).
 */

/**
 * Equal sizes (m = n): P(D >= h/n) = 2 * sum_{k>=1} (-1)^(k+1) C(2n, n - kh) / C(2n, n) (the
 * reflection principle). Evaluated Horner-style as 2 A0 (1 - A1 (1 - A2 (...))) with
 * A_k = C(2n, n-(k+1)h) / C(2n, n-kh), each a product of h ratios, so nothing overflows or cancels.
 * O(n) work.
 */
export function probOutsideSquare(n: number, h: number): number {
  if (h <= 0) return 1;
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = (ratio * (n - k * h - j)) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return Math.min(Math.max(2 * p, 0), 1);
}

/**
 * Unequal sizes: walk the (m + 1) x (n + 1) lattice column by column. q(x, y) is the share of the
 * paths from (0, 0) to (x, y) that have left the band |x/m - y/n| < h / lcm; it is 1 outside the
 * band and inside it q(x, y) = (x q(x-1, y) + y q(x, y-1)) / (x + y), a convex combination, so the
 * recursion is numerically stable and needs no huge binomials. The p-value is q(m, n).
 *
 * Only the band is visited: about 2 D n cells per column, O(m * n * D) in all. One array holds the
 * current column in place: cells above the band are never written and stay 1, cells below it are
 * never read again. Columns are computed two at a time (column x + 1 trails column x by one cell),
 * which gives the CPU two independent chains of multiply-adds and nearly halves the time: this
 * loop is most of a drift report's cost.
 */
export function probOutsideBand(sizeA: number, sizeB: number, h: number): number {
  if (h <= 0) return 1;
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  // Cells of column x inside the band: ng*x - h < mg*y < ng*x + h, i.e. lowY(x) <= y < highY(x).
  const lowY = (x: number) => Math.min(Math.max(Math.floor((ng * x - h) / mg) + 1, 0), n);
  const highY = (x: number) => Math.min(Math.ceil((ng * x + h) / mg), n + 1);
  // 1 / (x + y) for every x + y on the walk: multiplication is cheaper than division in the loop.
  const reciprocal = new Float64Array(m + n + 2);
  for (let s = 1; s <= m + n + 1; s++) reciprocal[s] = 1 / s;

  const q = new Float64Array(n + 1).fill(1);
  // Column x = 0: the straight path up stays inside while y * mg < h.
  for (let y = 0; y < highY(0); y++) q[y] = 0;

  let x = 1;
  for (; x + 1 <= m; x += 2) {
    const lo0 = lowY(x);
    const hi0 = highY(x);
    const x1 = x + 1;
    const lo1 = lowY(x1);
    const hi1 = highY(x1);
    if (hi0 <= lo0 || hi1 <= lo1) return 1; // the band closed: every path leaves it
    // q of the cell just below each window: outside the band (1), or no such cell (weight 0).
    let c0 = lo0 === 0 ? 0 : 1;
    let c1 = lo1 === 0 ? 0 : 1;
    let y = lo0;
    // Column x alone, below column x + 1's window.
    for (const end = Math.min(hi0, lo1); y < end; y++) {
      const r = reciprocal[x + y];
      c0 = q[y] * x * r + c0 * (y * r);
    }
    // Both columns: column x's new cell feeds column x + 1's at the same height.
    for (y = lo1; y < hi0; y++) {
      const r0 = reciprocal[x + y];
      c0 = q[y] * x * r0 + c0 * (y * r0);
      const r1 = reciprocal[x1 + y];
      c1 = c0 * x1 * r1 + c1 * (y * r1);
      q[y] = c1;
    }
    // Column x + 1 alone, above column x's window (where column x is 1, as q[y] still holds).
    for (y = Math.max(lo1, hi0); y < hi1; y++) {
      const r = reciprocal[x1 + y];
      c1 = q[y] * x1 * r + c1 * (y * r);
      q[y] = c1;
    }
  }
  if (x === m) {
    // An odd column left over.
    const lo = lowY(x);
    const hi = highY(x);
    if (hi <= lo) return 1;
    let c = lo === 0 ? 0 : 1;
    for (let y = lo; y < hi; y++) {
      const r = reciprocal[x + y];
      c = q[y] * x * r + c * (y * r);
      q[y] = c;
    }
  }
  return Math.min(Math.max(q[n], 0), 1);
}

export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}
