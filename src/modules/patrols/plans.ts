import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import * as repo from './repo.js';
import {
  PERIOD_LABELS,
  type Plan,
  type PlanInput,
  type PlanListQuery,
  TARGET_LABELS,
  type Template,
  type TemplateListQuery,
} from './schemas.js';

/** Checklist templates (data) and patrol plans per year/quarter/month per organisation, with progress. */

export const templateDto = (t: repo.TemplateRow): Template => ({
  id: t.id,
  code: t.code,
  nameZh: t.name_zh,
  nameEn: t.name_en,
  target: t.target,
  targetZh: TARGET_LABELS[t.target].zh,
  targetEn: TARGET_LABELS[t.target].en,
  items: t.items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, critical: !!i.critical })),
});
export async function listTemplates(ctx: Ctx, q: TemplateListQuery) {
  return mapPage(await repo.templates(ctx.db, pageOf(q, { pageSize: 100 })), templateDto);
}

const planDto = (r: Omit<Plan, 'periodZh' | 'periodEn'>): Plan => ({
  ...r,
  periodZh: PERIOD_LABELS[r.period].zh,
  periodEn: PERIOD_LABELS[r.period].en,
});

export async function createPlan(ctx: Ctx, input: PlanInput): Promise<Plan> {
  const periodNo = input.period === 'year' ? 0 : input.periodNo;
  if (periodNo === undefined)
    throw problems.invalid('periodNo', '必须填写（季度 1–4，月份 1–12）', 'is required (quarter 1–4, month 1–12)');
  if (
    (input.period === 'quarter' && (periodNo < 1 || periodNo > 4)) ||
    (input.period === 'month' && (periodNo < 1 || periodNo > 12))
  ) {
    throw problems.invalid(
      'periodNo',
      input.period === 'quarter' ? '季度须为 1–4' : '月份须为 1–12',
      input.period === 'quarter' ? 'must be a quarter 1–4' : 'must be a month 1–12',
    );
  }
  const title =
    input.title ??
    `${ctx.actor.orgName} ${input.year}年${input.period === 'year' ? '' : `第${periodNo}${input.period === 'quarter' ? '季度' : '月'}`}${PERIOD_LABELS[input.period].zh}巡查计划`;
  const row = await repo.insertPlan(ctx.db, {
    org_id: ctx.actor.orgId,
    division_code: ctx.actor.scope,
    year: input.year,
    period: input.period,
    period_no: periodNo,
    target: input.target,
    title,
    created_by: ctx.actor.id,
  });
  if (!row)
    throw problems.duplicate(
      '该期间的巡查计划',
      'A patrol plan for this period',
      `${input.year} ${input.period} ${periodNo}`,
      'periodNo',
    );
  await audit(ctx, {
    verb: 'patrol.plan',
    targetType: 'patrol_plan',
    targetId: row.id,
    divisionCode: row.division_code,
    summary: { year: row.year, period: row.period, periodNo, target: row.target },
  });
  return planDto({
    id: row.id,
    orgId: row.org_id,
    orgName: ctx.actor.orgName,
    divisionCode: row.division_code,
    year: row.year,
    period: row.period,
    periodNo: row.period_no,
    target: row.target,
    title: row.title,
    done: 0,
  });
}

/** Plans in my jurisdiction for a year, each with the patrols its organisation submitted in the plan's period. */
export async function listPlans(ctx: Ctx, q: PlanListQuery) {
  const page = await repo.plansWithProgress(ctx.db, ctx.actor.scope, q.year, pageOf(q, { pageSize: 200 }));
  return mapPage(page, (r) =>
    planDto({
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      divisionCode: r.division_code,
      year: r.year,
      period: r.period,
      periodNo: r.period_no,
      target: r.target,
      title: r.title,
      done: Number(r.done ?? 0),
    }),
  );
}
