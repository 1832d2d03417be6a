import { newWorkbook } from '../../kernel/excel.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import { VIOLATIONS } from '../enforcement/schemas.js';
import * as repo from './repo.js';
import type { Stats, StatsQuery } from './schemas.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** Statistics per jurisdiction: patrols done vs planned, test pass rates by product and item, cases by type. */
export async function stats(ctx: Ctx, q: StatsQuery): Promise<Stats> {
  const scope = q.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, scope)) throw problems.outOfJurisdiction('统计范围', 'statistics area');
  const [plans, months, products, items, cases] = await Promise.all([
    repo.planTargets(ctx.db, scope, q.year),
    repo.patrolsByMonth(ctx.db, scope, q.year),
    repo.testsByProduct(ctx.db, scope, q.year),
    repo.testsByItem(ctx.db, scope, q.year),
    repo.casesByType(ctx.db, scope, q.year),
  ]);
  // Planned: year plans count; without a year plan, the sum of quarter plans, else month plans.
  const by = Object.fromEntries(plans.map((p) => [p.period, Number(p.target)]));
  const planned = by.year ?? by.quarter ?? by.month ?? 0;
  const byMonth = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, pass: 0, fail: 0, rectify: 0 }));
  for (const m of months) if (m.result) byMonth[Number(m.month) - 1][m.result] += Number(m.n);
  const done = byMonth.reduce((a, m) => a + m.pass + m.fail + m.rectify, 0);
  const rate = (p: number, t: number) => (t ? Math.round((p / t) * 10000) / 100 : null);
  const caseTypes = new Map<string, Stats['cases']['byType'][number]>();
  for (const c of cases) {
    const e = caseTypes.get(c.violation_type) ?? {
      type: c.violation_type,
      zh: VIOLATIONS[c.violation_type].zh,
      en: VIOLATIONS[c.violation_type].en,
      total: 0,
      closed: 0,
      fines: 0,
    };
    e.total += Number(c.n);
    if (c.status === 'closed' || c.status === 'dismissed') e.closed += Number(c.n);
    e.fines += Number(c.fines ?? 0);
    caseTypes.set(c.violation_type, e);
  }
  return {
    year: q.year,
    divisionCode: scope,
    patrols: { planned, done, completion: rate(done, planned), byMonth },
    tests: {
      byProduct: products.map((p) => ({
        product: p.product_name,
        total: Number(p.total),
        passed: Number(p.passed),
        passRate: rate(Number(p.passed), Number(p.total)),
      })),
      byItem: items.map((p) => ({
        item: p.item,
        total: Number(p.total),
        passed: Number(p.passed),
        passRate: rate(Number(p.passed), Number(p.total)),
      })),
    },
    cases: { byType: [...caseTypes.values()] },
  };
}

export async function statsWorkbook(ctx: Ctx, q: StatsQuery): Promise<Buffer> {
  const s = await stats(ctx, q);
  const wb = newWorkbook();
  wb.creator = 'Suyuan';
  const p = wb.addWorksheet('巡查');
  p.addRow([
    `${s.year} 年 巡查计划 ${s.patrols.planned} 次，已完成 ${s.patrols.done} 次，完成率 ${s.patrols.completion ?? '-'}%`,
  ]);
  p.addRow(['月份', '合格', '不合格', '限期整改']);
  for (const m of s.patrols.byMonth) p.addRow([m.month, m.pass, m.fail, m.rectify]);
  const t = wb.addWorksheet('检测合格率（按产品）');
  t.addRow(['产品', '检测数', '合格数', '合格率%']);
  for (const r of s.tests.byProduct) t.addRow([r.product, r.total, r.passed, r.passRate]);
  const i = wb.addWorksheet('检测合格率（按项目）');
  i.addRow(['检测项目', '检测数', '合格数', '合格率%']);
  for (const r of s.tests.byItem) i.addRow([r.item, r.total, r.passed, r.passRate]);
  const c = wb.addWorksheet('执法案件（按类型）');
  c.addRow(['违法类型', '案件数', '已结案', '罚没金额（元）']);
  for (const r of s.cases.byType) c.addRow([r.zh, r.total, r.closed, r.fines]);
  for (const ws of wb.worksheets)
    ws.columns.forEach((col) => {
      col.width = 20;
    });
  return await workbookBuffer(wb);
}
