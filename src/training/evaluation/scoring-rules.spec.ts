import { LOG_LOSS_EPS, brierPerRow, logLoss, logLossPerRow, properScore } from './scoring-rules';

/** Reference values from scikit-learn 1.2.1 / numpy, printed with repr(). */
describe('logLoss', () => {
  // Includes 0 and 1 on both sides, so the clipping shows.
  const y = [0, 1, 1, 0, 1, 0, 1, 0];
  const p = [0.1, 0.9, 0.6, 0.4, 0.2, 0.0, 1.0, 1.0];

  it('equals sklearn.metrics.log_loss(y, p) with its default eps ("auto" = float64 eps)', () => {
    expect(logLoss(y, p)).toBeCloseTo(4.860682947549861, 13);
    expect(logLoss([0, 0, 1, 1, 0, 1], [0.05, 0.3, 0.7, 0.55, 0.5, 0.95])).toBeCloseTo(0.3511534429946886, 14);
  });

  it('per row equals -(y ln p + (1-y) ln(1-p)) on p clipped to [eps, 1-eps] (numpy)', () => {
    const expected = [
      0.10536051565782628, 0.10536051565782628, 0.5108256237659907, 0.5108256237659907, 1.6094379124341003, 2.2204460492503136e-16,
      2.2204460492503136e-16, 36.04365338911715,
    ];
    const rows = logLossPerRow(y, p);
    expected.forEach((value, i) => expect(rows[i]).toBeCloseTo(value, 13));
    expect(rows[7]).toBeCloseTo(-Math.log(LOG_LOSS_EPS), 12);
  });
});

describe('brierPerRow', () => {
  it('averages to sklearn.metrics.brier_score_loss', () => {
    const rows = brierPerRow([0, 1, 1, 0, 1, 0, 1, 0], [0.1, 0.9, 0.6, 0.4, 0.2, 0.0, 1.0, 1.0]);
    expect(Array.from(rows)).toEqual([
      0.010000000000000002, 0.009999999999999995, 0.16000000000000003, 0.16000000000000003, 0.6400000000000001, 0, 0, 1,
    ]);
    expect(properScore('brier', [0, 1, 1, 0, 1, 0, 1, 0], [0.1, 0.9, 0.6, 0.4, 0.2, 0.0, 1.0, 1.0])).toBeCloseTo(0.24750000000000003, 15);
  });
});

describe('input checks', () => {
  it('names the problem: lengths, labels, probabilities', () => {
    expect(() => logLoss([0, 1], [0.5])).toThrow('inputs differ in length (2 vs 1)');
    expect(() => logLoss([], [])).toThrow('at least one row');
    expect(() => logLoss([0, 2], [0.5, 0.5])).toThrow('label at row 1 is 2');
    expect(() => brierPerRow([0, 1], [0.5, 1.5])).toThrow('probability at row 1 is 1.5');
    expect(() => brierPerRow([0, 1], [NaN, 0.5])).toThrow('probability at row 0 is NaN');
  });
});
