import { GateScores, decidePromotion, decideWatch, scoreOn } from './promotion-gate';

const scores = (roc_auc: number, brier_score: number, n = 100): GateScores => ({ roc_auc, brier_score, n });

describe('scoreOn', () => {
  it('computes ROC-AUC (ties half credit) and Brier worked out by hand', () => {
    // y = [0, 1, 0, 1, 1], p = [0.2, 0.6, 0.6, 0.9, 0.4]
    // positives 0.6, 0.9, 0.4 vs negatives 0.2, 0.6:
    //   0.6: beats 0.2 (1), ties 0.6 (0.5); 0.9: beats both (2); 0.4: beats 0.2 (1), loses to 0.6 (0)
    //   ROC-AUC = 4.5 / 6 = 0.75
    // Brier = (0.04 + 0.16 + 0.36 + 0.01 + 0.36) / 5 = 0.93 / 5 = 0.186
    const result = scoreOn([0, 1, 0, 1, 1], [0.2, 0.6, 0.6, 0.9, 0.4]);
    expect(result.roc_auc).toBeCloseTo(0.75, 14);
    expect(result.brier_score).toBeCloseTo(0.186, 14);
    expect(result.n).toBe(5);
  });

  it('accepts typed arrays', () => {
    // y = [1, 0, 1, 0], p = [0.9, 0.1, 0.3, 0.6]: 0.9 beats both, 0.3 beats 0.1 only -> 3/4
    // Brier = (0.01 + 0.01 + 0.49 + 0.36) / 4 = 0.2175
    const result = scoreOn(Uint8Array.from([1, 0, 1, 0]), Float64Array.from([0.9, 0.1, 0.3, 0.6]));
    expect(result).toEqual({ roc_auc: 0.75, brier_score: expect.closeTo(0.2175, 14), n: 4 });
  });

  it('gives 1 / 0 for a perfect / reversed ranking', () => {
    expect(scoreOn([0, 1], [0.2, 0.8]).roc_auc).toBe(1);
    expect(scoreOn([1, 0], [0.2, 0.8]).roc_auc).toBe(0);
    expect(scoreOn([1, 0], [0.2, 0.8]).brier_score).toBeCloseTo((0.64 + 0.64) / 2, 14);
  });

  it('throws on rows of one class (ROC-AUC undefined)', () => {
    expect(() => scoreOn([1, 1, 1], [0.2, 0.5, 0.9])).toThrow('only one class');
  });
});

describe('decidePromotion', () => {
  it('promotes when ROC-AUC gains at least minGain and Brier is not worse', () => {
    const champion = scores(0.7, 0.2);
    const challenger = scores(0.72, 0.18);
    expect(decidePromotion(champion, challenger, 0.01)).toEqual({
      promote: true,
      reason: 'challenger ROC-AUC 0.7200 beats 0.7000 by 0.0200, Brier 0.1800 <= 0.2000',
      champion,
      challenger,
      min_gain: 0.01,
    });
  });

  it('rejects a gain below minGain, naming both ROC-AUCs and the margin', () => {
    const decision = decidePromotion(scores(0.7, 0.2), scores(0.705, 0.1), 0.01);
    expect(decision.promote).toBe(false);
    expect(decision.reason).toBe("challenger ROC-AUC 0.7050 is not 0.01 above the champion's 0.7000");
    expect(decision.min_gain).toBe(0.01);
  });

  it('rejects a challenger that ranks worse', () => {
    const decision = decidePromotion(scores(0.8, 0.2), scores(0.6, 0.1), 0);
    expect(decision.promote).toBe(false);
    expect(decision.reason).toBe("challenger ROC-AUC 0.6000 is not 0 above the champion's 0.8000");
  });

  it('rejects a worse Brier score even with a large ROC-AUC gain', () => {
    const decision = decidePromotion(scores(0.7, 0.2), scores(0.8, 0.21), 0.01);
    expect(decision.promote).toBe(false);
    expect(decision.reason).toBe("challenger Brier 0.2100 is worse than the champion's 0.2000");
  });

  it('gives the ROC-AUC reason first when both fail', () => {
    const decision = decidePromotion(scores(0.7, 0.2), scores(0.7, 0.3), 0.01);
    expect(decision.reason).toMatch(/^challenger ROC-AUC 0\.7000 is not 0\.01 above/);
  });

  it('promotes with an equal Brier score ("no worse")', () => {
    const decision = decidePromotion(scores(0.7, 0.2), scores(0.75, 0.2), 0.01);
    expect(decision.promote).toBe(true);
    expect(decision.reason).toBe('challenger ROC-AUC 0.7500 beats 0.7000 by 0.0500, Brier 0.2000 <= 0.2000');
  });

  it('promotes when the gain equals minGain exactly (exactly representable values)', () => {
    // 0.75 - 0.5 = 0.25 exactly in binary floating point
    const decision = decidePromotion(scores(0.5, 0.2), scores(0.75, 0.2), 0.25);
    expect(decision.promote).toBe(true);
    expect(decision.reason).toBe('challenger ROC-AUC 0.7500 beats 0.5000 by 0.2500, Brier 0.2000 <= 0.2000');
  });

  it('rejects a gain short of minGain by more than rounding, and forgives rounding', () => {
    expect(decidePromotion(scores(0.5, 0.2), scores(0.75, 0.2), 0.25 + 1e-9).promote).toBe(false);
    expect(decidePromotion(scores(0.5, 0.2), scores(0.75, 0.2), 0.25 + Number.EPSILON).promote).toBe(true);
    // 0.70 - 0.65 is 0.04999999999999993 in floating point: still a gain of 0.05.
    expect(decidePromotion(scores(0.65, 0.2), scores(0.7, 0.2), 0.05).promote).toBe(true);
  });

  it('with minGain 0 promotes an equal ROC-AUC with a better Brier', () => {
    expect(decidePromotion(scores(0.7, 0.2), scores(0.7, 0.19), 0).promote).toBe(true);
  });

  it('carries both score sets in the decision', () => {
    const champion = scores(0.7, 0.2, 40);
    const challenger = scores(0.6, 0.3, 40);
    const decision = decidePromotion(champion, challenger, 0.01);
    expect(decision.champion).toBe(champion);
    expect(decision.challenger).toBe(challenger);
  });
});

describe('decideWatch', () => {
  it('rolls back when the new champion is more than minGain below the previous one', () => {
    // shortfall 0.8 - 0.7 = 0.1 > 0.05
    expect(decideWatch(scores(0.7, 0.2, 50), scores(0.8, 0.2, 50), 0.05)).toEqual({
      rollback: true,
      reason: "new champion ROC-AUC 0.7000 is 0.1000 below the previous champion's 0.8000 on the 50 rows it served",
    });
  });

  it('keeps a new champion that is only a little below', () => {
    // shortfall 0.02 <= 0.05
    expect(decideWatch(scores(0.78, 0.2, 50), scores(0.8, 0.2, 50), 0.05)).toEqual({
      rollback: false,
      reason: 'new champion ROC-AUC 0.7800 vs previous 0.8000 on 50 rows: kept',
    });
  });

  it('keeps a new champion whose shortfall equals minGain exactly', () => {
    // 0.75 - 0.5 = 0.25, not > 0.25
    expect(decideWatch(scores(0.5, 0.2, 10), scores(0.75, 0.2, 10), 0.25).rollback).toBe(false);
    expect(decideWatch(scores(0.5, 0.2, 10), scores(0.75, 0.2, 10), 0.25 - 1e-9).rollback).toBe(true);
  });

  it('keeps a new champion that does better, and ignores Brier', () => {
    expect(decideWatch(scores(0.9, 0.4, 10), scores(0.8, 0.1, 10), 0).rollback).toBe(false);
  });

  it('with minGain 0 rolls back on any shortfall', () => {
    expect(decideWatch(scores(0.79, 0.2, 10), scores(0.8, 0.2, 10), 0).rollback).toBe(true);
  });
});
