import { FeatureRecord } from '../data/dataset-schema';
import { TIME_LEVEL_AUTOCORRELATION, analyseFeatures, categoricalShift, lagOneAutocorrelation, numericShift } from './feature-stability';

describe('lagOneAutocorrelation', () => {
  // Reference values: numpy, d = x - x.mean(); d[1:] @ d[:-1] / (d @ d) (statsmodels' acf, adjusted=False).
  it('agrees with the sample ACF at lag 1', () => {
    expect(lagOneAutocorrelation([1, 2, 3, 4, 5])).toBeCloseTo(0.4, 14);
    expect(lagOneAutocorrelation([1, -1, 1, -1, 1, -1])).toBeCloseTo(-0.8333333333333334, 14);
    // euribor3m as the calls met it: a few values, each held for a while.
    expect(lagOneAutocorrelation([4.857, 4.856, 4.856, 1.313, 1.313, 1.299, 0.72, 0.72, 0.72, 0.72])).toBeCloseTo(0.6546430178412911, 13);
    // ages of successive clients: nothing carries over.
    expect(lagOneAutocorrelation([39, 57, 37, 40, 56, 45, 59, 41, 24, 25, 29, 57, 35, 54, 35])).toBeCloseTo(0.00616028708133969, 14);
  });

  it('is null for a constant series or fewer than 3 values', () => {
    expect(lagOneAutocorrelation([5093.1, 5093.1, 5093.1, 5093.1])).toBeNull();
    expect(lagOneAutocorrelation([1, 2])).toBeNull();
  });
});

describe('numericShift and categoricalShift', () => {
  const older = Array.from({ length: 2000 }, (_, i) => i % 100);

  it('flags values moved out of the older range and not a resample of the same values', () => {
    const moved = numericShift(
      'x',
      older,
      Array.from({ length: 500 }, (_, i) => 150 + (i % 50)),
    );
    expect(moved.psi).toBeGreaterThan(moved.psi_threshold);
    const same = numericShift(
      'x',
      older,
      Array.from({ length: 500 }, (_, i) => (i * 7) % 100),
    );
    expect(same.psi).toBeLessThan(same.psi_threshold);
    expect(same.psi_threshold).toBe(0.1); // the floor: the sampling-noise PSI is smaller at these sizes
  });

  it('counts categories the older rows never had in a bin of their own', () => {
    const before = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 'a' : 'b'));
    const after = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 'new' : i % 2 === 0 ? 'a' : 'b'));
    const shift = categoricalShift('c', before, after);
    expect(shift.psi).toBeGreaterThan(shift.psi_threshold);
    expect(categoricalShift('c', before, before.slice(0, 400)).psi).toBeCloseTo(0, 12);
  });
});

describe('analyseFeatures', () => {
  /** 3,000 rows: `rate` held per "month" of 300 rows and falling, `age` varying by row, `kind` a category. */
  const records = Array.from(
    { length: 3000 },
    (_, i) =>
      ({
        rate: 5 - Math.floor(i / 300) * 0.4,
        age: 20 + ((i * 37) % 50),
        kind: i >= 2500 && i % 3 === 0 ? 'new' : i % 2 === 0 ? 'x' : 'y',
      }) as unknown as FeatureRecord,
  );
  const analysis = analyseFeatures({
    records,
    numeric: ['rate', 'age'],
    categorical: ['kind'],
    historyStart: 0,
    newestStart: 2500,
    newestEnd: 3000,
  });

  it('names the numeric features that move with time rather than with the row', () => {
    expect(analysis.autocorrelation.rate!).toBeGreaterThan(0.99);
    expect(Math.abs(analysis.autocorrelation.age!)).toBeLessThan(TIME_LEVEL_AUTOCORRELATION);
    expect(analysis.time_level).toEqual(['rate']);
  });

  it('names the features whose newest rows drifted from the rows before them, with their PSI', () => {
    expect(analysis.drifted).toEqual(['rate', 'kind']);
    expect(analysis.shifts.map((s) => s.feature)).toEqual(['rate', 'kind']);
    expect(analysis.rows).toEqual({ older: 2500, newest: 500 });
  });

  it('without older rows or newest rows, judges persistence only', () => {
    const noNewest = analyseFeatures({
      records,
      numeric: ['rate', 'age'],
      categorical: ['kind'],
      historyStart: 0,
      newestStart: 3000,
      newestEnd: 3000,
    });
    expect(noNewest.time_level).toEqual(['rate']);
    expect(noNewest.drifted).toEqual([]);
  });

  it('judges time-level features over every row a fit may use (levelEnd), drift over the newest labels only', () => {
    // `level` holds one value through row 2,800 and moves in the last 200 rows (the gate's holdout,
    // which the promoted refit learns from): constant over [0, 2800), a level over [0, 3000).
    const stepped = records.map((r, i) => ({ ...r, level: i < 2800 ? 1.4 : -0.1 }) as unknown as FeatureRecord);
    const input = { records: stepped, numeric: ['level', 'age'], categorical: [], historyStart: 0, newestStart: 2300, newestEnd: 2800 };
    const beforeHoldout = analyseFeatures(input);
    expect(beforeHoldout.autocorrelation.level).toBeNull();
    expect(beforeHoldout.time_level).toEqual([]);
    const withHoldout = analyseFeatures({ ...input, levelEnd: 3000 });
    expect(withHoldout.autocorrelation.level!).toBeGreaterThan(0.99);
    expect(withHoldout.time_level).toEqual(['level']);
    // The newest labels [2300, 2800) did not move: no drift, whatever levelEnd covers.
    expect(withHoldout.drifted).toEqual(beforeHoldout.drifted);
    expect(withHoldout.drifted).not.toContain('level');
    expect(() => analyseFeatures({ ...input, levelEnd: 2700 })).toThrow('feature analysis needs 0 <= 0 <= 2300 <= 2800 <= 2700 <= 3000');
  });

  it('rejects row ranges that do not fit the rows', () => {
    expect(() => analyseFeatures({ records, numeric: [], categorical: [], historyStart: 10, newestStart: 5, newestEnd: 20 })).toThrow(
      'feature analysis needs 0 <= 10 <= 5 <= 20 <= 20 <= 3000',
    );
  });
});
