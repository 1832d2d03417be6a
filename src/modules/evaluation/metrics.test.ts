import { describe, expect, it } from 'vitest';
import { OVERDUE_PENALTY, lastMonths, scoreUnit } from './metrics.js';

const base = {
  records: 100,
  late: 10,
  timed: 100,
  completeness: 0.8,
  producers: 10,
  recordingByMonth: [5, 10, 20],
  reviewItems: 10,
  reviewApproved: 8,
  reviewDecided: 10,
  reviewReturned: 2,
  patrolFlags: 0,
  activeAccounts: 3,
  activeOrgs: 2,
  overdueNotices: 0,
};

describe('evaluation arithmetic', () => {
  it('computes the shares and caps continuity at 1 per month', () => {
    const s = scoreUnit(base);
    expect(s.continuity).toBeCloseTo((0.5 + 1 + 1) / 3, 4);
    expect(s.timeliness).toBe(0.9);
    expect(s.passRate).toBe(0.8);
    expect(s.returnRate).toBe(0.2);
    expect(s.flagsPer1000).toBe(0);
  });
  it('overdue notices and patrol flags lower the score; nothing to divide is null, never NaN', () => {
    const a = scoreUnit(base).score;
    expect(scoreUnit({ ...base, overdueNotices: 1 }).score).toBeCloseTo(a - OVERDUE_PENALTY, 5);
    expect(scoreUnit({ ...base, patrolFlags: 2 }).score).toBeLessThan(a);
    const empty = scoreUnit({
      ...base,
      records: 0,
      timed: 0,
      producers: 0,
      reviewItems: 0,
      reviewDecided: 0,
      completeness: null,
      activeOrgs: 0,
    });
    expect(empty).toMatchObject({ continuity: null, timeliness: null, passRate: null, flagsPer1000: null, score: 0 });
  });
  it('lists the last months in China time', () => {
    expect(lastMonths(3, new Date('2026-01-31T17:00:00Z'))).toEqual(['2025-12', '2026-01', '2026-02']);
    expect(lastMonths(1, new Date('2026-03-15T00:00:00Z'))).toEqual(['2026-03']);
  });
});
