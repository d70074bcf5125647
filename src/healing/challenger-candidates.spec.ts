import { BANK_SCHEMA } from '../data/testing/bank-schema';

import { featuresFor, searchCandidates } from './challenger-candidates';

const NOTHING = { time_level: [], drifted: [] };

describe('featuresFor', () => {
  const evidence = { time_level: ['euribor3m', 'nr_employed'], drifted: ['age', 'month', 'nr_employed'] };
  const without = (...names: string[]) => BANK_SCHEMA.featureNames.filter((f) => !names.includes(f));

  it('is a ladder of caution: all, without time-level, also without drifted numeric, also without every drifted', () => {
    expect(featuresFor('all', evidence, BANK_SCHEMA.features)).toEqual([...BANK_SCHEMA.featureNames]);
    expect(featuresFor('without_time_level', evidence, BANK_SCHEMA.features)).toEqual(without('euribor3m', 'nr_employed'));
    expect(featuresFor('without_drifted_numeric', evidence, BANK_SCHEMA.features)).toEqual(without('euribor3m', 'nr_employed', 'age'));
    expect(featuresFor('without_drifted', evidence, BANK_SCHEMA.features)).toEqual(without('euribor3m', 'nr_employed', 'age', 'month'));
  });
});

describe('searchCandidates', () => {
  it('crosses specs, distinct feature sets and windows, in that order, with names that say which', () => {
    const evidence = { time_level: ['euribor3m'], drifted: ['age', 'month'] };
    const candidates = searchCandidates(['prior', 'one_hot'], [5000, 10000], evidence, 50_000, BANK_SCHEMA.features);
    const sets = ['all', 'without_time_level', 'without_drifted_numeric', 'without_drifted'];
    expect(candidates.map((c) => c.name)).toEqual(
      ['prior', 'one_hot'].flatMap((spec) => sets.flatMap((set) => [`${spec}/${set}/5000`, `${spec}/${set}/10000`])),
    );
    expect(candidates[0].spec).toEqual({ encoding: 'ordinal', class_weight: 'balanced', C: 1, calibration: 'prior' });
    expect(candidates[14].spec.features).toEqual(BANK_SCHEMA.featureNames.filter((f) => !['euribor3m', 'age', 'month'].includes(f)));
    // Only the candidates with every feature keep the time-level one: the search asks them for more evidence.
    expect(candidates.filter((c) => c.time_level_kept!.length > 0).map((c) => c.name)).toEqual([
      'prior/all/5000',
      'prior/all/10000',
      'one_hot/all/5000',
      'one_hot/all/10000',
    ]);
    expect(candidates[8]).toMatchObject({ feature_set: 'all', time_level_kept: ['euribor3m'] });
  });

  it('offers only distinct feature sets: nothing time-level or drifted means all features alone', () => {
    expect(searchCandidates(['one_hot'], [5000], NOTHING, 50_000, BANK_SCHEMA.features).map((c) => c.name)).toEqual(['one_hot/all/5000']);
    // Only a category drifted: the numeric-only steps drop nothing, so they are not offered.
    expect(
      searchCandidates(['one_hot'], [5000], { time_level: [], drifted: ['month'] }, 50_000, BANK_SCHEMA.features).map((c) => c.name),
    ).toEqual(['one_hot/all/5000', 'one_hot/without_drifted/5000']);
  });

  it('clips windows to the rows there are, once', () => {
    expect(searchCandidates(['one_hot'], [5000, 10000, 20000], NOTHING, 8000, BANK_SCHEMA.features).map((c) => c.window)).toEqual([
      5000, 8000,
    ]);
  });

  it('records the procedures each fit stands for: a clipped window, or a set that drops nothing new, is several at once', () => {
    const candidates = searchCandidates(
      ['one_hot'],
      [5000, 10000, 20000],
      { time_level: ['euribor3m'], drifted: [] },
      8000,
      BANK_SCHEMA.features,
    );
    expect(candidates.map((c) => [c.name, c.procedures])).toEqual([
      ['one_hot/all/5000', ['one_hot/all/5000']],
      ['one_hot/all/8000', ['one_hot/all/10000', 'one_hot/all/20000']],
      [
        'one_hot/without_time_level/5000',
        ['one_hot/without_time_level/5000', 'one_hot/without_drifted_numeric/5000', 'one_hot/without_drifted/5000'],
      ],
      [
        'one_hot/without_time_level/8000',
        [
          'one_hot/without_time_level/10000',
          'one_hot/without_time_level/20000',
          'one_hot/without_drifted_numeric/10000',
          'one_hot/without_drifted_numeric/20000',
          'one_hot/without_drifted/10000',
          'one_hot/without_drifted/20000',
        ],
      ],
    ]);
  });

  it('names an unknown spec preset', () => {
    expect(() => searchCandidates(['gbm'], [5000], NOTHING, 100, BANK_SCHEMA.features)).toThrow(
      "unknown model spec preset 'gbm' (presets: original, prior, one_hot)",
    );
  });
});
