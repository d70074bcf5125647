import { BANK_SCHEMA } from '../data/testing/bank-schema';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { FeatureRecord } from '../data/dataset-schema';

import { analyseSearchRows, featuresFor } from '../healing/challenger-candidates';
import { fitModelSpec } from '../training/fit-model-spec';
import { MODEL_SPEC_PRESETS } from '../training/model-spec';
import { policyMetrics } from './replay-metrics';
import { CandidateReport, ReplayFigures, bestCandidate, runReplay, ReplayData } from './replay-runner';
import { rowPeriods } from './replay-calendar';
import { ReplayTarget, ServedRows, StepResult } from './replay-target';

/** The drifted features each step reports, and the heal outcome of the second step. */
const DRIFTED = [['euribor3m', 'month'], [], ['age', 'job', 'nr_employed']];
const PRIOR = { ...MODEL_SPEC_PRESETS.prior };

/** A service that serves P(yes) = 0.1 and scripts what its monitoring and healing say. */
class ScriptedTarget implements ReplayTarget {
  readonly mode = 'in-process' as const;
  steps = 0;
  outcomes = 0;

  start(): Promise<string> {
    return Promise.resolve('v1');
  }

  predict(records: readonly FeatureRecord[]): Promise<ServedRows> {
    return Promise.resolve({
      requestIds: records.map((_, i) => `r${this.steps}-${i}`),
      probabilities: new Float64Array(records.length).fill(0.1),
      decisions: new Uint8Array(records.length),
      versions: records.map(() => (this.steps >= 2 ? 'v2' : 'v1')),
    });
  }

  sendOutcomes(requestIds: readonly string[]): Promise<void> {
    this.outcomes += requestIds.length;
    return Promise.resolve();
  }

  step(): Promise<StepResult> {
    const drifted = DRIFTED[this.steps++];
    const promoted = this.steps === 2;
    return Promise.resolve({
      drift: { verdict: 'drift', dataset_drift: true, drifted_features: drifted, share_drifted_features: drifted.length / 19 },
      status: 'drifting',
      heal: {
        action: promoted ? 'promoted' : 'skipped',
        reason: promoted ? 'challenger won' : 'not now',
        challenger: promoted ? 'v2' : null,
        active: promoted ? 'v2' : 'v1',
        gate: null,
        spec: promoted ? PRIOR : null,
        candidate: promoted ? 'prior/all/20000' : null,
      },
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('runReplay (a scripted service, the first 5,000 rows of the bank file: 2,000 initial, 3 chunks of 1,000)', () => {
  let data: ReplayData;
  let figures: ReplayFigures;
  let target: ScriptedTarget;
  const candidate = (name: string) => figures.candidates.find((c) => c.name === name)!;

  beforeAll(async () => {
    const full = await loadCsvDataset('data/bank-additional-full.csv', BANK_SCHEMA);
    data = {
      schema: BANK_SCHEMA,
      records: full.records.slice(0, 5000),
      labels: full.labels.slice(0, 5000),
      periods: rowPeriods(BANK_SCHEMA, full).periods.slice(0, 5000),
      calendarMethod: 'test',
    };
    target = new ScriptedTarget();
    figures = await runReplay(
      data,
      { initial: 2000, chunk: 1000, seed: 42, calibration: 'prior', specs: ['prior', 'one_hot'], search_windows: [5000] },
      target,
    );
  });

  it('predicts, labels and steps every chunk, and dates the chunks from the month column', () => {
    expect(target.steps).toBe(3);
    expect(target.outcomes).toBe(3000);
    expect(figures.chunks.map((c) => c.rows)).toEqual([
      [2000, 3000],
      [3000, 4000],
      [4000, 5000],
    ]);
    expect(figures.chunks.map((c) => c.months)).toEqual([
      { first: '2008-05', last: '2008-05' },
      { first: '2008-05', last: '2008-05' },
      { first: '2008-05', last: '2008-05' },
    ]);
    expect(figures.calendar.initial).toEqual({ first: '2008-05', last: '2008-05' });
    const yes = (from: number, to: number) => data.labels.slice(from, to).reduce((a, b) => a + b, 0);
    expect(figures.chunks[1].positive_rate).toBe(yes(3000, 4000) / 1000);
  });

  it('scores the healed side from what the service served', () => {
    const labels = data.labels.slice(3000, 4000);
    expect(figures.chunks[1].metrics.healed).toEqual(policyMetrics(labels, new Float64Array(1000).fill(0.1), new Uint8Array(1000)));
    expect(figures.overall.healed.n).toBe(3000);
    expect(figures.after_first_chunk.healed!.n).toBe(2000);
  });

  it('has a candidate per spec and feature set, all serving the first chunk with the initial model (as static does)', () => {
    expect(figures.candidates.map((c) => c.name)).toEqual(
      ['prior', 'one_hot'].flatMap((spec) =>
        ['all', 'without_time_level', 'without_drifted_numeric', 'without_drifted'].map((set) => `${spec}/${set}/10000`),
      ),
    );
    for (const c of figures.candidates) {
      expect(c.chunks[0]).toEqual(figures.chunks[0].metrics.static);
      expect(c.chunks).toHaveLength(3);
    }
  });

  it('refits each candidate after a step on the newest rows, leaving out what the rows show, as the search would', () => {
    // After step 1 the chunk just labelled (rows 2,000-3,000) is the newest, the rows before it the
    // older ones; the service's drift (scripted above) plays no part.
    const evidence = analyseSearchRows(BANK_SCHEMA.features, data.records, 0, 2000, 3000);
    expect(evidence.drifted.length).toBeGreaterThan(0);
    const c = candidate('one_hot/without_drifted/10000');
    const dropped = BANK_SCHEMA.featureNames.filter((f) => !featuresFor('without_drifted', evidence, BANK_SCHEMA.features).includes(f));
    expect(c.dropped_features[1]).toEqual(dropped);
    expect(c.dropped_features[0]).toEqual([]); // the first chunk: the initial model
    const fit = fitModelSpec({
      schema: BANK_SCHEMA,
      records: data.records.slice(0, 3000),
      labels: data.labels.slice(0, 3000),
      trainRows: Array.from({ length: 3000 }, (_, i) => i),
      spec: { ...MODEL_SPEC_PRESETS.one_hot, features: featuresFor('without_drifted', evidence, BANK_SCHEMA.features) },
      knownClasses: Object.fromEntries(
        BANK_SCHEMA.categoricalFeatures.map((name) => [name, [...new Set(data.records.map((r) => r[name] as string))]]),
      ),
    });
    const rows = data.records.slice(3000, 4000);
    const p = rows.map((r) => fit.model.probability(fit.preprocessor.transform(r)));
    const decisions = p.map((v) => (v > fit.model.threshold ? 1 : 0));
    expect(c.chunks[1]).toEqual(policyMetrics(data.labels.slice(3000, 4000), p, decisions));
  });

  it('leaves out the time-level features: in May 2008 euribor3m, which moves day by day while the other indicators hold', () => {
    const evidence = analyseSearchRows(BANK_SCHEMA.features, data.records, 0, 3000, 4000);
    expect(evidence.time_level).toEqual(['euribor3m']);
    expect(evidence.autocorrelation.nr_employed).toBeNull(); // one value all month: nothing to extrapolate
    expect(candidate('one_hot/without_time_level/10000').dropped_features[2]).toEqual(['euribor3m']);
    expect(candidate('one_hot/all/10000').dropped_features[2]).toEqual([]);
  });

  it('names as always_retrain_best the candidate with the lowest Brier after the first chunk, and reports its figures', () => {
    const lowest = Math.min(...figures.candidates.map((c) => c.after_first_chunk!.brier_score));
    const best = candidate(figures.always_retrain_best.candidate);
    expect(best.after_first_chunk!.brier_score).toBe(lowest);
    expect(figures.always_retrain_best.chosen_by).toMatch(/^lowest Brier over the rows after the first chunk/);
    expect(figures.after_first_chunk.always_retrain_best).toEqual(best.after_first_chunk);
    expect(figures.overall.always_retrain_best).toEqual(best.overall);
    expect(figures.chunks.map((c) => c.metrics.always_retrain_best)).toEqual(best.chunks);
  });

  it('records each decision with the spec and candidate of its challenger', () => {
    expect(figures.decisions).toEqual([
      { chunk: 1, action: 'promoted', version: 'v2', active: 'v2', reason: 'challenger won', spec: PRIOR, candidate: 'prior/all/20000' },
    ]);
    expect(figures.chunks[2].served_by).toEqual({ v2: 1000 });
  });
});

describe('bestCandidate', () => {
  const m = (brier_score: number) => ({
    n: 10,
    positives: 2,
    roc_auc: 0.7,
    f1_score: 0.3,
    brier_score,
    log_loss: 0.4,
    precision: 0.3,
    recall: 0.3,
  });
  const c = (name: string, overall: number, after: number | null) =>
    ({ name, overall: m(overall), after_first_chunk: after === null ? null : m(after) }) as CandidateReport;

  it('takes the lowest Brier after the first chunk, the first one on a tie', () => {
    expect(bestCandidate([c('a', 0.1, 0.2), c('b', 0.3, 0.15), c('c', 0.05, 0.15)]).best.name).toBe('b');
  });

  it('takes all rows when there is only one chunk, and says so', () => {
    const { best, chosenBy } = bestCandidate([c('a', 0.1, null), c('b', 0.05, null)]);
    expect(best.name).toBe('b');
    expect(chosenBy).toBe('lowest Brier over all replayed rows (there is only one chunk), in hindsight, among 2 candidates');
  });

  it('needs a candidate', () => {
    expect(() => bestCandidate([])).toThrow('always_retrain_best needs at least one candidate spec');
  });
});
