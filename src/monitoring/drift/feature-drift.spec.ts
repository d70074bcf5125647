import { BANK_SCHEMA } from '../../data/testing/bank-schema';
import { DriftReportOffload } from './drift-report-offload';
import { packDriftWindow, unpackDriftWindow } from './packed-drift-window';
import { join } from 'node:path';
import { loadCsvDataset } from '../../data/csv-dataset-loader';
import { FeatureRecord } from '../../data/dataset-schema';
import { createSeededRandom, shuffleInPlace } from '../../preprocessing/seeded-random';
import { ReferenceStatistics, computeReferenceStatistics } from '../../training/reference-statistics';
import {
  CategoricalFeatureDrift,
  DriftWindow,
  FeatureDrift,
  NumericFeatureDrift,
  PredictionDrift,
  categoricalFeatureDrift,
  computeDriftReport,
  datasetDriftVerdict,
  numericFeatureDrift,
  predictionDrift,
} from './feature-drift';
import { ksTwoSample } from './kolmogorov-smirnov';

describe('numericFeatureDrift (hand-computed)', () => {
  const reference = {
    edges: [1, 2],
    proportions: [0.25, 0.5, 0.25],
    mean: 1,
    std: 1,
    min: 0,
    max: 2,
    sample: [0, 1, 1, 2],
  };

  it('bins the window with the reference edges (bisect right), then PSI, critical value and KS', () => {
    // 0, 0 -> bin 0; 1 -> bin 1 (1 <= v < 2); 3 -> bin 2: shares 0.5, 0.25, 0.25.
    const drift = numericFeatureDrift('x', reference, 100, new Float64Array([3, 0, 1, 0]));
    expect(drift.psi).toBeCloseTo(0.5 * Math.LN2, 15); // 0.25 ln 2 - 0.25 ln 0.5
    // scipy: chi2.ppf(0.99, 2) * (1/100 + 1/4)
    expect(drift.psi_critical).toBeCloseTo(2.394688496713807, 12);
    expect(drift.psi_threshold).toBe(drift.psi_critical);
    expect(drift.drifted).toBe(false);
    const ks = ksTwoSample([0, 1, 1, 2], [0, 0, 1, 3]); // scipy: statistic 0.25, p-value 1.0
    expect(drift.ks_statistic).toBe(ks.statistic);
    expect(drift.ks_statistic).toBeCloseTo(0.25, 15);
    expect(drift.ks_p_value).toBeCloseTo(1, 15);
    expect(drift).toMatchObject({
      feature: 'x',
      kind: 'numeric',
      window_size: 4,
      reference_size: 100,
      ks_reference_size: 4,
    });
  });

  it('rejects empty windows and non-finite values', () => {
    expect(() => numericFeatureDrift('x', reference, 100, [])).toThrow(RangeError);
    expect(() => numericFeatureDrift('x', reference, 100, [1, NaN])).toThrow(/'x'/);
  });
});

describe('categoricalFeatureDrift (hand-computed)', () => {
  it('puts values outside the reference in an extra floored bin and reports the unseen share', () => {
    const reference = { categories: ['a', 'b', 'c'], proportions: [0.5, 0.5, 0] };
    const drift = categoricalFeatureDrift('cat', reference, 1000, ['a', 'z', 'b', 'c', 'a']);
    // bins a, b, c, unseen: reference 0.5, 0.5, 0 -> 1e-4, 0 -> 1e-4; window 0.4, 0.2, 0.2, 0.2
    const expected = (0.4 - 0.5) * Math.log(0.8) + (0.2 - 0.5) * Math.log(0.4) + 2 * (0.2 - 1e-4) * Math.log(0.2 / 1e-4);
    expect(drift.psi).toBeCloseTo(expected, 14);
    expect(drift.psi).toBeCloseTo(3.3360423780185924, 14);
    // Two categories with a positive share: chi2.ppf(0.99, 1) * (1/1000 + 1/5)
    expect(drift.psi_critical).toBeCloseTo(1.3336142168052643, 12);
    expect(drift.drifted).toBe(true);
    // 'c' (share 0) and 'z' (unknown) are both unseen in training.
    expect(drift.unseen_share).toBeCloseTo(0.4, 15);
    // scipy.stats.chisquare([2, 1, 2], [0.5, 0.5, 1e-4] / 1.0001 * 5)
    expect(drift.chi2_statistic).toBeCloseTo(7997.8002, 6);
    expect(drift.chi2_df).toBe(2);
    expect(drift.chi2_p_value).toBeLessThan(1e-100);
    expect(drift).toMatchObject({ feature: 'cat', kind: 'categorical', window_size: 5, reference_size: 1000 });
  });
});

describe('predictionDrift (hand-computed)', () => {
  it('compares P(yes) with the reference score bins and the predicted positive rate', () => {
    const reference = { edges: [0.5], proportions: [0.8, 0.2], positive_rate: 0.2, actual_positive_rate: 0.1, n: 1000 };
    // 0.5 falls in the upper bin (bisect right); the served decisions say which were a "yes".
    const drift = predictionDrift(reference, new Float64Array([0.1, 0.5, 0.6, 0.7, 0.9]), new Uint8Array([0, 0, 1, 1, 1]));
    expect(drift.psi).toBeCloseTo(1.2 * Math.log(4), 14); // (0.2-0.8) ln 0.25 + (0.8-0.2) ln 4
    expect(drift.psi_critical).toBeCloseTo(1.3336142168052643, 12); // chi2.ppf(0.99, 1) * (1/1000 + 1/5)
    expect(drift.drifted).toBe(true); // 1.66 > max(0.1, 1.33)
    expect(drift.positive_rate).toBeCloseTo(0.6, 15);
    expect(drift.reference_positive_rate).toBe(0.2);
    expect(drift.positive_rate_change).toBeCloseTo(0.4, 15);
    expect(drift.window_size).toBe(5);
    expect(drift.reference_size).toBe(1000);
  });
});

describe('predictionDrift with decisions of another threshold', () => {
  it('counts the decisions served, not P(yes) > 0.5', () => {
    const reference = { edges: [0.5], proportions: [0.8, 0.2], positive_rate: 0.2, actual_positive_rate: 0.1, n: 1000 };
    // A calibrated version decided "yes" above 0.15.
    const drift = predictionDrift(reference, new Float64Array([0.1, 0.2, 0.3, 0.4]), new Uint8Array([0, 1, 1, 1]));
    expect(drift.positive_rate).toBeCloseTo(0.75, 15);
  });

  it('refuses decisions that do not match the predictions', () => {
    const reference = { edges: [0.5], proportions: [0.8, 0.2], positive_rate: 0.2, actual_positive_rate: 0.1, n: 1000 };
    expect(() => predictionDrift(reference, new Float64Array([0.1, 0.2]), new Uint8Array([0]))).toThrow('1 decisions for 2 predictions');
  });
});

describe('datasetDriftVerdict', () => {
  const feature = (name: string, drifted: boolean) => ({ feature: name, drifted }) as FeatureDrift;
  const prediction = (drifted: boolean) => ({ drifted }) as PredictionDrift;

  it('is drift when at least half the features drifted', () => {
    const v = datasetDriftVerdict(
      [feature('a', true), feature('b', true), feature('c', false), feature('d', false)],
      prediction(false),
      500,
    );
    expect(v).toMatchObject({
      verdict: 'drift',
      dataset_drift: true,
      n_drifted_features: 2,
      share_drifted_features: 0.5,
    });
    expect(v.drifted_features).toEqual(['a', 'b']);
  });

  it('is no drift below the share, unless the predictions drifted', () => {
    const features = [feature('a', true), feature('b', false), feature('c', false)];
    expect(datasetDriftVerdict(features, prediction(false), 500)).toMatchObject({
      verdict: 'no_drift',
      dataset_drift: false,
    });
    expect(datasetDriftVerdict(features, prediction(true), 500)).toMatchObject({
      verdict: 'drift',
      dataset_drift: true,
    });
  });

  it('says insufficient_data below the minimum window, whatever drifted', () => {
    const v = datasetDriftVerdict([feature('a', true)], prediction(true), 99);
    expect(v).toMatchObject({ verdict: 'insufficient_data', dataset_drift: false, min_window: 100 });
    expect(datasetDriftVerdict([feature('a', true)], null, 100)).toMatchObject({ verdict: 'drift' });
  });

  it('honours its options', () => {
    const features = [feature('a', true), feature('b', false), feature('c', false)];
    expect(datasetDriftVerdict(features, null, 500, { driftShare: 0.3 })).toMatchObject({
      verdict: 'drift',
      drift_share: 0.3,
    });
    expect(datasetDriftVerdict(features, null, 500, { minWindow: 1000 })).toMatchObject({
      verdict: 'insufficient_data',
    });
    // An unset setting keeps the default.
    expect(datasetDriftVerdict(features, null, 99, { minWindow: undefined })).toMatchObject({ min_window: 100 });
  });
});

describe('computeDriftReport on the Bank Marketing data', () => {
  /** A stand-in for the model: P(yes) falls with euribor3m and rises after a past success. */
  const score = (r: FeatureRecord) =>
    1 / (1 + Math.exp(-(-1.5 - 0.8 * ((r.euribor3m as number) - 3) + (r.poutcome === 'success' ? 2 : 0))));

  let train: FeatureRecord[];
  let reference: ReferenceStatistics;

  beforeAll(async () => {
    const dataset = await loadCsvDataset(join(__dirname, '../../../data/bank-additional.csv'), BANK_SCHEMA);
    const order = shuffleInPlace(
      dataset.records.map((_, i) => i),
      createSeededRandom(42),
    );
    const nTrain = Math.floor(0.7 * order.length);
    train = order.slice(0, nTrain).map((i) => dataset.records[i]);
    const validation = order.slice(nTrain).map((i) => dataset.records[i]);
    const classes: Record<string, string[]> = {};
    for (const f of BANK_SCHEMA.categoricalFeatures) classes[f] = [...new Set(dataset.records.map((r) => r[f] as string))].sort();
    reference = computeReferenceStatistics(
      BANK_SCHEMA,
      train,
      classes,
      validation.map(score),
      validation.map(() => 0),
      42,
      0.5,
    );
  });

  /** m training rows drawn with replacement, optionally altered, laid out in columns. */
  function windowOf(m: number, seed: number, alter?: (r: FeatureRecord, random: () => number) => FeatureRecord): DriftWindow {
    const random = createSeededRandom(seed);
    const numeric: Record<string, Float64Array> = {};
    const categorical: Record<string, string[]> = {};
    for (const f of BANK_SCHEMA.numericFeatures) numeric[f] = new Float64Array(m);
    for (const f of BANK_SCHEMA.categoricalFeatures) categorical[f] = new Array<string>(m);
    const probabilities = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      let r = train[Math.floor(random() * train.length)];
      if (alter) r = alter(r, random);
      for (const f of BANK_SCHEMA.numericFeatures) numeric[f][i] = r[f] as number;
      for (const f of BANK_SCHEMA.categoricalFeatures) categorical[f][i] = r[f] as string;
      probabilities[i] = score(r);
    }
    return { numeric, categorical, probabilities, decisions: Uint8Array.from(probabilities, (p) => (p > 0.5 ? 1 : 0)) };
  }

  const byName = (features: FeatureDrift[], name: string) => features.find((f) => f.feature === name)!;

  it('a window packed for a worker thread unpacks to the same columns', () => {
    const window = windowOf(300, 4);
    const unpacked = unpackDriftWindow(packDriftWindow(window));
    expect(unpacked.categorical).toEqual(window.categorical);
    expect(unpacked.numeric).toEqual(window.numeric);
    expect(Array.from(unpacked.probabilities)).toEqual(Array.from(window.probabilities));
  });

  it('the report the worker thread computes is the one computed here', async () => {
    const window = windowOf(3000, 9, (r, random) => ({ ...r, age: (r.age as number) + Math.round(random() * 20) }));
    const warnings: string[] = [];
    const offload = new DriftReportOffload(1, (m) => warnings.push(m));
    try {
      const fromWorker = await offload.report(reference, window, { psiFloor: 0.1 });
      expect(fromWorker).toEqual(JSON.parse(JSON.stringify(computeDriftReport(reference, window, { psiFloor: 0.1 }))));
      expect(fromWorker.drifted_features).toContain('age');
      expect(warnings).toEqual([]); // the worker answered: nothing fell back to this thread
    } finally {
      await offload.close();
    }
  }, 30_000);

  it('finds no drift in a window drawn from the training rows themselves', () => {
    const report = computeDriftReport(reference, windowOf(2000, 1), {}, BANK_SCHEMA.featureNames);
    expect(report.verdict).toBe('no_drift');
    expect(report.dataset_drift).toBe(false);
    expect(report.drifted_features).toEqual([]);
    expect(report.features.map((f) => f.feature)).toEqual([...BANK_SCHEMA.featureNames]);
    for (const f of report.features) {
      expect(f.psi).toBeLessThan(f.psi_critical);
      if (f.kind === 'numeric') expect(f.ks_p_value).toBeGreaterThan(0.01);
      else expect(f.unseen_share).toBe(0);
    }
    expect(report.prediction!.drifted).toBe(false);
    expect(Math.abs(report.prediction!.positive_rate_change)).toBeLessThan(0.02);
  });

  it('flags euribor3m all around 1.0 when training saw mostly 4-5, and the predictions with it', () => {
    const report = computeDriftReport(
      reference,
      windowOf(1000, 2, (r, random) => ({ ...r, euribor3m: 0.9 + 0.2 * random() })),
    );
    const euribor = byName(report.features, 'euribor3m') as NumericFeatureDrift;
    expect(euribor.drifted).toBe(true);
    expect(euribor.psi).toBeGreaterThan(1);
    expect(euribor.ks_statistic).toBeGreaterThan(0.5);
    expect(euribor.ks_p_value).toBeLessThan(1e-10);
    expect(report.drifted_features).toEqual(['euribor3m']);
    // One feature in 19 is below the drift share; the predictions moving makes it dataset drift.
    expect(report.prediction!.drifted).toBe(true);
    expect(report.prediction!.positive_rate_change).toBeGreaterThan(0.5);
    expect(report).toMatchObject({ verdict: 'drift', dataset_drift: true, n_drifted_features: 1 });
  });

  it('says insufficient_data for a 30-row window', () => {
    const report = computeDriftReport(
      reference,
      windowOf(30, 3, (r) => ({ ...r, euribor3m: 1 })),
    );
    expect(report).toEqual({
      verdict: 'insufficient_data',
      dataset_drift: false,
      window_size: 30,
      min_window: 100,
      drift_share: 0.5,
      n_features: 0,
      n_drifted_features: 0,
      share_drifted_features: 0,
      drifted_features: [],
      features: [],
      prediction: null,
    });
  });

  it('does not flag a tiny shift on a 10,000-row window: significant, but below the practical floor', () => {
    const report = computeDriftReport(
      reference,
      windowOf(10000, 3, (r) => ({ ...r, age: (r.age as number) + 1 })),
    );
    const age = byName(report.features, 'age') as NumericFeatureDrift;
    expect(age.psi).toBeGreaterThan(age.psi_critical); // more than noise ...
    expect(age.ks_p_value).toBeLessThan(0.001); // ... and KS agrees it is real
    expect(age.psi).toBeLessThan(0.1); // ... but too small to matter
    expect(age.psi_threshold).toBe(0.1);
    expect(age.drifted).toBe(false);
    expect(report.verdict).toBe('no_drift');
  });

  it('does not flag a moderate shift on a 150-row window whose PSI is within sampling noise', () => {
    const report = computeDriftReport(
      reference,
      windowOf(150, 17, (r) => ({ ...r, age: (r.age as number) + 2 })),
    );
    const age = byName(report.features, 'age') as NumericFeatureDrift;
    expect(age.psi).toBeGreaterThan(0.1); // a fixed 0.1 threshold would cry drift ...
    expect(age.psi).toBeLessThan(age.psi_critical); // ... but 150 rows give that by chance
    expect(age.psi_critical).toBeCloseTo(0.15195504870711068, 10); // chi2.ppf(0.99, 9) * (1/2883 + 1/150)
    expect(age.psi_threshold).toBe(age.psi_critical);
    expect(age.drifted).toBe(false);
    expect(report.verdict).toBe('no_drift');
  });

  it('reports unseen categories', () => {
    const report = computeDriftReport(
      reference,
      windowOf(200, 4, (r, random) => (random() < 0.25 ? { ...r, job: 'astronaut' } : r)),
    );
    const job = byName(report.features, 'job') as CategoricalFeatureDrift;
    expect(job.unseen_share).toBeGreaterThan(0.15);
    expect(job.unseen_share).toBeLessThan(0.35);
    expect(job.chi2_p_value).toBeLessThan(1e-10);
    expect(job.drifted).toBe(true);
  });

  it('is a plain JSON object with snake_case keys', () => {
    const report = computeDriftReport(reference, windowOf(500, 5));
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const keys = (value: unknown): string[] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...keys(v)])
        : [];
    for (const key of keys(report)) expect(key).toMatch(/^[a-z0-9_]+$/);
  });

  it('rejects a window with a missing or short column', () => {
    const window = windowOf(200, 6);
    const { age: _age, ...withoutAge } = window.numeric;
    expect(() => computeDriftReport(reference, { ...window, numeric: withoutAge })).toThrow(/'age'/);
    const short = { ...window, categorical: { ...window.categorical, job: window.categorical.job.slice(1) } };
    expect(() => computeDriftReport(reference, short)).toThrow(/'job'/);
  });
});
