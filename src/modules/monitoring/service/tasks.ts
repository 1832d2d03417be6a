import { LEVEL_LENGTH, type Level, inScope, levelOf } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { Problem, problems } from '../../../kernel/problems.js';
import { stateFields } from '../../../kernel/workflow.js';
import type { MonitoringLevel } from '../../../schema.js';
import * as notifications from '../../notifications/service.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import { KINDS, LEVELS, type Task, type TaskInput, type TaskListQuery, type TaskSummary } from '../schemas.js';
import { taskWorkflow } from '../states.js';

/**
 * Monitoring tasks (监测任务): kind × level, issued by a county or higher agency with assignments to testing
 * organisations (quantity, deadline per sampling area); the labs are notified.
 */
const TASK = ['监测任务', 'Monitoring task'] as const;

/** The task level of an issuing agency's jurisdiction (a township issues no tasks). */
const LEVEL_OF: Partial<Record<Level, MonitoringLevel>> = {
  national: 'ministry',
  province: 'province',
  city: 'city',
  county: 'county',
};

export async function createMonitoringTask(ctx: Ctx, input: TaskInput): Promise<Task> {
  const level = LEVEL_OF[levelOf(ctx.actor.scope)];
  if (!level)
    throw problems.invalid(
      'level',
      '乡镇及以下机构不能下达监测任务，请由县级以上机构下达',
      'cannot be set below county: township agencies do not issue monitoring tasks',
    );
  if (input.level && input.level !== level)
    throw problems.invalid(
      'level',
      `须与本机构层级一致（${level}）`,
      `must match your organisation's level (${level})`,
    );
  if (input.endDate < input.startDate)
    throw problems.invalid('endDate', '结束日期不能早于开始日期', 'cannot be before the start date');
  const itemNames = new Set<string>();
  for (const [i, it] of input.items.entries()) {
    if (itemNames.has(it.item))
      throw problems.invalid(`items/${i}/item`, `检测项目“${it.item}”重复`, `test item "${it.item}" is repeated`);
    itemNames.add(it.item);
  }
  const orgs = new Map(
    (
      await repo.orgsIn(
        ctx.db,
        input.assignments.map((a) => a.testingOrgId),
      )
    ).map((o) => [o.id, o]),
  );
  const seen = new Set<string>();
  for (const [i, a] of input.assignments.entries()) {
    const o = orgs.get(a.testingOrgId);
    if (!o || o.kind !== 'testing' || o.status !== 'active')
      throw problems.invalid(
        `assignments/${i}/testingOrgId`,
        '不是有效的检测机构',
        'is not an active testing organisation',
      );
    if (!inScope(ctx.actor.scope, a.divisionCode))
      throw new Problem('OUT_OF_JURISDICTION', {
        targetZh: '抽样地区',
        targetEn: 'sampling area',
        field: `assignments/${i}/divisionCode`,
      });
    await regions.assertExists(ctx, a.divisionCode, `assignments/${i}/divisionCode`);
    if (a.deadline < input.startDate)
      throw problems.invalid(
        `assignments/${i}/deadline`,
        '完成期限不能早于任务开始日期',
        'cannot be before the task starts',
      );
    const k = `${a.testingOrgId}/${a.divisionCode}`;
    if (seen.has(k))
      throw problems.invalid(`assignments/${i}`, '同一检测机构在同一地区重复分配', 'repeats an organisation and area');
    seen.add(k);
  }
  // JC + year + the issuing jurisdiction padded to a county code + a serial per prefix.
  const year = input.startDate.slice(0, 4);
  const prefix = `JC${year}${(ctx.actor.scope || '00').padEnd(LEVEL_LENGTH.county, '0')}`;
  await repo.lockKey(prefix).execute(ctx.db);
  const { n } = await repo.countTasks(ctx.db, prefix);
  const code = `${prefix}${String(Number(n) + 1).padStart(4, '0')}`;
  const task = await repo.insertTask(ctx.db, {
    code,
    title: input.title,
    kind: input.kind,
    level,
    org_id: ctx.actor.orgId,
    division_code: ctx.actor.scope,
    products: input.products,
    items: JSON.stringify(input.items),
    start_date: input.startDate,
    end_date: input.endDate,
    draw_id: input.drawId ?? null,
    created_by: ctx.actor.id,
  });
  await repo.insertAssignments(
    ctx.db,
    input.assignments.map((a) => ({
      task_id: task.id,
      testing_org_id: a.testingOrgId,
      division_code: a.divisionCode,
      quantity: a.quantity,
      deadline: a.deadline,
    })),
  );
  await notifications.notify(
    ctx.db,
    input.assignments.map((a) => ({
      orgId: a.testingOrgId,
      divisionCode: a.divisionCode,
      kind: 'monitoring.assigned',
      link: '/monitoring/lab',
      titleZh: `新监测任务：${input.title}（${a.quantity} 个样品，${a.deadline} 前完成）`,
      titleEn: `New monitoring task: ${input.title} (${a.quantity} samples by ${a.deadline})`,
    })),
  );
  await audit(ctx, {
    verb: 'monitoring.manage',
    targetType: 'monitoring_task',
    targetId: task.id,
    divisionCode: task.division_code,
    summary: { code, kind: input.kind, level, assignments: input.assignments.length },
  });
  return getTask(ctx, task.id);
}

export async function getTask(ctx: Ctx, id: string): Promise<Task> {
  const t = await repo.taskById(ctx.db, id);
  if (!t) throw problems.notFound(...TASK);
  const assignments = await repo.assignmentsOf(ctx.db, id);
  if (!inScope(ctx.actor.scope, t.division_code) && !assignments.some((a) => a.testing_org_id === ctx.actor.orgId))
    throw problems.outOfJurisdiction(...TASK);
  return {
    ...taskDto(t),
    assignments: assignments.map((a) => ({
      id: a.id,
      testingOrgId: a.testing_org_id,
      testingOrgName: a.org_name,
      divisionCode: a.division_code,
      quantity: a.quantity,
      deadline: a.deadline,
      sampled: Number(a.sampled ?? 0),
      tested: Number(a.tested ?? 0),
      failed: Number(a.failed ?? 0),
    })),
  };
}

function taskDto(t: repo.TaskRow): TaskSummary {
  return {
    id: t.id,
    code: t.code,
    title: t.title,
    kind: t.kind,
    kindZh: KINDS[t.kind].zh,
    kindEn: KINDS[t.kind].en,
    level: t.level,
    levelZh: LEVELS[t.level].zh,
    levelEn: LEVELS[t.level].en,
    orgId: t.org_id,
    divisionCode: t.division_code,
    products: t.products,
    items: t.items,
    startDate: t.start_date,
    endDate: t.end_date,
    status: t.status,
    ...stateFields(taskWorkflow, t.status),
    createdAt: t.created_at.toISOString(),
  };
}

/** Tasks in my jurisdiction, or assigned to my organisation (a county lab doing a provincial task). */
export async function listTasks(ctx: Ctx, q: TaskListQuery) {
  const page = await repo.listTasks(ctx.db, ctx.actor.scope, ctx.actor.orgId, pageOf(q, { pageSize: 200 }));
  return mapPage(page, taskDto);
}
