import { DEFAULT_THRESHOLD, brierScore, evaluateProbabilities, rocAuc } from './metrics';

/**
 * Expected values computed with scikit-learn 1.2.1 (roc_auc_score, brier_score_loss,
 * accuracy/precision/recall/f1_score with zero_division=0 on predictions P > 0.5), printed with repr().
 */
const CASES = {
  simple: {
    y: [0, 0, 1, 1],
    p: [0.1, 0.4, 0.35, 0.8],
    sk: { roc_auc: 0.75, brier: 0.15812500000000002, accuracy: 0.75, precision: 1.0, recall: 0.5, f1: 0.6666666666666666 },
  },
  ties: {
    y: [0, 1, 0, 1, 1, 0, 1, 0],
    p: [0.2, 0.2, 0.5, 0.5, 0.9, 0.1, 0.5, 0.3],
    sk: { roc_auc: 0.78125, brier: 0.1925, accuracy: 0.625, precision: 1.0, recall: 0.25, f1: 0.4 },
  },
  allTied: {
    y: [0, 1, 1, 0, 1],
    p: [0.5, 0.5, 0.5, 0.5, 0.5],
    sk: { roc_auc: 0.5, brier: 0.25, accuracy: 0.4, precision: 0.0, recall: 0.0, f1: 0.0 },
  },
  manyTies: {
    y: [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1],
    p: [0.9, 0.1, 0.4, 0.4, 0.6, 0.7, 0.4, 0.2, 0.6, 0.1, 0.8, 0.4, 0.6, 0.3, 0.2, 0.7, 0.5, 0.5, 0.1, 0.9],
    sk: { roc_auc: 0.8333333333333334, brier: 0.16299999999999998, accuracy: 0.7, precision: 0.625, recall: 0.625, f1: 0.625 },
  },
};

describe('rocAuc', () => {
  it.each(Object.entries(CASES))('equals sklearn roc_auc_score on the %s case', (_name, { y, p, sk }) => {
    expect(rocAuc(y, p)).toBeCloseTo(sk.roc_auc, 14);
  });

  it('is 1 for a perfect ranking and 0 for a reversed one', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('gives a tie between a positive and a negative half credit', () => {
    expect(rocAuc([0, 1], [0.3, 0.3])).toBe(0.5);
    // positive 0.5 ties one negative and beats the other: (1 + 0.5) / 2
    expect(rocAuc([0, 1, 0], [0.5, 0.5, 0.1])).toBe(0.75);
  });

  it('depends only on the order of the scores, not on row order or scale', () => {
    const { y, p } = CASES.manyTies;
    const order = y.map((_, i) => i).reverse();
    expect(
      rocAuc(
        order.map((i) => y[i]),
        order.map((i) => p[i]),
      ),
    ).toBeCloseTo(CASES.manyTies.sk.roc_auc, 14);
    expect(
      rocAuc(
        y,
        p.map((v) => 10 * v - 3),
      ),
    ).toBeCloseTo(CASES.manyTies.sk.roc_auc, 14);
  });

  it('accepts typed arrays', () => {
    const { y, p, sk } = CASES.ties;
    expect(rocAuc(Uint8Array.from(y), Float64Array.from(p))).toBeCloseTo(sk.roc_auc, 14);
  });

  it('throws when only one class is present, as sklearn does', () => {
    expect(() => rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toThrow('ROC AUC is undefined with only one class present');
    expect(() => rocAuc([0, 0], [0.2, 0.5])).toThrow('ROC AUC is undefined with only one class present');
  });

  it('throws on mismatched lengths or no rows', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow('labels and scores differ in length');
    expect(() => rocAuc([], [])).toThrow('metrics need at least one row');
  });
});

describe('brierScore', () => {
  it.each(Object.entries(CASES))('equals sklearn brier_score_loss on the %s case', (_name, { y, p, sk }) => {
    expect(brierScore(y, p)).toBeCloseTo(sk.brier, 14);
  });

  it('is 0 for certain correct predictions and 1 for certain wrong ones', () => {
    expect(brierScore([1, 0], [1, 0])).toBe(0);
    expect(brierScore([1, 0], [0, 1])).toBe(1);
  });

  it('is defined for one class (unlike ROC AUC)', () => {
    expect(brierScore([1, 1], [0.5, 0.9])).toBeCloseTo((0.25 + 0.01) / 2, 15);
  });

  it('throws on mismatched lengths', () => {
    expect(() => brierScore([1], [0.5, 0.5])).toThrow('labels and scores differ in length');
  });
});

describe('evaluateProbabilities', () => {
  it('uses 0.5 as the default threshold', () => {
    expect(DEFAULT_THRESHOLD).toBe(0.5);
  });

  it.each(Object.entries(CASES))('equals sklearn on the %s case', (_name, { y, p, sk }) => {
    const m = evaluateProbabilities(y, p);
    expect(m.accuracy).toBeCloseTo(sk.accuracy, 14);
    expect(m.precision).toBeCloseTo(sk.precision, 14);
    expect(m.recall).toBeCloseTo(sk.recall, 14);
    expect(m.f1_score).toBeCloseTo(sk.f1, 14);
    expect(m.roc_auc).toBeCloseTo(sk.roc_auc, 14);
    expect(m.brier_score).toBeCloseTo(sk.brier, 14);
    expect(m.n).toBe(y.length);
  });

  it('counts a confusion matrix by hand: tp 2, fp 1, fn 1, tn 2', () => {
    const m = evaluateProbabilities([1, 1, 1, 0, 0, 0], [0.9, 0.6, 0.2, 0.7, 0.4, 0.1]);
    expect(m.accuracy).toBe(4 / 6);
    expect(m.precision).toBe(2 / 3);
    expect(m.recall).toBe(2 / 3);
    expect(m.f1_score).toBeCloseTo(2 / 3, 15);
    expect(m.positive_rate).toBe(0.5);
    expect(m.n).toBe(6);
  });

  describe('the threshold is strict: P(yes) > threshold predicts yes', () => {
    it('predicts no at exactly 0.5', () => {
      const m = evaluateProbabilities([1, 0], [0.5, 0.5]);
      expect(m.recall).toBe(0);
      expect(m.positive_rate).toBe(0);
      expect(m.accuracy).toBe(0.5);
    });

    it('predicts yes just above 0.5', () => {
      const m = evaluateProbabilities([1, 0], [0.5000000001, 0.5]);
      expect(m.recall).toBe(1);
      expect(m.precision).toBe(1);
      expect(m.accuracy).toBe(1);
    });

    it('honours a custom threshold, still strictly', () => {
      const y = [1, 1, 0, 0];
      const p = [0.3, 0.2, 0.2, 0.1];
      expect(evaluateProbabilities(y, p, 0.2)).toMatchObject({ precision: 1, recall: 0.5, positive_rate: 0.25 });
      expect(evaluateProbabilities(y, p, 0.15)).toMatchObject({ precision: 2 / 3, recall: 1, positive_rate: 0.75 });
    });
  });

  describe('zero division gives 0, as sklearn with zero_division=0', () => {
    it('precision, recall and f1 are 0 when nothing is predicted positive', () => {
      const m = evaluateProbabilities([1, 0, 1], [0.1, 0.2, 0.3]);
      expect(m).toMatchObject({ precision: 0, recall: 0, f1_score: 0, positive_rate: 0 });
      expect(m.accuracy).toBeCloseTo(1 / 3, 15);
    });

    it('f1 is 0 when precision and recall are both 0 (only false positives)', () => {
      const m = evaluateProbabilities([0, 0, 1], [0.9, 0.8, 0.1]);
      expect(m).toMatchObject({ precision: 0, recall: 0, f1_score: 0 });
      expect(Number.isNaN(m.f1_score)).toBe(false);
    });
  });

  it('throws when one class only is present (ROC AUC is undefined)', () => {
    expect(() => evaluateProbabilities([0, 0, 0], [0.1, 0.6, 0.9])).toThrow('ROC AUC is undefined with only one class present');
  });

  it('throws on mismatched lengths or no rows', () => {
    expect(() => evaluateProbabilities([0, 1], [0.1])).toThrow('labels and scores differ in length');
    expect(() => evaluateProbabilities([], [])).toThrow('metrics need at least one row');
  });
});
