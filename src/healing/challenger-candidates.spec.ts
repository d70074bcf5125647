import { BANK_SCHEMA } from '../data/testing/bank-schema';

import { featuresFor, searchCandidates } from './challenger-candidates';

describe('featuresFor', () => {
  const drifted = ['euribor3m', 'month', 'nr_employed'];

  it('keeps every feature, drops the drifted numeric ones, or drops every drifted one', () => {
    expect(featuresFor('all', drifted, BANK_SCHEMA.features)).toEqual([...BANK_SCHEMA.featureNames]);
    expect(featuresFor('without_drifted_numeric', drifted, BANK_SCHEMA.features)).toEqual(
      BANK_SCHEMA.featureNames.filter((f) => f !== 'euribor3m' && f !== 'nr_employed'),
    );
    expect(featuresFor('without_drifted', drifted, BANK_SCHEMA.features)).toEqual(
      BANK_SCHEMA.featureNames.filter((f) => !drifted.includes(f)),
    );
  });
});

describe('searchCandidates', () => {
  it('crosses specs, distinct feature sets and windows, in that order, with names that say which', () => {
    const candidates = searchCandidates(['prior', 'one_hot'], [5000, 10000], ['euribor3m', 'month'], 50_000, BANK_SCHEMA.features);
    expect(candidates.map((c) => c.name)).toEqual([
      'prior/all/5000',
      'prior/all/10000',
      'prior/without_drifted_numeric/5000',
      'prior/without_drifted_numeric/10000',
      'prior/without_drifted/5000',
      'prior/without_drifted/10000',
      'one_hot/all/5000',
      'one_hot/all/10000',
      'one_hot/without_drifted_numeric/5000',
      'one_hot/without_drifted_numeric/10000',
      'one_hot/without_drifted/5000',
      'one_hot/without_drifted/10000',
    ]);
    expect(candidates[0].spec).toEqual({ encoding: 'ordinal', class_weight: 'balanced', C: 1, calibration: 'prior' });
    expect(candidates[10].spec.features).toEqual(BANK_SCHEMA.featureNames.filter((f) => f !== 'euribor3m' && f !== 'month'));
  });

  it('offers only distinct feature sets: nothing drifted means all features alone', () => {
    expect(searchCandidates(['one_hot'], [5000], [], 50_000, BANK_SCHEMA.features).map((c) => c.name)).toEqual(['one_hot/all/5000']);
    // Only a category drifted: dropping drifted numerics drops nothing, so that set is not offered.
    expect(searchCandidates(['one_hot'], [5000], ['month'], 50_000, BANK_SCHEMA.features).map((c) => c.name)).toEqual([
      'one_hot/all/5000',
      'one_hot/without_drifted/5000',
    ]);
  });

  it('clips windows to the rows there are, once', () => {
    expect(searchCandidates(['one_hot'], [5000, 10000, 20000], [], 8000, BANK_SCHEMA.features).map((c) => c.window)).toEqual([5000, 8000]);
  });

  it('names an unknown spec preset', () => {
    expect(() => searchCandidates(['gbm'], [5000], [], 100, BANK_SCHEMA.features)).toThrow(
      "unknown model spec preset 'gbm' (presets: original, prior, one_hot)",
    );
  });
});
