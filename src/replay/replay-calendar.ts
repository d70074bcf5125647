import { Dataset } from '../data/dataset';
import { DatasetSchema } from '../data/dataset-schema';
/**
 * The bank file has no date column, but its rows are in call order from May 2008 to November 2010
 * (Moro et al., 2014) and each row carries the call's `month`. Walking the rows forward, the year
 * goes up whenever the month goes backwards (the file has no January or February, so no year is
 * skipped over without a row). That gives every row its calendar month.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

/** How the report says where its dates come from. */
export const CALENDAR_METHOD =
  "month and year of each row from the data's `month` column, walking forward in row order from the first year (the year goes up whenever the month goes backwards); the file has no day or year column";

/** Each row's month as 'YYYY-MM', from its `month` ('jan'..'dec') and the row order. */
export function monthsInRowOrder(months: readonly string[], firstYear: number): string[] {
  const out = new Array<string>(months.length);
  let year = firstYear;
  let previous = -1;
  months.forEach((name, i) => {
    const month = MONTHS.indexOf(name as (typeof MONTHS)[number]);
    if (month < 0) throw new Error(`row ${i}: month '${name}' is not one of ${MONTHS.join(', ')}`);
    if (month < previous) year++;
    previous = month;
    out[i] = `${year}-${String(month + 1).padStart(2, '0')}`;
  });
  return out;
}

const YEAR_MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' -> 'May 2008'; a period of another kind (a time value, a row number) as it is. */
export function monthLabel(yearMonth: string): string {
  if (!YEAR_MONTH.test(yearMonth)) return yearMonth;
  const [year, month] = yearMonth.split('-');
  const name = MONTHS[Number(month) - 1];
  return `${name[0].toUpperCase()}${name.slice(1)} ${year}`;
}

/** 'YYYY-MM' -> "May '08", for the chart's axis. */
export function shortMonthLabel(yearMonth: string): string {
  if (!YEAR_MONTH.test(yearMonth)) return yearMonth.slice(0, 10);
  const label = monthLabel(yearMonth);
  return `${label.slice(0, 3)} '${label.slice(-2)}`;
}

/** The months a range of rows spans: 'May 2008', 'May-Jun 2008' or 'Dec 2008-Mar 2009'. */
export function monthSpan(first: string, last: string): string {
  if (first === last) return monthLabel(first);
  if (!YEAR_MONTH.test(first) || !YEAR_MONTH.test(last)) return `${monthLabel(first)} to ${monthLabel(last)}`;
  const [a, b] = [monthLabel(first), monthLabel(last)];
  return first.slice(0, 4) === last.slice(0, 4) ? `${a.slice(0, 3)}-${b}` : `${a}-${b}`;
}

/**
 * Each row's period for the report, and how it was found: the schema's `row_months` (a month-name
 * column walked in row order, the bank file's case), else its `time` column (the year and month of
 * an ISO date, or the value itself), else the row number.
 */
export function rowPeriods(
  schema: Pick<DatasetSchema, 'rowMonths' | 'others'>,
  dataset: Pick<Dataset, 'records' | 'times'>,
): { periods: string[]; method: string } {
  if (schema.rowMonths) {
    const { column, firstYear } = schema.rowMonths;
    return {
      periods: monthsInRowOrder(
        dataset.records.map((r) => String(r[column])),
        firstYear,
      ),
      method: CALENDAR_METHOD.replace('`month`', `\`${column}\``).replace('the first year', `${firstYear}`),
    };
  }
  const time = schema.others.find((c) => c.role === 'time');
  if (time && dataset.times) {
    return {
      periods: dataset.times.map((t) => (/^\d{4}-\d{2}/.test(t) ? t.slice(0, 7) : t)),
      method: `each row's \`${time.name}\` column (year and month of an ISO date)`,
    };
  }
  return { periods: dataset.records.map((_, i) => `row ${i + 1}`), method: 'row numbers (the schema has no time column or row_months)' };
}
