import { FeatureRecord } from '../data/dataset-schema';
import { LabelledPrediction, buildChallengerData, holdoutSizeFor, rowsBeforeServed } from './challenger-data';

/** A record told apart by its age. */
function rec(age: number): FeatureRecord {
  return {
    age,
    job: 'admin.',
    marital: 'single',
    education: 'university.degree',
    default: 'no',
    housing: 'yes',
    loan: 'no',
    contact: 'cellular',
    month: 'may',
    day_of_week: 'mon',
    campaign: 1,
    pdays: 999,
    previous: 0,
    poutcome: 'nonexistent',
    emp_var_rate: 1.1,
    cons_price_idx: 93.994,
    cons_conf_idx: -36.4,
    euribor3m: 4.857,
    nr_employed: 5191,
  };
}

const ts = (i: number) => `2024-01-01T00:00:0${i}.000Z`;

/** Champion rows: ages 100..103, labels 0 1 0 1. */
const CHAMPION = { records: [100, 101, 102, 103].map(rec), labels: Uint8Array.from([0, 1, 0, 1]) };
/** Served rows s0..s5: ages 0..5, labels 1 0 1 1 0 0, timestamps second 0..5. */
const SERVED_LABELS = [1, 0, 1, 1, 0, 0] as const;
const SERVED: LabelledPrediction[] = SERVED_LABELS.map((label, i) => ({ record: rec(i), label, timestamp: ts(i) }));

const ages = (records: FeatureRecord[]) => records.map((r) => r.age);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('buildChallengerData', () => {
  describe('append', () => {
    it('holds out the newest holdoutShare of the served rows and trains on the champion rows plus the rest', () => {
      // holdout = ceil(6 * 0.5) = 3: s3, s4, s5; fresh = s0, s1, s2
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([100, 101, 102, 103, 0, 1, 2, 3, 4, 5]);
      expect(Array.from(data.labels)).toEqual([0, 1, 0, 1, 1, 0, 1, 1, 0, 0]);
      expect(data.labels).toBeInstanceOf(Uint8Array);
      expect(data.split).toEqual({ train: range(0, 7), validation: [7, 8, 9], test: [7, 8, 9] });
      expect(data.holdout).toEqual(SERVED.slice(3));
      expect(data.trainedUntil).toBe(ts(2));
      expect(data.counts).toEqual({ champion_rows: 4, served_rows: 3, train: 7, holdout: 3 });
    });

    it('labels in the split line up with the records they came from', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 });
      for (const i of data.split.validation) {
        const served = SERVED.find((p) => p.record.age === data.records[i].age)!;
        expect(data.labels[i]).toBe(served.label);
      }
    });

    it('rounds the holdout size up', () => {
      // ceil(6 * 0.25) = ceil(1.5) = 2
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.25 });
      expect(ages(data.holdout.map((p) => p.record))).toEqual([4, 5]);
      expect(data.counts).toEqual({ champion_rows: 4, served_rows: 4, train: 8, holdout: 2 });
      expect(data.trainedUntil).toBe(ts(3));
      // ceil(6 * 0.1) = ceil(0.6) = 1
      expect(buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.1 }).counts.holdout).toBe(1);
    });

    it('takes the holdout share of the newCount newest rows only', () => {
      // newCount 4: holdout = ceil(4 * 0.5) = 2 -> s4, s5; s0..s3 train
      const four = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 }, 4);
      expect(ages(four.holdout.map((p) => p.record))).toEqual([4, 5]);
      expect(four.trainedUntil).toBe(ts(3));
      expect(four.counts).toEqual({ champion_rows: 4, served_rows: 4, train: 8, holdout: 2 });
      expect(four.split.validation).toEqual([8, 9]);
      // newCount 3: ceil(1.5) = 2; newCount 1: ceil(0.5) = 1
      expect(buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 }, 3).counts.holdout).toBe(2);
      const one = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 }, 1);
      expect(ages(one.holdout.map((p) => p.record))).toEqual([5]);
      expect(one.trainedUntil).toBe(ts(4));
    });

    it('caps newCount at the number of served rows', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 }, 60);
      expect(data.counts.holdout).toBe(3);
    });

    it('with newCount 0 holds nothing out and trains on everything', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 }, 0);
      expect(data.holdout).toEqual([]);
      expect(data.split).toEqual({ train: range(0, 10), validation: [], test: [] });
      expect(data.trainedUntil).toBe(ts(5));
      expect(data.counts).toEqual({ champion_rows: 4, served_rows: 6, train: 10, holdout: 0 });
    });

    it('with holdoutShare 1 holds every new row out: trains on the champion rows, trainedUntil null', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 1 });
      expect(ages(data.records)).toEqual([100, 101, 102, 103, 0, 1, 2, 3, 4, 5]);
      expect(data.split.train).toEqual([0, 1, 2, 3]);
      expect(data.split.validation).toEqual([4, 5, 6, 7, 8, 9]);
      expect(data.trainedUntil).toBeNull();
      expect(data.counts).toEqual({ champion_rows: 4, served_rows: 0, train: 4, holdout: 6 });
    });

    it('ignores the window', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 2, holdoutShare: 0.5 });
      expect(data.counts.train).toBe(7);
    });

    it('with no served rows: the champion rows only, no holdout, trainedUntil null', () => {
      const data = buildChallengerData(CHAMPION, [], { strategy: 'append', window: 1000, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([100, 101, 102, 103]);
      expect(Array.from(data.labels)).toEqual([0, 1, 0, 1]);
      expect(data.split).toEqual({ train: [0, 1, 2, 3], validation: [], test: [] });
      expect(data.holdout).toEqual([]);
      expect(data.trainedUntil).toBeNull();
      expect(data.counts).toEqual({ champion_rows: 4, served_rows: 0, train: 4, holdout: 0 });
    });

    it('with no champion rows: the served rows only', () => {
      const data = buildChallengerData({ records: [], labels: [] }, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(data.counts).toEqual({ champion_rows: 0, served_rows: 3, train: 3, holdout: 3 });
    });

    it('leaves its inputs untouched', () => {
      const champion = { records: [...CHAMPION.records], labels: Uint8Array.from(CHAMPION.labels) };
      const served = [...SERVED];
      buildChallengerData(champion, served, { strategy: 'window', window: 3, holdoutShare: 0.5 });
      expect(ages(champion.records)).toEqual([100, 101, 102, 103]);
      expect(Array.from(champion.labels)).toEqual([0, 1, 0, 1]);
      expect(served).toEqual(SERVED);
    });
  });

  describe('window', () => {
    it('keeps only the newest `window` training rows, taking champion rows from the oldest end', () => {
      // training rows (oldest first): 100 101 102 103 0 1 2 (7); window 5 keeps 102 103 0 1 2
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'window', window: 5, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([102, 103, 0, 1, 2, 3, 4, 5]);
      expect(Array.from(data.labels)).toEqual([0, 1, 1, 0, 1, 1, 0, 0]);
      expect(data.split).toEqual({ train: [0, 1, 2, 3, 4], validation: [5, 6, 7], test: [5, 6, 7] });
      expect(data.counts).toEqual({ champion_rows: 2, served_rows: 3, train: 5, holdout: 3 });
      expect(data.trainedUntil).toBe(ts(2));
    });

    it('never cuts into the holdout, and drops every champion row when the window is smaller than the new rows', () => {
      // window 2 keeps s1, s2 of the fresh rows
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'window', window: 2, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([1, 2, 3, 4, 5]);
      expect(Array.from(data.labels)).toEqual([0, 1, 1, 0, 0]);
      expect(data.split).toEqual({ train: [0, 1], validation: [2, 3, 4], test: [2, 3, 4] });
      expect(data.counts).toEqual({ champion_rows: 0, served_rows: 2, train: 2, holdout: 3 });
      expect(data.trainedUntil).toBe(ts(2));
    });

    it('with a window exactly the size of the fresh rows keeps them all and no champion row', () => {
      const data = buildChallengerData(CHAMPION, SERVED, { strategy: 'window', window: 3, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(data.counts).toEqual({ champion_rows: 0, served_rows: 3, train: 3, holdout: 3 });
    });

    it('with a window larger than everything behaves like append', () => {
      const windowed = buildChallengerData(CHAMPION, SERVED, { strategy: 'window', window: 1000, holdoutShare: 0.5 });
      const appended = buildChallengerData(CHAMPION, SERVED, { strategy: 'append', window: 1000, holdoutShare: 0.5 });
      expect(ages(windowed.records)).toEqual(ages(appended.records));
      expect(windowed.split).toEqual(appended.split);
      expect(windowed.counts).toEqual(appended.counts);
    });

    it('with no served rows keeps the newest champion rows', () => {
      const data = buildChallengerData(CHAMPION, [], { strategy: 'window', window: 3, holdoutShare: 0.5 });
      expect(ages(data.records)).toEqual([101, 102, 103]);
      expect(Array.from(data.labels)).toEqual([1, 0, 1]);
      expect(data.split).toEqual({ train: [0, 1, 2], validation: [], test: [] });
      expect(data.counts).toEqual({ champion_rows: 3, served_rows: 0, train: 3, holdout: 0 });
      expect(data.trainedUntil).toBeNull();
    });
  });
});

describe('holdoutSizeFor', () => {
  /** 100 served rows, newest last: a yes every 10th row counted from the newest (rows 99, 89, ...). */
  const served: LabelledPrediction[] = Array.from({ length: 100 }, (_, i) => ({
    record: rec(i),
    label: (99 - i) % 10 === 0 ? 1 : 0,
    timestamp: ts(0),
  }));
  const share = { holdoutShare: 0.3 };

  it('holds out the share of the new labels when they hold enough of each outcome', () => {
    // The newest 30 of 100 new labels hold 3 yes and 27 no.
    expect(holdoutSizeFor(served, 100, { ...share, minPositives: 3, minNegatives: 20 })).toBe(30);
    expect(holdoutSizeFor(served, 100, share)).toBe(30);
  });

  it('takes as many of the newest as it needs to reach both minimums', () => {
    // 5 yes are in the newest 41 rows (rows 99, 89, 79, 69, 59).
    expect(holdoutSizeFor(served, 100, { ...share, minPositives: 5, minNegatives: 20 })).toBe(41);
    expect(holdoutSizeFor(served, 100, { ...share, minPositives: 1, minNegatives: 35 })).toBe(39);
  });

  it('never takes more than the new labels, even when they fall short', () => {
    expect(holdoutSizeFor(served, 50, { ...share, minPositives: 20, minNegatives: 20 })).toBe(50);
  });

  it('is what buildChallengerData holds out', () => {
    const data = buildChallengerData(
      CHAMPION,
      served,
      { strategy: 'append', window: 1000, ...share, minPositives: 5, minNegatives: 20 },
      100,
    );
    expect(data.holdout).toHaveLength(41);
    expect(data.holdout.map((p) => p.record.age)).toEqual(range(59, 100));
    expect(data.counts.holdout).toBe(41);
  });
});

describe('rowsBeforeServed', () => {
  it("takes the served history when it holds at least as many rows as the champion's own, else the champion's rows", () => {
    const history = rowsBeforeServed(CHAMPION, SERVED.slice(0, 5));
    expect(history.source).toBe('history');
    expect(ages(history.records as FeatureRecord[])).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(history.labels)).toEqual([1, 0, 1, 1, 0]);
    // A champion trained on more rows than the history still holds (or on a file): its own rows.
    const own = rowsBeforeServed(CHAMPION, SERVED.slice(0, 3));
    expect(own.source).toBe('champion');
    expect(ages(own.records as FeatureRecord[])).toEqual([100, 101, 102, 103]);
  });
});
