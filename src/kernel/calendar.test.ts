import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarCoveredUntil,
  chinaDate,
  deadlineFrom,
  isWorkingDay,
  workingDaysBetween,
} from './calendar.js';

describe('Chinese working days', () => {
  it('knows weekends, public holidays and adjusted working days (2026 arrangement)', () => {
    expect(isWorkingDay('2026-11-20')).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2026-10-07')).toBe(false); // still the Golden Week
    expect(isWorkingDay('2026-09-20')).toBe(true); // Sunday made a working day (调休)
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday made a working day (调休)
    expect(isWorkingDay('2026-02-17')).toBe(false); // Spring Festival
  });
  it('counts 5 working days over a plain week', () => {
    expect(addWorkingDays('2026-11-16', 5)).toBe('2026-11-23'); // Monday → next Monday
    expect(addWorkingDays('2026-11-20', 5)).toBe('2026-11-27'); // Friday → next Friday
    expect(addWorkingDays('2026-11-21', 5)).toBe('2026-11-27'); // submitted on a Saturday
  });
  it('skips National Day and counts the adjusted Saturday', () => {
    // Wed 30 Sep 2026: holiday 1–7 Oct, Thu 8 and Fri 9 work, Sat 10 Oct is an adjusted working day.
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
    expect(addWorkingDays('2026-09-30', 5)).toBe('2026-10-13');
  });
  it('n = 0 gives the day itself or the next working day', () => {
    expect(addWorkingDays('2026-11-20', 0)).toBe('2026-11-20');
    expect(addWorkingDays('2026-10-01', 0)).toBe('2026-10-08');
  });
  it('deadline uses the date in China (UTC+8)', () => {
    // 17:00 UTC on Friday is already Saturday 01:00 in Beijing.
    expect(chinaDate(new Date('2026-11-20T17:00:00Z'))).toBe('2026-11-21');
    expect(deadlineFrom(new Date('2026-11-20T15:00:00Z'), 5)).toBe('2026-11-27');
    expect(deadlineFrom(new Date('2026-11-20T17:00:00Z'), 5)).toBe('2026-11-27');
  });
  it('rejects bad input', () => {
    expect(() => addWorkingDays('2026-13-01', 1)).toThrow();
    expect(() => addWorkingDays('2026-11-20', -1)).toThrow();
    expect(() => isWorkingDay('20261120')).toThrow();
  });
  it('workingDaysBetween is the inverse of addWorkingDays (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2024-01-01'), max: new Date('2026-12-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 30 }),
        (d, n) => {
          const from = d.toISOString().slice(0, 10);
          const to = addWorkingDays(from, n);
          expect(to > from || n === 0).toBe(true);
          if (n > 0) {
            expect(workingDaysBetween(from, to)).toBe(n);
            expect(isWorkingDay(to)).toBe(true);
          }
        },
      ),
    );
  });
  it('reports how far the holiday data goes', () => {
    expect(calendarCoveredUntil() >= '2026-12-31').toBe(true);
  });
});
