import { createSeededRandom } from '../../preprocessing/seeded-random';
import { DEFAULT_GATE_RULES, GateRules, judgeChallenger } from './challenger-gate';
import { DEFAULT_WATCH_RULES, WatchRules, judgeWatch } from './watch-verdict';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * A seeded world (a holdout, or the rows a new champion served): a latent score x ~ N(0, 1),
 * outcomes drawn from P(yes) = sigmoid(intercept + x). Models are functions of x (and of extra
 * noise, which blurs their ranking). The gate and the watch share one judgement, so one world.
 */
function world(seed: number, n: number, intercept: number) {
  const random = createSeededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const x = Float64Array.from({ length: n }, gaussian);
  const noise = Float64Array.from({ length: n }, gaussian);
  const labels = Uint8Array.from(x, (v) => (random() < sigmoid(intercept + v) ? 1 : 0));
  const model = (f: (x: number, noise: number) => number) => Float64Array.from(x, (v, i) => sigmoid(f(v, noise[i])));
  return { labels, model };
}

/** Jest runs the seeded PRNG ~30x slower than node (Math.imul in its sandbox): only the spec of the defaults draws 2,000; the others draw 20 (no verdict here rests on the bootstrap unless it is chosen). */
const QUICK: GateRules = { ...DEFAULT_GATE_RULES, bootstrap: { resamples: 20, seed: 42 } };

describe('judgeChallenger', () => {
  it("promotes the issue's challenger: far better Brier, AUC a noisy 0.03 lower on ~25 positives", () => {
    // 600 holdout rows, 4% positives; the champion ranks by the true score but its P(yes) is far too high.
    const { labels, model } = world(1, 600, -3.6);
    const champion = model((x) => -3.6 + x + 4);
    const challenger = model((x, noise) => -3.6 + 0.9 * x + 0.6 * noise);
    const j = judgeChallenger({ labels, championProba: champion, challengerProba: challenger }, QUICK);
    expect(j.positives).toBe(24);
    expect(j.champion.brier).toBeGreaterThan(0.3);
    expect(j.challenger.brier).toBeLessThan(0.04);
    expect(j.roc_auc!.difference).toBeLessThan(-0.02); // the point difference the old gate rejected on
    expect(j.roc_auc!.standard_error).toBeGreaterThan(0.03);
    expect(j.verdict).toBe('promote');
    expect(j.loss!.interval.lower).toBeGreaterThan(0.2);
    expect(j.reasons[0]).toMatch(
      /^challenger Brier 0\.03\d\d vs champion 0\.3\d\d\d: gain 0\.\d{4}, paired_t 95% interval \[0\.\d{4}, 0\.\d{4}\] lies above 0$/,
    );
    expect(j.reasons[1]).toMatch(
      /^ROC-AUC difference -0\.0\d{3} \(DeLong 95% interval \[-0\.\d{4}, 0\.\d{4}\]\) is not significantly below 0$/,
    );
  });

  it('records every number an audit event needs, all JSON-safe', () => {
    const { labels, model } = world(1, 600, -3.6);
    const j = judgeChallenger({ labels, championProba: model((x) => x), challengerProba: model((x) => -3.6 + x) });
    expect(j).toMatchObject({ n: 600, positives: 24, negatives: 576, rules: DEFAULT_GATE_RULES });
    expect(Object.keys(j.champion)).toEqual(['brier', 'log_loss', 'roc_auc']);
    expect(j.loss).toMatchObject({
      score: 'brier',
      decided_by: 'paired_t',
      paired_t: { method: 'paired_t', n: 600, degrees_of_freedom: 599 },
      paired_bootstrap: { method: 'paired_bootstrap_percentile', resamples: 2000, seed: 42 },
    });
    expect(j.loss!.gain).toBeCloseTo(j.champion.brier - j.challenger.brier, 14);
    expect(j.roc_auc).toMatchObject({ method: 'delong_paired', n_positive: 24, n_negative: 576 });
    expect(typeof j.roc_auc!.p_value).toBe('number');
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('rejects a challenger not shown better on the proper score (a gain within the noise)', () => {
    const { labels, model } = world(2, 2000, -2);
    const champion = model((x) => -2 + x);
    const challenger = model((x, noise) => -2 + x + 0.05 * noise);
    const j = judgeChallenger({ labels, championProba: champion, challengerProba: challenger }, QUICK);
    expect(j.verdict).toBe('reject');
    expect(j.loss!.interval.lower).toBeLessThan(0);
    expect(j.reasons).toHaveLength(1);
    expect(j.reasons[0]).toMatch(
      /^challenger Brier 0\.\d{4} vs champion 0\.\d{4}: not shown better \(gain -?0\.\d{4}, paired_t 95% interval \[-0\.\d{4}, 0\.\d{4}\] does not lie above 0\)$/,
    );
  });

  describe("promoteWhen 'not_worse' (non-inferiority: a refresh is the better bet unless shown worse)", () => {
    const NOT_WORSE: GateRules = { ...QUICK, promoteWhen: 'not_worse' };

    it('promotes a challenger whose gain lies within the noise, which shown_better rejects', () => {
      const { labels, model } = world(2, 2000, -2);
      const holdout = { labels, championProba: model((x) => -2 + x), challengerProba: model((x, noise) => -2 + x + 0.05 * noise) };
      expect(judgeChallenger(holdout, QUICK).verdict).toBe('reject');
      const j = judgeChallenger(holdout, NOT_WORSE);
      expect(j.loss!.interval.lower).toBeLessThan(0);
      expect(j.loss!.interval.upper).toBeGreaterThan(0);
      expect(j.verdict).toBe('promote');
      expect(j.reasons[0]).toMatch(
        /^challenger Brier 0\.\d{4} vs champion 0\.\d{4}: not shown worse \(gain -?0\.\d{4}, paired_t 95% interval \[-0\.\d{4}, 0\.\d{4}\] reaches 0\.0000 or above\)$/,
      );
    });

    it('rejects a challenger shown worse on the proper score, saying so', () => {
      const { labels, model } = world(3, 3000, -2);
      const j = judgeChallenger(
        { labels, championProba: model((x) => -2 + x), challengerProba: model((x) => -2 + x + 1.5) }, // P(yes) far too high
        NOT_WORSE,
      );
      expect(j.loss!.interval.upper).toBeLessThan(0);
      expect(j.verdict).toBe('reject');
      expect(j.reasons[0]).toMatch(/: shown worse \(gain -0\.\d{4}, paired_t 95% interval \[-0\.\d{4}, -0\.\d{4}\] lies below 0\.0000\)$/);
    });

    it('the AUC guard still vetoes a challenger that ranks significantly worse', () => {
      const { labels, model } = world(4, 1000, -1);
      // Ranks mostly by noise, with P(yes) near the base rate: barely worse in Brier, far worse in ranking.
      const challenger = model((x, noise) => -1 + 0.3 * x + 0.3 * noise);
      const j = judgeChallenger({ labels, championProba: model((x) => -1 + x), challengerProba: challenger }, NOT_WORSE);
      expect(j.roc_auc!.interval.upper).toBeLessThan(0);
      expect(j.verdict).toBe('reject');
      expect(j.reasons.some((r) => /significantly below/.test(r))).toBe(true);
    });

    it('minLossGain is the margin of non-inferiority: a small shown loss within it still promotes', () => {
      const { labels, model } = world(5, 6000, -2);
      const holdout = { labels, championProba: model((x) => -2 + x), challengerProba: model((x) => -2 + x + 0.25) };
      const strict = judgeChallenger(holdout, NOT_WORSE);
      expect(strict.loss!.interval.upper).toBeLessThan(0);
      expect(strict.verdict).toBe('reject');
      expect(judgeChallenger(holdout, { ...NOT_WORSE, minLossGain: 0.01 }).verdict).toBe('promote');
    });
  });

  it('rejects a better-calibrated challenger that ranks significantly worse (the AUC guard)', () => {
    const { labels, model } = world(3, 3000, -2);
    const champion = model((x) => -2 + x + 2); // ranks well, P(yes) far too high
    const challenger = model((x, noise) => -2 + 0.1 * x + 0.1 * noise); // near the base rate: calibrated, ranks poorly
    const j = judgeChallenger({ labels, championProba: champion, challengerProba: challenger }, QUICK);
    expect(j.loss!.interval.lower).toBeGreaterThan(0); // the loss alone would promote
    expect(j.verdict).toBe('reject');
    expect(j.reasons).toHaveLength(1);
    expect(j.reasons[0]).toMatch(
      /^challenger ROC-AUC 0\.\d{4} is significantly below the champion's 0\.\d{4}: difference -0\.\d{4}, DeLong 95% interval \[-0\.\d{4}, -0\.\d{4}\] lies below 0 \(p = .+\)$/,
    );
  });

  it('gives both reasons when the challenger is worse on both', () => {
    const { labels, model } = world(4, 1000, -1);
    const j = judgeChallenger({ labels, championProba: model((x) => -1 + x), challengerProba: model((x) => 1 - x) }, QUICK);
    expect(j.verdict).toBe('reject');
    expect(j.reasons).toHaveLength(2);
  });

  it('tolerates a small significant AUC drop when aucTolerance allows it, and asks for a minimum gain', () => {
    const { labels, model } = world(5, 6000, -2);
    const champion = model((x) => -2 + x + 1);
    const challenger = model((x, noise) => -2 + x + 0.3 * noise);
    const strict = judgeChallenger({ labels, championProba: champion, challengerProba: challenger }, QUICK);
    expect(strict.verdict).toBe('reject');
    expect(strict.roc_auc!.interval.lower).toBeGreaterThan(-0.03);
    const tolerant = judgeChallenger({ labels, championProba: champion, challengerProba: challenger }, { ...QUICK, aucTolerance: 0.03 });
    expect(tolerant.verdict).toBe('promote');
    const demanding = judgeChallenger(
      { labels, championProba: champion, challengerProba: challenger },
      { ...QUICK, aucTolerance: 0.03, minLossGain: 0.5 },
    );
    expect(demanding.verdict).toBe('reject');
    expect(demanding.reasons[0]).toContain('does not lie above 0.5');
  });

  it('is insufficient evidence, not a rejection, with too few positives', () => {
    const { labels, model } = world(6, 600, -5.5);
    const j = judgeChallenger({ labels, championProba: model((x) => x), challengerProba: model((x) => -5.5 + x) }, QUICK);
    expect(j.positives).toBeLessThan(20);
    expect(j.verdict).toBe('insufficient_evidence');
    expect(j.reasons).toEqual([`${j.positives} positives, fewer than the 20 needed`]);
    expect(j.loss).not.toBeNull(); // the scores are still recorded
  });

  it('is insufficient evidence with too few negatives, and names both shortfalls when both fall short', () => {
    const { labels, model } = world(7, 600, 5.5);
    const j = judgeChallenger({ labels, championProba: model((x) => x), challengerProba: model((x) => 5.5 + x) }, QUICK);
    expect(j.verdict).toBe('insufficient_evidence');
    expect(j.reasons).toEqual([`${j.negatives} negatives, fewer than the 20 needed`]);
    const tiny = judgeChallenger({ labels: [1, 0, 1], championProba: [0.5, 0.5, 0.5], challengerProba: [0.9, 0.1, 0.8] });
    expect(tiny).toMatchObject({ verdict: 'insufficient_evidence', roc_auc: null });
    expect(tiny.reasons).toEqual(['2 positives, fewer than the 20 needed', '1 negatives, fewer than the 20 needed']);
  });

  it('can decide by log loss and by the bootstrap interval', () => {
    const { labels, model } = world(1, 600, -3.6);
    const rules: GateRules = { ...QUICK, bootstrap: { resamples: 200, seed: 42 }, score: 'log_loss', interval: 'paired_bootstrap' };
    const j = judgeChallenger({ labels, championProba: model((x) => -3.6 + x + 4), challengerProba: model((x) => -3.6 + x) }, rules);
    expect(j.verdict).toBe('promote');
    expect(j.loss!.decided_by).toBe('paired_bootstrap');
    expect(j.loss!.interval).toEqual(j.loss!.paired_bootstrap.interval);
    expect(j.loss!.gain).toBeCloseTo(j.champion.log_loss - j.challenger.log_loss, 13);
    expect(j.reasons[0]).toMatch(/^challenger log loss .* paired_bootstrap 95% interval/);
  });

  it('checks its inputs and rules', () => {
    expect(() => judgeChallenger({ labels: [0, 1], championProba: [0.2, 0.8], challengerProba: [0.3] })).toThrow('differ in length');
    expect(() => judgeChallenger({ labels: [0, 1], championProba: [0.2, 1.8], challengerProba: [0.3, 0.5] })).toThrow(
      'probability at row 1 is 1.8',
    );
    const bad = (rules: Partial<GateRules>) => () =>
      judgeChallenger({ labels: [0, 1], championProba: [0.2, 0.8], challengerProba: [0.3, 0.5] }, { ...DEFAULT_GATE_RULES, ...rules });
    expect(bad({ minPositives: 1 })).toThrow('minPositives must be an integer >= 2');
    expect(bad({ aucTolerance: -0.1 })).toThrow('aucTolerance must be >= 0');
    expect(bad({ confidence: 95 })).toThrow('confidence must be in (0, 1)');
  });
});

const QUICK_WATCH: WatchRules = { ...DEFAULT_WATCH_RULES, bootstrap: { resamples: 20, seed: 42 } };

describe('judgeWatch', () => {
  it('rolls back a new champion whose Brier is significantly worse than the previous one on the rows it served', () => {
    const { labels, model } = world(1, 1000, -2);
    const previous = model((x) => -2 + x);
    const current = model((x) => -2 + x + 1.5); // same ranking, P(yes) too high
    const j = judgeWatch({ labels, previousProba: previous, currentProba: current }, QUICK_WATCH);
    expect(j.verdict).toBe('rollback');
    expect(j.loss!.interval.upper).toBeLessThan(0);
    expect(j.roc_auc!.difference).toBe(0); // identical ranking: AUC cannot object
    expect(j.reasons).toHaveLength(1);
    expect(j.reasons[0]).toMatch(
      /^new champion Brier 0\.\d{4} vs previous 0\.\d{4} on 1000 rows: significantly worse \(previous - new -0\.\d{4}, paired_t 95% interval \[-0\.\d{4}, -0\.\d{4}\] lies below 0\)$/,
    );
    expect(j).toMatchObject({ n: 1000, rules: QUICK_WATCH });
    expect(j.current.brier).toBeGreaterThan(j.previous.brier);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('rolls back a new champion that ranks significantly worse, naming the AUC', () => {
    const { labels, model } = world(2, 2000, -1.5);
    const j = judgeWatch(
      { labels, previousProba: model((x) => -1.5 + x), currentProba: model((x, noise) => -1.5 + 0.3 * x + 0.3 * noise) },
      QUICK_WATCH,
    );
    expect(j.verdict).toBe('rollback');
    expect(j.roc_auc!.interval.upper).toBeLessThan(0);
    expect(
      j.reasons.some((r) => r.startsWith('new champion ROC-AUC 0.') && r.includes("significantly below the previous champion's")),
    ).toBe(true);
  });

  it('keeps a new champion that is not shown worse', () => {
    const { labels, model } = world(3, 1000, -2);
    const j = judgeWatch(
      { labels, previousProba: model((x) => -2 + x), currentProba: model((x, noise) => -2 + x + 0.05 * noise) },
      QUICK_WATCH,
    );
    expect(j.verdict).toBe('keep');
    expect(j.reasons).toHaveLength(2);
    expect(j.reasons[0]).toContain('not shown worse');
    expect(j.reasons[1]).toMatch(/^ROC-AUC difference -?0\.\d{4} \(DeLong 95% interval .*\) is not significantly below 0$/);
  });

  it('keeps, rather than rolls back, a champion worse by less than the tolerance', () => {
    const { labels, model } = world(4, 20000, -2);
    const previous = model((x) => -2 + x);
    const current = model((x) => -2 + x + 0.3);
    expect(judgeWatch({ labels, previousProba: previous, currentProba: current }, QUICK_WATCH).verdict).toBe('rollback');
    expect(judgeWatch({ labels, previousProba: previous, currentProba: current }, { ...QUICK_WATCH, lossTolerance: 0.01 }).verdict).toBe(
      'keep',
    );
  });

  it('is undecided (not yet) with too few positives or negatives', () => {
    const few = world(5, 300, -5);
    const j = judgeWatch({ labels: few.labels, previousProba: few.model((x) => -5 + x), currentProba: few.model((x) => x) }, QUICK_WATCH);
    expect(j.verdict).toBe('undecided');
    expect(j.reasons).toEqual([`${j.positives} positives, fewer than the 20 needed`]);
    const many = world(6, 300, 5);
    const k = judgeWatch({ labels: many.labels, previousProba: many.model((x) => 5 + x), currentProba: many.model((x) => x) }, QUICK_WATCH);
    expect(k.verdict).toBe('undecided');
    expect(k.reasons).toEqual([`${k.negatives} negatives, fewer than the 20 needed`]);
  });

  it('checks its rules', () => {
    const rows = { labels: [0, 1], previousProba: [0.2, 0.8], currentProba: [0.3, 0.5] };
    expect(() => judgeWatch(rows, { ...DEFAULT_WATCH_RULES, lossTolerance: -1 })).toThrow('lossTolerance must be >= 0');
    expect(() => judgeWatch(rows, { ...DEFAULT_WATCH_RULES, minNegatives: 2.5 })).toThrow('minNegatives must be an integer >= 2');
  });
});
