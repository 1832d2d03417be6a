import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { attachFile, registerFileOwner } from '../../kernel/files.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { PatrolStatus, PatrolTarget } from '../../schema.js';
import * as credit from '../credit/service.js';
import { STATUS_LABELS } from '../subjects/states.js';
import * as repo from './repo.js';
import { PATROL_STATES, actionDef, allowedActions } from './states.js';

/**
 * Patrols (巡查, seed 001 art. 15: 基地巡查…应当扫描农产品生产经营者电子身份标识). Plans per year/quarter/month per
 * organisation with targets; a patrol starts by scanning the subject's identity code on site; checklist from a
 * template (data); result pass / fail / rectify; photos; the responsible person's signature (PNG drawn on the
 * phone); GPS; rectification deadline and follow-up closing the loop. Fail and rectify land on the credit archive.
 */
const PATROL = ['巡查记录', 'Patrol'] as const;

registerFileOwner('patrol', async (ctx, ownerId) => {
  const p = await ctx.db.selectFrom('patrol').select('division_code').where('id', '=', ownerId).executeTakeFirst();
  return !!p && inScope(ctx.actor.scope, p.division_code);
});

// ── files: uploaded through the files module (POST /files?purpose=image), attached here ──
export async function attachAll(ctx: Ctx, ids: string[], ownerType: string, ownerId: string, field: string) {
  for (const id of ids) await attachFile(ctx, id, ownerType, ownerId, field);
}

// ── templates and plans ──
export const templateDto = (t: Awaited<ReturnType<typeof repo.templates>>[number]) => ({
  id: t.id, code: t.code, nameZh: t.name_zh, nameEn: t.name_en, target: t.target, items: t.items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, critical: !!i.critical })),
});
export async function listTemplates(ctx: Ctx) {
  return (await repo.templates(ctx.db)).map(templateDto);
}

export interface PlanInput {
  year: number;
  period: 'year' | 'quarter' | 'month';
  periodNo?: number;
  target: number;
  title?: string;
}
const PERIOD_ZH = { year: '年度', quarter: '季度', month: '月度' } as const;
export async function createPlan(ctx: Ctx, input: PlanInput) {
  const periodNo = input.period === 'year' ? 0 : input.periodNo;
  if (periodNo === undefined) throw problems.invalid('periodNo', '必须填写（季度 1–4，月份 1–12）', 'is required (quarter 1–4, month 1–12)');
  if ((input.period === 'quarter' && (periodNo < 1 || periodNo > 4)) || (input.period === 'month' && (periodNo < 1 || periodNo > 12))) {
    throw problems.invalid('periodNo', input.period === 'quarter' ? '季度须为 1–4' : '月份须为 1–12', input.period === 'quarter' ? 'must be a quarter 1–4' : 'must be a month 1–12');
  }
  const title = input.title ?? `${ctx.actor.orgName} ${input.year}年${input.period === 'year' ? '' : `第${periodNo}${input.period === 'quarter' ? '季度' : '月'}`}${PERIOD_ZH[input.period]}巡查计划`;
  const row = await repo.insertPlan(ctx.db, {
    org_id: ctx.actor.orgId, division_code: ctx.actor.scope, year: input.year, period: input.period, period_no: periodNo, target: input.target, title, created_by: ctx.actor.id,
  });
  if (!row) throw problems.duplicate('该期间的巡查计划', 'A patrol plan for this period', `${input.year} ${input.period} ${periodNo}`, 'periodNo');
  await audit(ctx, { verb: 'patrol.plan', targetType: 'patrol_plan', targetId: row.id, divisionCode: row.division_code, summary: { year: row.year, period: row.period, periodNo, target: row.target } });
  return { id: row.id, orgId: row.org_id, orgName: ctx.actor.orgName, divisionCode: row.division_code, year: row.year, period: row.period, periodNo: row.period_no, target: row.target, title: row.title, done: 0 };
}

export async function listPlans(ctx: Ctx, year: number) {
  const rows = await repo.plansWithProgress(ctx.db, ctx.actor.scope, year);
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, orgName: r.org_name, divisionCode: r.division_code, year: r.year, period: r.period, periodNo: r.period_no, target: r.target, title: r.title, done: Number(r.done ?? 0) }));
}

// ── scan → subject card ──
export async function scan(ctx: Ctx, code: string) {
  const s = await credit.findSubjectByCode(ctx, code, 'code');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  const [arch, tasks, recent] = await Promise.all([
    credit.archive(ctx, s),
    repo.openTasksFor(ctx.db, s.id),
    repo.listPatrols(ctx.db, { scope: ctx.actor.scope, subjectId: s.id, limit: 5, offset: 0 }),
  ]);
  return {
    subject: { id: s.id, name: s.name, divisionCode: s.division_code, identityCode: s.identity_code, status: s.status, orgForm: s.org_form, industries: s.industries, contactName: s.contact_name, contactPhone: s.contact_phone, address: s.address },
    credit: { grade: arch.rating.grade, gradeZh: arch.rating.nameZh, points: arch.points, repeatOffender: arch.repeatOffender },
    openTasks: tasks.map((t) => ({ id: t.id, drawId: t.draw_id })),
    recentPatrols: recent.rows.map((p) => ({ id: p.id, status: p.status, startedAt: p.started_at.toISOString(), inspectorName: p.inspector_name })),
  };
}

// ── patrols ──
export async function patrolDto(ctx: Ctx, p: repo.PatrolRow) {
  const files = await repo.filesByIds(ctx.db, [...p.photo_ids, ...(p.signature_file_id ? [p.signature_file_id] : []), ...p.follow_up_photo_ids]);
  const byId = new Map(files.map((f) => [f.id, f]));
  const fileDto = (id: string) => ({ id, name: byId.get(id)?.name ?? '', mime: byId.get(id)?.mime ?? '' });
  const st = PATROL_STATES[p.status];
  return {
    id: p.id,
    orgId: p.org_id,
    orgName: p.org_name,
    divisionCode: p.division_code,
    subjectId: p.subject_id,
    subjectName: p.subject_name,
    identityCode: p.identity_code,
    target: p.target,
    templateId: p.template_id,
    templateName: p.template_zh,
    templateItems: p.template_items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, critical: !!i.critical })),
    planId: p.plan_id,
    taskId: p.task_id,
    inspectorId: p.inspector_id,
    inspectorName: p.inspector_name,
    status: p.status,
    statusZh: st.zh,
    statusEn: st.en,
    result: p.result,
    checklist: p.checklist.map((c) => ({ code: c.code, ok: c.ok, note: c.note ?? null })),
    findings: p.findings,
    photos: p.photo_ids.map(fileDto),
    signature: p.signature_file_id ? fileDto(p.signature_file_id) : null,
    signerName: p.signer_name,
    longitude: p.longitude,
    latitude: p.latitude,
    accuracyM: p.accuracy_m,
    rectifyDeadline: p.rectify_deadline,
    startedAt: p.started_at.toISOString(),
    submittedAt: p.submitted_at?.toISOString() ?? null,
    followUpNote: p.follow_up_note,
    followUpPhotos: p.follow_up_photo_ids.map(fileDto),
    closedAt: p.closed_at?.toISOString() ?? null,
    allowedActions: allowedActions(p.status, ctx.actor.verbs),
  };
}

async function loadPatrol(ctx: Ctx, id: string, lock = false) {
  const p = await repo.patrolById(ctx.db, id, lock);
  if (!p) throw problems.notFound(...PATROL);
  assertInScope(ctx.actor.scope, p.division_code, ...PATROL);
  return p;
}
export async function getPatrol(ctx: Ctx, id: string) {
  return patrolDto(ctx, await loadPatrol(ctx, id));
}
export async function listPatrols(ctx: Ctx, q: { within?: string; status?: string; subjectId?: string; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listPatrols(ctx.db, { scope: ctx.actor.scope, within: q.within, status: q.status, subjectId: q.subjectId, limit: pageSize, offset: (page - 1) * pageSize });
  return { items: await Promise.all(rows.map((r) => patrolDto(ctx, r))), total, page, pageSize };
}

export interface StartInput {
  identityCode: string;
  target?: PatrolTarget;
  templateId?: string;
  planId?: string;
  taskId?: string;
  longitude?: number;
  latitude?: number;
  accuracyM?: number;
}
export async function startPatrol(ctx: Ctx, input: StartInput) {
  const s = await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  if (s.status !== 'approved' && s.status !== 'change_pending') {
    throw new Problem('SUBJECT_NOT_ACTIVE', { statusZh: STATUS_LABELS[s.status].zh, statusEn: STATUS_LABELS[s.status].en, field: 'identityCode' });
  }
  const target = input.target ?? 'base';
  const tpl = input.templateId ? await repo.templateById(ctx.db, input.templateId) : await repo.templateForTarget(ctx.db, target);
  if (!tpl || !tpl.active) throw problems.invalid('templateId', '指向的检查表模板不存在或已停用', 'names no active checklist template');
  if (input.planId) {
    const plan = await repo.planById(ctx.db, input.planId);
    if (!plan || plan.org_id !== ctx.actor.orgId) throw problems.invalid('planId', '不是本机构的巡查计划', 'is not a plan of your organisation');
  }
  if (input.taskId) {
    const task = await repo.taskById(ctx.db, input.taskId);
    if (!task || task.subject_id !== s.id || task.kind !== 'patrol' || task.status !== 'open') throw problems.invalid('taskId', '不是该主体待办的双随机巡查任务', 'is not an open random-check patrol task for this producer');
  }
  const row = await repo.insertPatrol(ctx.db, {
    org_id: ctx.actor.orgId,
    division_code: s.division_code,
    subject_id: s.id,
    target: tpl.target,
    template_id: tpl.id,
    plan_id: input.planId ?? null,
    task_id: input.taskId ?? null,
    inspector_id: ctx.actor.id,
    inspector_name: ctx.actor.displayName,
    result: null,
    checklist: JSON.stringify([]),
    findings: null,
    signature_file_id: null,
    signer_name: null,
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    accuracy_m: input.accuracyM ?? null,
    submitted_at: null,
    follow_up_note: null,
    closed_at: null,
    closed_by: null,
  });
  await audit(ctx, { verb: 'patrol.start', targetType: 'patrol', targetId: row.id, divisionCode: s.division_code, summary: { subjectId: s.id, subjectName: s.name, template: tpl.code, lng: input.longitude, lat: input.latitude } });
  return getPatrol(ctx, row.id);
}

export interface SubmitInput {
  result: 'pass' | 'fail' | 'rectify';
  checklist: { code: string; ok: boolean; note?: string | null }[];
  findings?: string | null;
  photoIds?: string[];
  signatureFileId?: string | null;
  signerName?: string | null;
  rectifyDeadline?: string | null;
  longitude?: number;
  latitude?: number;
  accuracyM?: number;
}
const TODAY = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export async function submitPatrol(ctx: Ctx, id: string, input: SubmitInput) {
  const p = await loadPatrol(ctx, id, true);
  guard(p.status, 'submit');
  // Checklist: every template item answered exactly once, nothing foreign.
  const codes = new Set(p.template_items.map((i) => i.code));
  const seen = new Set<string>();
  for (const [i, c] of input.checklist.entries()) {
    if (!codes.has(c.code)) throw problems.invalid(`checklist/${i}/code`, `“${c.code}”不是本检查表的项目`, `"${c.code}" is not an item of this checklist`);
    if (seen.has(c.code)) throw problems.invalid(`checklist/${i}/code`, `项目“${c.code}”重复`, `item "${c.code}" is repeated`);
    seen.add(c.code);
  }
  const missing = [...codes].filter((c) => !seen.has(c));
  if (missing.length) throw problems.invalid('checklist', `还有 ${missing.length} 项未检查：${missing.join('、')}`, `has ${missing.length} unanswered items: ${missing.join(', ')}`);
  const failedItems = input.checklist.filter((c) => !c.ok);
  if (input.result === 'pass' && failedItems.length) throw problems.invalid('result', '有不符合项时不能判定为合格，请选择“不合格”或“限期整改”', 'cannot be pass while items failed; choose fail or rectify');
  if (input.result !== 'pass' && !input.findings?.trim()) throw problems.invalid('findings', '不合格或整改时必须写明发现的问题', 'must describe the problems found when failing or ordering rectification');
  if (input.result === 'rectify') {
    if (!input.rectifyDeadline) throw problems.invalid('rectifyDeadline', '限期整改必须填写整改期限', 'is required when ordering rectification');
    if (input.rectifyDeadline < TODAY()) throw problems.invalid('rectifyDeadline', '整改期限不能早于今天', 'cannot be before today');
  }
  if (!input.signatureFileId) throw problems.invalid('signatureFileId', '请让被检查主体负责人在手机上签名', 'is required: the responsible person signs on the phone');
  if (!input.signerName?.trim()) throw problems.invalid('signerName', '请填写签名人姓名', 'is required');
  await attachAll(ctx, input.photoIds ?? [], 'patrol', p.id, 'photoIds');
  await attachAll(ctx, [input.signatureFileId], 'patrol', p.id, 'signatureFileId');
  const next: PatrolStatus = input.result === 'pass' ? 'passed' : input.result === 'fail' ? 'failed' : 'rectifying';
  await repo.updatePatrol(ctx.db, p.id, {
    status: next,
    result: input.result,
    checklist: JSON.stringify(input.checklist.map((c) => ({ code: c.code, ok: c.ok, note: c.note ?? null }))),
    findings: input.findings ?? null,
    photo_ids: input.photoIds ?? [],
    signature_file_id: input.signatureFileId,
    signer_name: input.signerName.trim(),
    rectify_deadline: input.result === 'rectify' ? (input.rectifyDeadline ?? null) : null,
    longitude: input.longitude ?? p.longitude,
    latitude: input.latitude ?? p.latitude,
    accuracy_m: input.accuracyM ?? p.accuracy_m,
    submitted_at: new Date(),
  });
  if (p.task_id) await repo.closeTask(ctx.db, p.task_id, p.id);
  let creditRecordId: string | null = null;
  if (input.result !== 'pass') {
    creditRecordId = await credit.recordBad(ctx, {
      subjectId: p.subject_id, divisionCode: p.division_code, source: 'patrol', sourceId: p.id, severity: input.result === 'fail' ? 'serious' : 'minor',
      titleZh: `${input.result === 'fail' ? '巡查不合格' : '巡查责令限期整改'}：${input.findings ?? ''}`.slice(0, 200),
      titleEn: input.result === 'fail' ? 'Patrol failed' : 'Patrol: ordered to rectify',
    });
  }
  await audit(ctx, { verb: 'patrol.submit', targetType: 'patrol', targetId: p.id, divisionCode: p.division_code, summary: { result: input.result, failedItems: failedItems.map((f) => f.code), rectifyDeadline: input.rectifyDeadline ?? null, creditRecordId } });
  return getPatrol(ctx, p.id);
}

export async function followUp(ctx: Ctx, id: string, input: { rectified: boolean; note: string; photoIds?: string[] }) {
  const p = await loadPatrol(ctx, id, true);
  guard(p.status, 'followUp');
  await attachAll(ctx, input.photoIds ?? [], 'patrol', p.id, 'photoIds');
  const next: PatrolStatus = input.rectified ? 'closed' : 'failed';
  await repo.updatePatrol(ctx.db, p.id, { status: next, follow_up_note: input.note, follow_up_photo_ids: input.photoIds ?? [], closed_at: new Date(), closed_by: ctx.actor.id, ...(input.rectified ? {} : { result: 'fail' as const }) });
  if (!input.rectified) {
    await credit.recordBad(ctx, { subjectId: p.subject_id, divisionCode: p.division_code, source: 'patrol', sourceId: p.id, severity: 'serious', titleZh: `逾期未整改：${input.note}`.slice(0, 200), titleEn: 'Not rectified by the deadline' });
  }
  await audit(ctx, { verb: 'patrol.followUp', targetType: 'patrol', targetId: p.id, divisionCode: p.division_code, summary: { rectified: input.rectified, note: input.note } });
  return getPatrol(ctx, p.id);
}

function guard(status: PatrolStatus, action: 'submit' | 'followUp') {
  const def = actionDef(action);
  if (def.from !== status) {
    const st = PATROL_STATES[status];
    throw new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: def.zh, actionEn: def.en });
  }
}
