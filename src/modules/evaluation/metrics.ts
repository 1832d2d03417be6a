/**
 * The evaluation of lower levels (考核评价, seed 000 arts. 18, 23; seed 003 二(六), 三(四); seed 004 六(三)) as pure
 * arithmetic over the figures the repo gathers per unit. Shares are 0..1 (null when there is nothing to divide).
 */
export interface UnitFigures {
  records: number;
  late: number;
  timed: number;
  completeness: number | null;
  producers: number;
  /** Registered producers recording, per month of the window (oldest first). */
  recordingByMonth: number[];
  reviewItems: number;
  reviewApproved: number;
  reviewDecided: number;
  reviewReturned: number;
  patrolFlags: number;
  activeAccounts: number;
  activeOrgs: number;
  overdueNotices: number;
}

export interface UnitScores {
  continuity: number | null;
  timeliness: number | null;
  passRate: number | null;
  returnRate: number | null;
  flagsPer1000: number | null;
  completeness: number | null;
  score: number;
}

const share = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (x: number | null, d = 4) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** Points lost per overdue rectification notice (notices tracked to closure lower the unit's evaluation). */
export const OVERDUE_PENALTY = 5;

/**
 * Scores of one unit. The composite (0–100): continuity 25, timeliness 25, review pass rate 20, completeness 15,
 * usage 15 (any active organisation counts fully), minus OVERDUE_PENALTY per overdue notice and one point per 10 patrol
 * flags per 1,000 records (at most 10); a missing figure scores 0 for its part.
 */
export function scoreUnit(f: UnitFigures): UnitScores {
  const months = f.recordingByMonth.length;
  const continuity =
    f.producers > 0 && months > 0
      ? f.recordingByMonth.reduce((a, n) => a + Math.min(1, n / f.producers), 0) / months
      : null;
  const timeliness = f.timed > 0 ? 1 - f.late / f.timed : null;
  const passRate = share(f.reviewApproved, f.reviewDecided);
  const returnRate = share(f.reviewReturned, f.reviewItems);
  const flagsPer1000 = f.records > 0 ? (f.patrolFlags * 1000) / f.records : null;
  const usage = f.activeOrgs > 0 ? 1 : 0;
  const raw =
    25 * (continuity ?? 0) +
    25 * (timeliness ?? 0) +
    20 * (passRate ?? 0) +
    15 * (f.completeness ?? 0) +
    15 * usage -
    OVERDUE_PENALTY * f.overdueNotices -
    Math.min(10, (flagsPer1000 ?? 0) / 10);
  return {
    continuity: round(continuity),
    timeliness: round(timeliness),
    passRate: round(passRate),
    returnRate: round(returnRate),
    flagsPer1000: round(flagsPer1000, 2),
    completeness: round(f.completeness),
    score: Math.max(0, Math.round(raw * 10) / 10),
  };
}

/** The last `n` months as YYYY-MM (China time), oldest first, ending with the month of `now`. */
export function lastMonths(n: number, now = new Date()): string[] {
  const cn = new Date(now.getTime() + 8 * 3_600_000);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(cn.getUTCFullYear(), cn.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** The first instant of a YYYY-MM month in China time. */
export const monthStart = (m: string) => new Date(`${m}-01T00:00:00+08:00`);
