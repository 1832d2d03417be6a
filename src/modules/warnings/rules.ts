import type { WarningKind } from './tables.js';

/**
 * The pure part of each warning rule: default parameters, their meaning, and the test that turns rows read from the
 * database into findings. A finding's `key` identifies it, so re-evaluating never raises the same warning twice.
 */
export interface Finding {
  key: string;
  divisionCode: string;
  titleZh: string;
  titleEn: string;
  details: Record<string, unknown>;
  link: string | null;
}

export const PARAMS: Record<WarningKind, Record<string, { zh: string; en: string; min: number; max: number }>> = {
  failure_rate_rise: {
    windowDays: { zh: '比较窗口（天）', en: 'Window (days)', min: 7, max: 366 },
    minSamples: { zh: '最少样品数', en: 'Minimum samples', min: 1, max: 10_000 },
    factor: { zh: '上升倍数', en: 'Rise factor', min: 1, max: 100 },
    minRate: { zh: '最低不合格率', en: 'Minimum failure rate (0–1)', min: 0, max: 1 },
  },
  counterfeit_scans: { days: { zh: '回看天数', en: 'Look-back (days)', min: 1, max: 90 } },
  chain_anomaly: { days: { zh: '未处理天数', en: 'Open for (days)', min: 0, max: 365 } },
  overdue_review: { graceDays: { zh: '宽限天数', en: 'Grace (days)', min: 0, max: 60 } },
  overdue_rectification: { graceDays: { zh: '宽限天数', en: 'Grace (days)', min: 0, max: 60 } },
  collection_drop: {
    weeks: { zh: '基准周数', en: 'Baseline (weeks)', min: 1, max: 26 },
    dropPct: { zh: '降幅（0–1）', en: 'Drop (0–1)', min: 0.05, max: 1 },
    minWeekly: { zh: '基准周均最少条数', en: 'Minimum weekly baseline', min: 1, max: 1_000_000 },
  },
};

/** Checks a rule's new parameters against its kind: known names, finite, within range. Returns the bad name. */
export function badParam(kind: WarningKind, params: Record<string, number>): string | null {
  for (const [k, v] of Object.entries(params)) {
    const def = PARAMS[kind][k];
    if (!def || !Number.isFinite(v) || v < def.min || v > def.max) return k;
  }
  return null;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A product's failure rate in a county rose: recent ≥ minRate and ≥ factor × the window before. */
export function failureRise(
  rows: {
    county: string;
    product: string;
    recent: number;
    recentFailed: number;
    before: number;
    beforeFailed: number;
  }[],
  p: Record<string, number>,
  month: string,
): Finding[] {
  const out: Finding[] = [];
  for (const r of rows) {
    if (r.recent < p.minSamples || r.recentFailed === 0) continue;
    const now = r.recentFailed / r.recent;
    // With no earlier samples the baseline is unknown: only the absolute floor applies.
    const before = r.before ? r.beforeFailed / r.before : 0;
    if (now < p.minRate || now < p.factor * before) continue;
    out.push({
      key: `${r.county}|${r.product}|${month}`,
      divisionCode: r.county,
      titleZh: `${r.product}抽检不合格率升至 ${pct(now)}（前期 ${r.before ? pct(before) : '无数据'}）`,
      titleEn: `Failure rate of ${r.product} rose to ${pct(now)} (before: ${r.before ? pct(before) : 'no data'})`,
      details: {
        product: r.product,
        recent: r.recent,
        recentFailed: r.recentFailed,
        before: r.before,
        beforeFailed: r.beforeFailed,
      },
      link: '/risk-cases',
    });
  }
  return out;
}

/** Collection in a county fell by `dropPct` or more against its weekly average. */
export function collectionDrop(
  rows: { county: string; last: number; before: number }[],
  p: Record<string, number>,
  week: string,
): Finding[] {
  const out: Finding[] = [];
  for (const r of rows) {
    const avg = r.before / p.weeks;
    if (avg < p.minWeekly || r.last > avg * (1 - p.dropPct)) continue;
    out.push({
      key: `${r.county}|${week}`,
      divisionCode: r.county,
      titleZh: `近 7 天采集 ${r.last} 条，较前 ${p.weeks} 周周均 ${Math.round(avg)} 条骤降`,
      titleEn: `${r.last} records in the last 7 days against a weekly average of ${Math.round(avg)}: a sudden drop`,
      details: { last: r.last, weeklyAverage: Math.round(avg * 10) / 10 },
      link: '/dashboard',
    });
  }
  return out;
}
