import { PolicyMetrics, PolicyTrack, meanChunkRocAuc, policyMetrics } from './replay-metrics';

describe('policyMetrics', () => {
  /*
   * y = [0, 0, 1, 1, 1, 0], p = [0.2, 0.7, 0.6, 0.4, 0.9, 0.1]
   * ROC-AUC: positives 0.6, 0.4, 0.9 vs negatives 0.2, 0.7, 0.1
   *   0.6 beats 0.2, 0.1 (2); 0.4 beats 0.2, 0.1 (2); 0.9 beats all three (3) -> 7/9
   * Brier: (0.04 + 0.49 + 0.16 + 0.36 + 0.01 + 0.01) / 6 = 1.07 / 6 = 0.178333...
   * decisions at threshold 0.5: "yes" for 0.7 (FP), 0.6 (TP), 0.9 (TP); 0.4 is a FN
   *   precision 2/3, recall 2/3, F1 2/3
   * log loss: -(ln 0.8 + ln 0.3 + ln 0.6 + ln 0.4 + ln 0.9 + ln 0.9) / 6
   *   = (0.223144 + 1.203973 + 0.510826 + 0.916291 + 0.105361 + 0.105361) / 6 = 3.064954 / 6 = 0.510826
   */
  const Y = [0, 0, 1, 1, 1, 0];
  const P = [0.2, 0.7, 0.6, 0.4, 0.9, 0.1];
  const at = (threshold: number, p: number[]) => p.map((v) => (v > threshold ? 1 : 0));
  const D = at(0.5, P);

  it('matches hand-computed values', () => {
    const m = policyMetrics(Y, P, D);
    expect(m.n).toBe(6);
    expect(m.positives).toBe(3);
    expect(m.roc_auc).toBeCloseTo(7 / 9, 14);
    expect(m.brier_score).toBeCloseTo(1.07 / 6, 14);
    expect(m.precision).toBeCloseTo(2 / 3, 14);
    expect(m.recall).toBeCloseTo(2 / 3, 14);
    expect(m.f1_score).toBeCloseTo(2 / 3, 14);
    expect(m.log_loss).toBeCloseTo(0.510826, 6);
    expect(m.log_loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.3) + Math.log(0.6) + Math.log(0.4) + 2 * Math.log(0.9)) / 6, 14);
    expect(Object.keys(m).sort()).toEqual(['brier_score', 'f1_score', 'log_loss', 'n', 'positives', 'precision', 'recall', 'roc_auc']);
  });

  it('takes F1, precision and recall from the given decisions, ROC-AUC and Brier from P(yes)', () => {
    // decisions at threshold 0.3: "yes" for 0.7 (FP), 0.6, 0.4, 0.9 (TP) -> precision 3/4, recall 1, F1 = 1.5/1.75 = 6/7
    const m = policyMetrics(Y, P, at(0.3, P));
    expect(m.precision).toBeCloseTo(0.75, 14);
    expect(m.recall).toBe(1);
    expect(m.f1_score).toBeCloseTo(6 / 7, 14);
    expect(m.roc_auc).toBeCloseTo(7 / 9, 14);
    expect(m.brier_score).toBeCloseTo(1.07 / 6, 14);
  });

  it('scores "no" decisions as such', () => {
    // y = [1, 0], p = [0.5, 0.2], both decided "no" -> precision 0, recall 0, F1 0
    const m = policyMetrics([1, 0], [0.5, 0.2], [0, 0]);
    expect(m).toEqual({
      n: 2,
      positives: 1,
      roc_auc: 1,
      f1_score: 0,
      brier_score: expect.closeTo((0.25 + 0.04) / 2, 14),
      log_loss: expect.closeTo(-(Math.log(0.5) + Math.log(0.8)) / 2, 14),
      precision: 0,
      recall: 0,
    });
  });

  it('accepts typed arrays', () => {
    const m = policyMetrics(Uint8Array.from(Y), Float64Array.from(P), Uint8Array.from(D));
    expect(m.roc_auc).toBeCloseTo(7 / 9, 14);
    expect(m.positives).toBe(3);
  });

  it('gives roc_auc null for only "no" outcomes, but still F1, precision, recall and Brier', () => {
    // y = [0, 0, 0], p = [0.2, 0.6, 0.1]: one FP, no TP -> precision 0, recall 0/0 -> 0, F1 0
    // Brier = (0.04 + 0.36 + 0.01) / 3 = 0.41 / 3
    const m = policyMetrics([0, 0, 0], [0.2, 0.6, 0.1], [0, 1, 0]);
    expect(m.roc_auc).toBeNull();
    expect(m.positives).toBe(0);
    expect(m.n).toBe(3);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1_score).toBe(0);
    expect(m.brier_score).toBeCloseTo(0.41 / 3, 14);
  });

  it('gives roc_auc null for only "yes" outcomes, with F1 from the hard predictions', () => {
    // y = [1, 1], p = [0.8, 0.4]: TP 1, FN 1 -> precision 1, recall 1/2, F1 2/3; Brier (0.04 + 0.36) / 2 = 0.2
    const m = policyMetrics([1, 1], [0.8, 0.4], [1, 0]);
    expect(m.roc_auc).toBeNull();
    expect(m.positives).toBe(2);
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.5);
    expect(m.f1_score).toBeCloseTo(2 / 3, 14);
    expect(m.brier_score).toBeCloseTo(0.2, 14);
  });

  it('throws on no rows or mismatched lengths (as the metrics do)', () => {
    expect(() => policyMetrics([], [], [])).toThrow('metrics need at least one row');
    expect(() => policyMetrics([0, 1], [0.5], [0, 1])).toThrow('labels and scores differ in length');
    expect(() => policyMetrics([0, 1], [0.5, 0.5], [0])).toThrow('labels and scores differ in length');
  });

  it('clips P(yes) of 0 and 1 as scikit-learn does, so a confident wrong answer costs 36.04, not infinity', () => {
    // y = [1, 0], p = [0, 1]: both wrong with certainty -> -ln(2.22e-16) = 36.0437 each
    expect(policyMetrics([1, 0], [0, 1], [0, 1]).log_loss).toBeCloseTo(-Math.log(Number.EPSILON), 10);
    expect(policyMetrics([1, 0], [1, 0], [1, 0]).log_loss).toBeCloseTo(0, 10);
  });
});

describe('meanChunkRocAuc', () => {
  const m = (roc_auc: number | null) => ({ roc_auc }) as PolicyMetrics;

  it('averages the chunks that have a ROC-AUC and skips those that have none', () => {
    expect(meanChunkRocAuc([m(0.5), m(0.7), m(null), m(0.9)])).toBeCloseTo(0.7, 14);
  });

  it('is null when no chunk has one', () => {
    expect(meanChunkRocAuc([m(null)])).toBeNull();
    expect(meanChunkRocAuc([])).toBeNull();
  });
});

describe('PolicyTrack', () => {
  /*
   * chunk 1: y = [0, 1, 0], p = [0.9, 0.1, 0.2]  (ROC-AUC 0: the positive ranks below both negatives)
   * chunk 2: y = [1, 0, 1, 0], p = [0.8, 0.3, 0.6, 0.4] (ROC-AUC 1)
   * chunk 3: y = [1, 1], p = [0.7, 0.5] (one class: no ROC-AUC)
   */
  const chunks: Array<[number[], number[]]> = [
    [
      [0, 1, 0],
      [0.9, 0.1, 0.2],
    ],
    [
      [1, 0, 1, 0],
      [0.8, 0.3, 0.6, 0.4],
    ],
    [
      [1, 1],
      [0.7, 0.5],
    ],
  ];
  const decide = (p: number[]) => p.map((v) => (v > 0.5 ? 1 : 0));

  it('returns each chunk metrics as it adds them, and keeps them in order', () => {
    const track = new PolicyTrack();
    const added = chunks.map(([y, p]) => track.add(y, p, decide(p)));
    expect(added.map((c) => c.roc_auc)).toEqual([0, 1, null]);
    expect(track.chunks).toEqual(added);
  });

  it('pools every row for overall, the rows after the first chunk for after_first_chunk, and averages the chunk ROC-AUCs', () => {
    const track = new PolicyTrack();
    for (const [y, p] of chunks) track.add(y, p, decide(p));
    const summary = track.summary();
    const all = chunks.flatMap(([y]) => y);
    const allP = chunks.flatMap(([, p]) => p);
    expect(summary.overall).toEqual(policyMetrics(all, allP, decide(allP)));
    expect(summary.overall.n).toBe(9);
    // after the first chunk: y = [1, 0, 1, 0, 1, 1], p = [0.8, 0.3, 0.6, 0.4, 0.7, 0.5]: every positive above every negative
    expect(summary.after_first_chunk).toEqual(policyMetrics(all.slice(3), allP.slice(3), decide(allP.slice(3))));
    expect(summary.after_first_chunk!.n).toBe(6);
    expect(summary.after_first_chunk!.roc_auc).toBe(1);
    expect(summary.mean_chunk_roc_auc).toBe(0.5); // (0 + 1) / 2; chunk 3 has none
  });

  it('has no after_first_chunk with a single chunk', () => {
    const track = new PolicyTrack();
    track.add([0, 1], [0.2, 0.8], [0, 1]);
    expect(track.summary().after_first_chunk).toBeNull();
    expect(track.summary().overall.n).toBe(2);
  });
});
