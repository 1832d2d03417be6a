import { LEVEL_LABELS, childLength, inScope, levelOf } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { type Paged, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import { centreOf } from '../originmap/service.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import {
  type Counts,
  type Dashboard,
  type DashboardQuery,
  type DrillQuery,
  type DrillRow,
  METRIC_LABELS,
  METRIC_VALUES,
  type Metric,
} from './schemas.js';

/**
 * The live dashboard (seed 001 第十八条 分析决策; seed 002 可视化监管) at every level: the caller's jurisdiction or a
 * division inside it, split by the child regions (drill-down), over a time range, with the records behind each count.
 */
const DAY = 86_400_000;
const CHINA = 8 * 3600_000;
export const chinaDate = (d: Date) => new Date(d.getTime() + CHINA).toISOString().slice(0, 10);
const startOf = (day: string) => new Date(`${day}T00:00:00+08:00`);

function validDay(day: string, field: string): string {
  const d = startOf(day);
  if (Number.isNaN(d.getTime()) || chinaDate(d) !== day)
    throw problems.invalid(field, '不是有效日期', 'not a valid date');
  return day;
}

/** The area (within the caller's jurisdiction) and the time range [from, to] in China days, as a query range. */
export async function rangeOf(ctx: Ctx, q: { within?: string; from?: string; to?: string }) {
  const scope = q.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, scope)) throw problems.outOfJurisdiction('统计范围', 'dashboard area');
  if (q.within) await regions.assertExists(ctx, scope, 'within');
  const to = validDay(q.to ?? chinaDate(new Date()), 'to');
  const fromDefault = (() => {
    const [y, m] = to.split('-').map(Number);
    const d = new Date(Date.UTC(y, m - 12, 1));
    return d.toISOString().slice(0, 10);
  })();
  const from = validDay(q.from ?? fromDefault, 'from');
  if (from > to) throw problems.invalid('from', '开始日期晚于结束日期', 'the start is after the end');
  if (startOf(to).getTime() - startOf(from).getTime() > 5 * 366 * DAY)
    throw problems.invalid('from', '时间范围不能超过五年', 'the range may span at most five years');
  const range: repo.Range = {
    scope,
    from: startOf(from),
    to: new Date(startOf(to).getTime() + DAY),
    childLen: childLength(scope) ?? scope.length,
  };
  return { scope, from, to, range };
}

const zero = (): Counts => Object.fromEntries(METRIC_VALUES.map((m) => [m, 0])) as Counts;
const pct = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 100 : null);

/** Months from `from` to `to` inclusive, as YYYY-MM. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

export async function getDashboard(ctx: Ctx, q: DashboardQuery): Promise<Dashboard> {
  const { scope, from, to, range } = await rangeOf(ctx, q);
  const counted = await Promise.all(METRIC_VALUES.map((m) => repo.countMetric(ctx.db, m, range)));
  const mapLen = Math.min(range.childLen, 6);
  const [failures, flows, provinceFlows, mapFlows] = await Promise.all([
    repo.failuresByProduct(ctx.db, range),
    repo.flows(ctx.db, range, range.childLen),
    repo.flows(ctx.db, range, 2),
    repo.flows(ctx.db, range, mapLen),
  ]);
  const totals = zero();
  const regionsMap = new Map<string, Counts>();
  const months = new Map(monthsBetween(from, to).map((m) => [m, zero()]));
  METRIC_VALUES.forEach((metric, i) => {
    for (const row of counted[i]) {
      totals[metric] += row.n;
      const r = regionsMap.get(row.region) ?? zero();
      r[metric] += row.n;
      regionsMap.set(row.region, r);
      const mm = months.get(row.month);
      if (mm) mm[metric] += row.n;
    }
  });
  const codes = [
    scope,
    ...regionsMap.keys(),
    ...failures.map((f) => f.region),
    ...flows.flatMap((f) => [f.from, f.to]),
    ...provinceFlows.flatMap((f) => [f.from, f.to]),
    ...mapFlows.flatMap((f) => [f.from, f.to]),
  ];
  const names = await regions.namesOf(ctx, codes);
  const name = (c: string) => names.get(c) ?? (c === '' ? '全国' : c);
  const level = levelOf(scope);
  return {
    divisionCode: scope,
    divisionName: name(scope),
    level,
    levelLabel: LEVEL_LABELS[level],
    from,
    to,
    metrics: METRIC_VALUES.map((key) => ({ key, ...METRIC_LABELS[key] })),
    totals,
    registrationRate: pct(totals.registered, totals.directory),
    failureRate: pct(totals.failed, totals.samples),
    byRegion: [...regionsMap.entries()]
      .filter(([code]) => code != null && code.length > scope.length)
      .map(([code, counts]) => ({ code, name: name(code), counts }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    byMonth: [...months.entries()].map(([month, counts]) => ({ month, counts })),
    failures: failures.map((f) => ({
      ...f,
      regionName: name(f.region),
      rate: pct(f.failed, f.samples),
    })),
    flows: flows.map((f) => ({ ...f, fromName: name(f.from), toName: name(f.to) })),
    provinceFlows: provinceFlows.map((f) => ({ ...f, fromName: name(f.from), toName: name(f.to) })),
    flowMap: flowMap(scope, mapFlows, name),
  };
}

/** Flows between distinct regions with known centres, over the smallest bundled map (provinces, cities, counties) holding them. */
function flowMap(scope: string, flows: { from: string; to: string; trades: number }[], name: (c: string) => string) {
  const lines = flows.flatMap((f) => {
    const fromPoint = f.from === f.to ? null : centreOf(f.from);
    const toPoint = fromPoint && centreOf(f.to);
    return fromPoint && toPoint ? [{ ...f, fromName: name(f.from), toName: name(f.to), fromPoint, toPoint }] : [];
  });
  let prefix = scope.slice(0, 4);
  for (const c of lines.flatMap((l) => [l.from, l.to])) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return { backdrop: prefix.slice(0, prefix.length >= 4 ? 4 : prefix.length >= 2 ? 2 : 0), lines };
}

/** Where the web shows one record of a metric. */
const LINKS: Partial<Record<Metric, (id: string) => string>> = {
  approved: () => '/subjects',
  samples: () => '/monitoring/lab',
  failed: () => '/risk-cases',
  recalls: (id) => `/chain/recalls/${id}`,
  complaints: (id) => `/complaints?id=${id}`,
  originRecords: () => '/origin/table',
};

/** The statuses the drill-down lists (subjects, codes, sales, patrols, samples, recalls, complaints, origin records,
 * scans), in words. */
const DRILL_STATUS: Record<string, { zh: string; en: string }> = {
  registered: { zh: '已注册', en: 'Registered' },
  unregistered: { zh: '未注册', en: 'Not registered' },
  pending: { zh: '待处理', en: 'Pending' },
  approved: { zh: '已通过', en: 'Approved' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  change_pending: { zh: '变更待审', en: 'Change pending' },
  cancel_pending: { zh: '注销待审', en: 'Cancellation pending' },
  revoke_pending: { zh: '撤销待审', en: 'Revocation pending' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  cancelled: { zh: '已注销', en: 'Cancelled' },
  A: { zh: '已激活', en: 'Active' },
  I: { zh: '未激活', en: 'Not activated' },
  V: { zh: '已作废', en: 'Void' },
  accepted: { zh: '已确认收货', en: 'Received' },
  refused: { zh: '已拒收', en: 'Refused' },
  vouchered: { zh: '已开凭证', en: 'Voucher issued' },
  pass: { zh: '合格', en: 'Pass' },
  fail: { zh: '不合格', en: 'Fail' },
  rectify: { zh: '责令整改', en: 'To rectify' },
  sampled: { zh: '已抽样', en: 'Sampled' },
  passed: { zh: '合格', en: 'Passed' },
  failed: { zh: '不合格', en: 'Failed' },
  open: { zh: '进行中', en: 'Open' },
  closed: { zh: '已结束', en: 'Closed' },
  submitted: { zh: '已提交', en: 'Submitted' },
  handling: { zh: '处理中', en: 'Being handled' },
  draft: { zh: '草稿', en: 'Draft' },
  returned: { zh: '已退回', en: 'Returned' },
  active: { zh: '有效', en: 'Valid' },
  inactive: { zh: '未激活', en: 'Not activated' },
  void: { zh: '已作废', en: 'Void' },
  recalled: { zh: '已召回', en: 'Recalled' },
  unknown: { zh: '查无此码', en: 'No such code' },
  malformed: { zh: '无效码', en: 'Not a valid code' },
  foreign: { zh: '其他平台的码', en: "Another platform's code" },
  subject: { zh: '主体身份码', en: 'Identity code' },
  certificate: { zh: '合格证', en: 'Certificate' },
};

/** The records behind a count (drill-down), within the caller's jurisdiction. */
export async function drillDown(ctx: Ctx, q: DrillQuery): Promise<Paged<DrillRow>> {
  const { range } = await rangeOf(ctx, q);
  const p = pageOf(q);
  const r = await repo.records(ctx.db, q.metric, range, { product: q.product, limit: p.limit, offset: p.offset });
  const names = await regions.namesOf(
    ctx,
    r.items.map((x) => x.division_code),
  );
  const link = LINKS[q.metric];
  return {
    items: r.items.map((x) => ({
      id: x.id,
      title: x.title ?? '',
      divisionCode: x.division_code,
      divisionName: names.get(x.division_code) ?? x.division_code,
      at: x.at ? new Date(x.at).toISOString() : null,
      status: x.status,
      statusLabel: x.status ? (DRILL_STATUS[x.status] ?? { zh: x.status, en: x.status }) : null,
      link: link ? link(x.id) : null,
    })),
    total: r.total,
    page: p.page,
    pageSize: p.pageSize,
  };
}
