import { BANK_SCHEMA } from '../data/testing/bank-schema';
import { loadCsvDataset } from '../data/csv-dataset-loader';
import { monthLabel, monthSpan, monthsInRowOrder, shortMonthLabel } from './replay-calendar';

describe('monthsInRowOrder', () => {
  it('keeps the year while the month stays or moves on, and adds one when the month goes backwards', () => {
    expect(monthsInRowOrder(['may', 'may', 'jun', 'dec', 'mar', 'mar', 'nov', 'apr'], 2008)).toEqual([
      '2008-05',
      '2008-05',
      '2008-06',
      '2008-12',
      '2009-03',
      '2009-03',
      '2009-11',
      '2010-04',
    ]);
  });

  it('starts from the given year and copes with no rows', () => {
    expect(monthsInRowOrder(['jan'], 1999)).toEqual(['1999-01']);
    expect(monthsInRowOrder([], 2008)).toEqual([]);
  });

  it('refuses a month it does not know, naming the row', () => {
    expect(() => monthsInRowOrder(['may', 'May'], 2008)).toThrow("row 1: month 'May' is not one of jan, feb, mar");
  });

  it('gives the bank file the span it is known to have: May 2008 to November 2010 (Moro et al., 2014)', async () => {
    const data = await loadCsvDataset('data/bank-additional-full.csv', BANK_SCHEMA);
    const months = monthsInRowOrder(
      data.records.map((r) => r.month as string),
      2008,
    );
    expect(months[0]).toBe('2008-05');
    expect(months[months.length - 1]).toBe('2010-11');
    // Never backwards in time, and every year of the span present.
    expect(months.every((m, i) => i === 0 || m >= months[i - 1])).toBe(true);
    expect(new Set(months.map((m) => m.slice(0, 4)))).toEqual(new Set(['2008', '2009', '2010']));
    // The replay's first chunk (rows 10,000 to 11,999) is June 2008; March 2009 begins at row 27,690.
    expect(months[10_000]).toBe('2008-06');
    expect(months[27_689]).toBe('2008-12');
    expect(months[27_690]).toBe('2009-03');
  });
});

describe('month labels', () => {
  it('names a month, and spans within a year or across years', () => {
    expect(monthLabel('2008-05')).toBe('May 2008');
    expect(monthLabel('2010-11')).toBe('Nov 2010');
    expect(shortMonthLabel('2009-03')).toBe("Mar '09");
    expect(monthSpan('2008-05', '2008-05')).toBe('May 2008');
    expect(monthSpan('2008-05', '2008-07')).toBe('May-Jul 2008');
    expect(monthSpan('2008-12', '2009-03')).toBe('Dec 2008-Mar 2009');
  });
});
