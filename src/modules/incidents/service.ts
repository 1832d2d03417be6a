import { randomInt } from 'node:crypto';
import { KIND_DIGIT } from '../../kernel/codes.js';
import { assertInScope, countyOf, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import { parseOwnCode } from '../codes/service.js';
import * as lineage from '../lineage/service.js';
import { notify } from '../notifications/service.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import type {
  CloseInput,
  DispatchInput,
  Incident,
  IncidentQuery,
  IncidentSummary,
  IncidentTask,
  OpenIncidentInput,
  TaskActionInput,
} from './schemas.js';
import { incidentWorkflow, taskWorkflow } from './states.js';
import { type AffectedBatch, INCIDENT_KINDS, TASK_KINDS } from './tables.js';

/**
 * The incident workspace (应急指挥调度, seed 001 第十八条): an incident opened from a failed sample (its risk case) or a
 * trace code traces the batch forward through the chain module (`lineage.trace`), records every affected batch and
 * holder with where they are, and dispatches tasks with deadlines to agencies (notified), which accept and complete
 * them; the commander follows completion and closes the incident with a summary; the report is a PDF (report.ts).
 */
const CHINA = 8 * 3600_000;
const today = () => new Date(Date.now() + CHINA).toISOString().slice(0, 10);

/** Every batch reached forward from `batchId` (the batch itself first), with holders' places. Read nationally. */
async function traceForward(ctx: Ctx, batchId: string): Promise<AffectedBatch[]> {
  const national: Ctx = { ...ctx, actor: { ...ctx.actor, orgKind: 'supervision', scope: '' } };
  const t = await lineage.trace(national, 'forward', batchId, { pageSize: 1000 });
  const nodes = lineage.fullNodes(t).sort((a, b) => a.depth - b.depth);
  const places = new Map(
    (await repo.subjectPlaces(ctx.db, [...new Set(nodes.map((n) => n.subjectId))])).map((s) => [s.id, s]),
  );
  const names = await regions.namesOf(
    ctx,
    nodes.map((n) => n.divisionCode),
  );
  return nodes.map((n) => ({
    batchId: n.batchId,
    depth: n.depth,
    batchNo: n.batchNo,
    code: n.code,
    productName: n.productName,
    subjectId: n.subjectId,
    subjectName: n.subjectName,
    divisionCode: n.divisionCode,
    divisionName: names.get(n.divisionCode) ?? n.divisionCode,
    quantity: String(n.quantity),
    stock: String(n.stock),
    unit: n.unit,
    longitude: places.get(n.subjectId)?.longitude ?? null,
    latitude: places.get(n.subjectId)?.latitude ?? null,
  }));
}

export async function openIncident(ctx: Ctx, input: OpenIncidentInput): Promise<Incident> {
  const title = input.title.trim();
  const description = input.description.trim();
  if (!title) throw problems.invalid('title', '请填写事件名称', 'give the title');
  if (!description) throw problems.invalid('description', '请描述事件', 'describe the incident');
  let batchId: string | null = null;
  let traceCode: string | null = input.traceCode?.trim() || null;
  let productName: string | null = null;
  let division = ctx.actor.scope;
  let source: { type: string; id: string } | null = null;
  if (input.riskCaseId) {
    const rc = await repo.riskCase(ctx.db, input.riskCaseId);
    if (!rc) throw problems.invalid('riskCaseId', '风险处置记录不存在', 'no such risk case');
    assertInScope(ctx.actor.scope, rc.division_code, '风险处置', 'risk case');
    batchId = rc.batch_id;
    traceCode = rc.trace_code;
    productName = rc.product_name;
    division = rc.division_code;
    source = { type: 'risk_case', id: rc.id };
  } else if (traceCode) {
    const code = parseOwnCode(ctx.config, traceCode, 'traceCode', ['production', 'circulation']);
    const b = await repo.batchOfCode(ctx.db, KIND_DIGIT[code.kind], code.serial);
    if (!b) throw problems.invalid('traceCode', '追溯码未对应批次', 'the code has no batch');
    batchId = b.id;
    division = b.division_code;
    traceCode = code.short;
    source = { type: 'trace_code', id: code.short };
  }
  // An incident belongs to the commanding level: the county of its source (or the caller's own level above it).
  const home = inScope(ctx.actor.scope, countyOf(division) ?? division)
    ? (countyOf(division) ?? division)
    : ctx.actor.scope;
  if (!inScope(ctx.actor.scope, division)) throw problems.outOfJurisdiction('事件来源', 'incident source');
  const affected = batchId ? await traceForward(ctx, batchId) : [];
  if (!productName && affected.length) productName = affected[0].productName;
  const number = `YJ${today().replaceAll('-', '')}${String(randomInt(0, 10_000)).padStart(4, '0')}`;
  const row = await repo.insertIncident(ctx.db, {
    number,
    title,
    kind: input.kind,
    severity: input.severity ?? 3,
    source_type: source?.type ?? null,
    source_id: source?.id ?? null,
    batch_id: batchId,
    trace_code: traceCode,
    product_name: productName,
    division_code: home,
    description,
    affected: JSON.stringify(affected),
    summary: null,
    opened_by: ctx.actor.id,
    closed_by: null,
    closed_at: null,
  });
  await audit(ctx, {
    verb: 'incident.open',
    targetType: 'incident',
    targetId: row.id,
    divisionCode: home,
    summary: { number, title, source, affected: affected.length },
  });
  return getIncident(ctx, row.id);
}

async function readable(ctx: Ctx, id: string) {
  const i = await repo.incidentById(ctx.db, id);
  if (!i) throw problems.notFound('应急事件', 'Incident');
  if (!inScope(ctx.actor.scope, i.division_code) && !(await repo.hasTaskFor(ctx.db, id, ctx.actor.orgId)))
    throw problems.outOfJurisdiction('应急事件', 'incident');
  return i;
}

const taskDto = (ctx: Ctx, t: repo.TaskRow): IncidentTask => ({
  id: t.id,
  kind: t.kind,
  kindLabel: TASK_KINDS[t.kind],
  orgId: t.org_id,
  orgName: t.org_name,
  divisionCode: t.division_code,
  target: t.target,
  instructions: t.instructions,
  deadline: t.deadline,
  overdue: t.status !== 'done' && t.deadline < today(),
  status: t.status,
  statusLabel: taskWorkflow.stateLabel(t.status),
  result: t.result,
  dispatchedAt: t.dispatched_at.toISOString(),
  doneAt: t.done_at?.toISOString() ?? null,
  allowedActions:
    t.org_id === ctx.actor.orgId && ctx.actor.verbs.has('incident.task')
      ? taskWorkflow.allowedActions(t.status, ['agency'])
      : [],
});

type Row = NonNullable<Awaited<ReturnType<typeof repo.incidentById>>>;
const summaryDto = (i: Row, total: number, done: number): IncidentSummary => ({
  id: i.id,
  number: i.number,
  title: i.title,
  kind: i.kind,
  kindLabel: INCIDENT_KINDS[i.kind],
  severity: i.severity,
  productName: i.product_name,
  divisionCode: i.division_code,
  status: i.status,
  statusLabel: incidentWorkflow.stateLabel(i.status),
  openedAt: i.opened_at.toISOString(),
  tasksTotal: total,
  tasksDone: done,
});

export async function getIncident(ctx: Ctx, id: string): Promise<Incident> {
  const i = await readable(ctx, id);
  const tasks = await repo.tasksOf(ctx.db, id);
  const holders = new Map<string, Incident['holders'][number]>();
  for (const a of i.affected) {
    const h = holders.get(a.subjectId) ?? {
      subjectId: a.subjectId,
      name: a.subjectName,
      divisionName: a.divisionName,
      batches: 0,
    };
    h.batches++;
    holders.set(a.subjectId, h);
  }
  const commander = inScope(ctx.actor.scope, i.division_code) && ctx.actor.verbs.has('incident.command');
  return {
    ...summaryDto(i, tasks.length, tasks.filter((t) => t.status === 'done').length),
    description: i.description,
    traceCode: i.trace_code,
    batchId: i.batch_id,
    sourceType: i.source_type,
    sourceId: i.source_id,
    summary: i.summary,
    closedAt: i.closed_at?.toISOString() ?? null,
    affected: i.affected,
    holders: [...holders.values()],
    tasks: tasks.map((t) => taskDto(ctx, t)),
    allowedActions: commander ? incidentWorkflow.allowedActions(i.status, ['commander']) : [],
  };
}

export async function listIncidents(ctx: Ctx, q: IncidentQuery): Promise<Paged<IncidentSummary>> {
  const page = await repo.listIncidents(ctx.db, ctx.actor.scope, ctx.actor.orgId, q.status, pageOf(q));
  return mapPage(page, (i) => summaryDto(i, Number(i.tasks_total), Number(i.tasks_done)));
}

async function commanded(ctx: Ctx, id: string) {
  const i = await repo.incidentById(ctx.db, id);
  if (!i) throw problems.notFound('应急事件', 'Incident');
  assertInScope(ctx.actor.scope, i.division_code, '应急事件', 'incident');
  return i;
}

export async function dispatchIncidentTask(ctx: Ctx, id: string, input: DispatchInput): Promise<Incident> {
  const i = await commanded(ctx, id);
  incidentWorkflow.transition(i.status, 'dispatch', ['commander']);
  const org = await repo.agency(ctx.db, input.orgId);
  if (!org)
    throw problems.invalid(
      'orgId',
      '须为在用的监管、检测或执法机构',
      'must be an active supervision, testing or enforcement agency',
    );
  // Agencies inside the commanding jurisdiction, or where an affected holder is (a request for assistance).
  const holderCounties = new Set(i.affected.map((a) => countyOf(a.divisionCode)));
  if (!inScope(ctx.actor.scope, org.division_code) && !holderCounties.has(countyOf(org.division_code)))
    throw problems.outOfJurisdiction('受派机构', 'agency');
  if (input.deadline < today()) throw problems.invalid('deadline', '期限不能早于今天', 'the deadline is in the past');
  const instructions = input.instructions.trim();
  if (!instructions) throw problems.invalid('instructions', '请填写任务要求', 'give the instructions');
  const task = await repo.insertTask(ctx.db, {
    incident_id: id,
    kind: input.kind,
    org_id: org.id,
    division_code: org.division_code,
    target: input.target?.trim() || null,
    instructions,
    deadline: input.deadline,
    result: null,
    dispatched_by: ctx.actor.id,
    done_by: null,
    done_at: null,
  });
  await notify(ctx.db, [
    {
      orgId: org.id,
      kind: 'incident_task',
      titleZh: `应急任务（${TASK_KINDS[input.kind].zh}）：${i.title}，期限 ${input.deadline}`,
      titleEn: `Incident task (${TASK_KINDS[input.kind].en}): ${i.title}, due ${input.deadline}`,
      body: instructions.slice(0, 500),
      link: `/incidents/${id}`,
      divisionCode: org.division_code,
    },
  ]);
  await audit(ctx, {
    verb: 'incident.dispatch',
    targetType: 'incident',
    targetId: id,
    divisionCode: i.division_code,
    summary: { taskId: task.id, kind: input.kind, org: org.name, deadline: input.deadline },
  });
  return getIncident(ctx, id);
}

export async function actOnTask(ctx: Ctx, taskId: string, input: TaskActionInput): Promise<Incident> {
  const t = await repo.taskById(ctx.db, taskId);
  if (!t) throw problems.notFound('调度任务', 'Task');
  if (t.org_id !== ctx.actor.orgId) throw problems.outOfJurisdiction('调度任务', 'task');
  const i = await repo.incidentById(ctx.db, t.incident_id);
  if (i?.status === 'closed') throw problems.invalid('action', '事件已结束', 'the incident is closed');
  const tr = taskWorkflow.transition(t.status, input.action, ['agency']);
  const result = input.result?.trim() || null;
  if (tr.to === 'done' && !result) throw problems.invalid('result', '请填写完成情况', 'give the result');
  await repo.updateTask(ctx.db, taskId, {
    status: tr.to,
    ...(tr.to === 'done' ? { result, done_at: new Date(), done_by: ctx.actor.id } : {}),
  });
  await audit(ctx, {
    verb: `incident.task.${input.action}`,
    targetType: 'incident_task',
    targetId: taskId,
    divisionCode: t.division_code,
    summary: { incidentId: t.incident_id, from: t.status, to: tr.to, result },
  });
  return getIncident(ctx, t.incident_id);
}

export async function closeIncident(ctx: Ctx, id: string, input: CloseInput): Promise<Incident> {
  const i = await commanded(ctx, id);
  const tr = incidentWorkflow.transition(i.status, 'close', ['commander']);
  const summary = input.summary.trim();
  if (!summary) throw problems.invalid('summary', '请填写处置总结', 'give the summary');
  await repo.updateIncident(ctx.db, id, { status: tr.to, summary, closed_at: new Date(), closed_by: ctx.actor.id });
  await audit(ctx, {
    verb: 'incident.close',
    targetType: 'incident',
    targetId: id,
    divisionCode: i.division_code,
    summary: { summary },
  });
  return getIncident(ctx, id);
}
