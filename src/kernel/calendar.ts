import chineseDays from 'chinese-days';

/**
 * Chinese working days (工作日): weekends and public holidays are off, adjusted working days (调休上班, e.g. a
 * Sunday before National Day) are on. Holiday data comes from the maintained `chinese-days` package (State Council
 * notices; update the package each December when the next year's arrangement is published). For a year the package
 * does not cover yet, only weekends count as days off — `calendarCoveredUntil()` says how far the data goes.
 *
 * All dates are calendar dates 'YYYY-MM-DD' in China Standard Time (UTC+8, no daylight saving).
 */
const { isWorkday } = chineseDays;

const CST_OFFSET_MS = 8 * 3600_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar date in China of an instant. */
export function chinaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function assertDate(date: string): void {
  if (!DATE_RE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new Error(`not a date: ${date}`);
}

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string): boolean {
  assertDate(date);
  return isWorkday(date);
}

/**
 * The `n`-th working day after `date` (the day itself does not count): a review due "within 5 working days" of a
 * Friday submission is due on the following Friday, and a submission on the eve of National Day waits until after
 * the holiday. `n = 0` gives `date` when it is a working day, else the next working day.
 */
export function addWorkingDays(date: string, n: number): string {
  assertDate(date);
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, got ${n}`);
  let d = date;
  if (n === 0) {
    while (!isWorkday(d)) d = shift(d, 1);
    return d;
  }
  let left = n;
  while (left > 0) {
    d = shift(d, 1);
    if (isWorkday(d)) left--;
  }
  return d;
}

/** Working days in (from, to]: 0 when to ≤ from. Used for "overdue by N working days". */
export function workingDaysBetween(from: string, to: string): number {
  assertDate(from);
  assertDate(to);
  let count = 0;
  for (let d = shift(from, 1); d <= to; d = shift(d, 1)) if (isWorkday(d)) count++;
  return count;
}

/** The review deadline of something submitted at `at`: `days` working days after the submission date in China. */
export function deadlineFrom(at: Date, days: number): string {
  return addWorkingDays(chinaDate(at), days);
}

/** Last date the holiday data covers (later years fall back to weekends only). */
export function calendarCoveredUntil(): string {
  let year = Number(chinaDate().slice(0, 4)) + 2;
  // Every covered year names National Day (国庆节) on 10-01; an uncovered one shows a plain weekday name.
  while (year > 2004 && !chineseDays.getDayDetail(`${year}-10-01`).name.includes('国庆')) year--;
  return `${year}-12-31`;
}
