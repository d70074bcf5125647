/**
 * Checks shared by every function that scores P(yes) against 0/1 outcomes: a wrong input must fail
 * loudly with what is wrong and where, never turn into a NaN inside an audit event.
 */

export function assertSameLengths(what: string, ...arrays: ArrayLike<number>[]): number {
  const n = arrays[0].length;
  for (const array of arrays) {
    if (array.length !== n) throw new Error(`${what}: inputs differ in length (${arrays.map((a) => a.length).join(' vs ')})`);
  }
  if (n === 0) throw new Error(`${what}: needs at least one row`);
  return n;
}

export function assertBinaryLabels(what: string, labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${what}: label at row ${i} is ${labels[i]}, not 0 or 1`);
  }
}

export function assertProbabilities(what: string, probabilities: ArrayLike<number>): void {
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1)) throw new Error(`${what}: probability at row ${i} is ${p}, not in [0, 1]`);
  }
}

/** Labels 0/1 and one or more probability columns of the same length; returns the number of rows. */
export function assertLabelledProbabilities(what: string, labels: ArrayLike<number>, ...probabilities: ArrayLike<number>[]): number {
  const n = assertSameLengths(what, labels, ...probabilities);
  assertBinaryLabels(what, labels);
  for (const column of probabilities) assertProbabilities(what, column);
  return n;
}

export function countPositives(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  return positives;
}
