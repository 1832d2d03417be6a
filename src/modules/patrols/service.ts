import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { type OwnerCheck, attachFiles, fileRefs } from '../../kernel/files.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { type SharedRow, fromSharedPayload, openShared, originNames, seesShared } from '../../kernel/shared-lists.js';
import { stateFields } from '../../kernel/workflow.js';
import * as credit from '../credit/service.js';
import * as randomchecks from '../randomchecks/service.js';
import { STATUS_LABELS } from '../subjects/states.js';
import * as repo from './repo.js';
import { PATROL_STATUSES } from './tables.js';
import {
  type FollowUpInput,
  type Patrol,
  type PatrolListQuery,
  type ScanResult,
  type StartInput,
  type SubmitInput,
  RESULT_LABELS,
  TARGET_LABELS,
} from './schemas.js';
import { patrolRoles, patrolTransition, patrolWorkflow } from './states.js';

export { createPlan, listPlans, listTemplates } from './plans.js';

/**
 * Patrols (巡查, seed 001 art. 15: 基地巡查…应当扫描农产品生产经营者电子身份标识). Plans per year/quarter/month per
 * organisation with targets; a patrol starts by scanning the subject's identity code on site; checklist from a
 * template (data); result pass / fail / rectify; photos; the responsible person's signature (PNG drawn on the
 * phone); GPS; rectification deadline and follow-up closing the loop. Fail and rectify land on the credit archive.
 */
const PATROL = ['巡查记录', 'Patrol'] as const;

export const mayReadPatrolFile: OwnerCheck = async (ctx, ownerId) => {
  const p = await ctx.db.selectFrom('patrol').select('division_code').where('id', '=', ownerId).executeTakeFirst();
  // The owning module's read rule: verb and jurisdiction (a producer in the same division is not a regulator).
  return (
    !!p &&
    ctx.actor.orgKind !== 'producer' &&
    ctx.actor.verbs.has('patrol.read') &&
    inScope(ctx.actor.scope, p.division_code)
  );
};

// ── scan → subject card ──
export async function scan(ctx: Ctx, code: string): Promise<ScanResult> {
  const s = await credit.findSubjectByCode(ctx, code, 'code');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  const [arch, tasks, recent] = await Promise.all([
    credit.archive(ctx, s),
    randomchecks.openTasksOf(ctx, s.id, 'patrol'),
    repo.listPatrols(ctx.db, { scope: ctx.actor.scope, subjectId: s.id }, { page: 1, pageSize: 5 }),
  ]);
  return {
    subject: {
      id: s.id,
      name: s.name,
      divisionCode: s.division_code,
      identityCode: s.identity_code,
      status: s.status,
      statusZh: STATUS_LABELS[s.status].zh,
      statusEn: STATUS_LABELS[s.status].en,
      orgForm: s.org_form,
      industries: s.industries,
      contactName: s.contact_name,
      contactPhone: s.contact_phone,
      address: s.address,
    },
    credit: {
      grade: arch.rating.grade,
      gradeZh: arch.rating.nameZh,
      gradeEn: arch.rating.nameEn,
      points: arch.points,
      repeatOffender: arch.repeatOffender,
    },
    openTasks: tasks,
    recentPatrols: recent.items.map((p) => ({
      id: p.id,
      status: p.status,
      ...stateFields(patrolWorkflow, p.status),
      startedAt: p.started_at.toISOString(),
      inspectorName: p.inspector_name,
    })),
  };
}

// ── patrols ──
/** A patrol shared from a lower platform (信息归集): its shared fields, marked with its origin, read-only. */
function sharedPatrolDto(r: SharedRow, names: Map<string, { zh: string; en: string }>): Patrol {
  const p = fromSharedPayload<Patrol>(
    {
      id: r.record_id,
      orgId: '',
      orgName: '',
      divisionCode: r.division_code,
      subjectId: '',
      subjectName: '',
      identityCode: null,
      target: 'base',
      targetZh: '',
      targetEn: '',
      templateId: '',
      templateName: '',
      templateNameEn: '',
      templateItems: [],
      planId: null,
      taskId: null,
      inspectorId: '',
      inspectorName: '',
      status: 'passed',
      statusZh: '',
      statusEn: '',
      result: null,
      resultZh: null,
      resultEn: null,
      checklist: [],
      findings: null,
      photos: [],
      videos: [],
      signature: null,
      signerName: null,
      longitude: null,
      latitude: null,
      accuracyM: null,
      rectifyDeadline: null,
      startedAt: r.origin_created_at.toISOString(),
      submittedAt: null,
      followUpNote: null,
      followUpPhotos: [],
      closedAt: null,
      allowedActions: [],
      originPlatform: null,
      originPlatformName: null,
    },
    r,
  );
  const status = (PATROL_STATUSES as readonly string[]).includes(p.status) ? p.status : 'passed';
  const target = p.target in TARGET_LABELS ? p.target : 'base';
  const result = p.result && p.result in RESULT_LABELS ? p.result : null;
  return {
    ...p,
    id: r.record_id,
    divisionCode: r.division_code,
    status,
    ...stateFields(patrolWorkflow, status),
    target,
    targetZh: TARGET_LABELS[target].zh,
    targetEn: TARGET_LABELS[target].en,
    result,
    resultZh: result ? RESULT_LABELS[result].zh : null,
    resultEn: result ? RESULT_LABELS[result].en : null,
    checklist: p.checklist.map((c) => ({ code: String(c.code ?? ''), ok: c.ok === true, note: c.note ?? null })),
    photos: [],
    videos: [],
    signature: null,
    followUpPhotos: [],
    templateItems: [],
    allowedActions: [],
    originPlatform: r.origin_platform,
    originPlatformName: names.get(r.origin_platform) ?? null,
  };
}

export async function patrolDto(ctx: Ctx, p: repo.PatrolRow): Promise<Patrol> {
  const files = await fileRefs(ctx.db, [
    ...p.photo_ids,
    ...(p.video_ids ?? []),
    ...(p.signature_file_id ? [p.signature_file_id] : []),
    ...p.follow_up_photo_ids,
  ]);
  const byId = new Map(files.map((f) => [f.id, f]));
  const fileDto = (id: string) => ({ id, name: byId.get(id)?.name ?? '', mime: byId.get(id)?.mime ?? '' });
  return {
    id: p.id,
    orgId: p.org_id,
    orgName: p.org_name,
    divisionCode: p.division_code,
    subjectId: p.subject_id,
    subjectName: p.subject_name,
    identityCode: p.identity_code,
    target: p.target,
    targetZh: TARGET_LABELS[p.target].zh,
    targetEn: TARGET_LABELS[p.target].en,
    templateId: p.template_id,
    templateName: p.template_zh,
    templateNameEn: p.template_en,
    templateItems: p.template_items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, critical: !!i.critical })),
    planId: p.plan_id,
    taskId: p.task_id,
    inspectorId: p.inspector_id,
    inspectorName: p.inspector_name,
    status: p.status,
    ...stateFields(patrolWorkflow, p.status),
    result: p.result,
    resultZh: p.result ? RESULT_LABELS[p.result].zh : null,
    resultEn: p.result ? RESULT_LABELS[p.result].en : null,
    checklist: p.checklist.map((c) => ({ code: c.code, ok: c.ok, note: c.note ?? null })),
    findings: p.findings,
    photos: p.photo_ids.map(fileDto),
    videos: (p.video_ids ?? []).map(fileDto),
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
    allowedActions: patrolWorkflow.allowedActions(p.status, patrolRoles(ctx.actor.verbs)),
    originPlatform: null,
    originPlatformName: null,
  };
}

async function loadPatrol(ctx: Ctx, id: string, lock = false) {
  return seePatrol(ctx, await repo.patrolById(ctx.db, id, lock));
}
function seePatrol(ctx: Ctx, p: repo.PatrolRow | undefined) {
  if (!p) throw problems.notFound(...PATROL);
  assertInScope(ctx.actor.scope, p.division_code, ...PATROL);
  return p;
}
/** A patrol of this platform, or one shared up from a lower platform under that id (read-only, marked). */
export async function getPatrol(ctx: Ctx, id: string) {
  const p = await repo.patrolById(ctx.db, id);
  if (!p) return openShared(ctx, 'patrol', id, sharedPatrolDto, problems.notFound(...PATROL));
  return patrolDto(ctx, seePatrol(ctx, p));
}
export async function listPatrols(ctx: Ctx, q: PatrolListQuery) {
  if (seesShared(ctx.actor)) {
    const f = { scope: ctx.actor.scope, within: q.within, status: q.status, subjectId: q.subjectId };
    const page = await repo.listPatrolsWithShared(ctx.db, f, pageOf(q));
    const names = await originNames(ctx, page.items);
    return mapPage(page, (i) => (i.local ? patrolDto(ctx, i.local) : sharedPatrolDto(i.shared, names)));
  }
  const page = await repo.listPatrols(
    ctx.db,
    { scope: ctx.actor.scope, within: q.within, status: q.status, subjectId: q.subjectId },
    pageOf(q),
  );
  return mapPage(page, (r) => patrolDto(ctx, r));
}

export async function startPatrol(ctx: Ctx, input: StartInput) {
  const s = await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  if (s.status !== 'approved' && s.status !== 'change_pending') {
    throw new Problem('SUBJECT_NOT_ACTIVE', {
      statusZh: STATUS_LABELS[s.status].zh,
      statusEn: STATUS_LABELS[s.status].en,
      field: 'identityCode',
    });
  }
  const target = input.target ?? 'base';
  const tpl = input.templateId
    ? await repo.templateById(ctx.db, input.templateId)
    : await repo.templateForTarget(ctx.db, target);
  if (!tpl || !tpl.active)
    throw problems.invalid('templateId', '指向的检查表模板不存在或已停用', 'names no active checklist template');
  if (input.planId) {
    const plan = await repo.planById(ctx.db, input.planId);
    if (!plan || plan.org_id !== ctx.actor.orgId)
      throw problems.invalid('planId', '不是本机构的巡查计划', 'is not a plan of your organisation');
  }
  if (input.taskId)
    await randomchecks.requireOpenTask(ctx, input.taskId, { kind: 'patrol', subjectId: s.id, field: 'taskId' });
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
  await audit(ctx, {
    verb: 'patrol.start',
    targetType: 'patrol',
    targetId: row.id,
    divisionCode: s.division_code,
    summary: { subjectId: s.id, subjectName: s.name, template: tpl.code, lng: input.longitude, lat: input.latitude },
  });
  return getPatrol(ctx, row.id);
}

const TODAY = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export async function submitPatrol(ctx: Ctx, id: string, input: SubmitInput) {
  const p = await loadPatrol(ctx, id, true);
  const next = patrolTransition(p.status, 'submit', input.result, ctx.actor.verbs);
  // Checklist: every template item answered exactly once, nothing foreign.
  const codes = new Set(p.template_items.map((i) => i.code));
  const seen = new Set<string>();
  for (const [i, c] of input.checklist.entries()) {
    if (!codes.has(c.code))
      throw problems.invalid(
        `checklist/${i}/code`,
        `“${c.code}”不是本检查表的项目`,
        `"${c.code}" is not an item of this checklist`,
      );
    if (seen.has(c.code))
      throw problems.invalid(`checklist/${i}/code`, `项目“${c.code}”重复`, `item "${c.code}" is repeated`);
    seen.add(c.code);
  }
  const missing = [...codes].filter((c) => !seen.has(c));
  if (missing.length)
    throw problems.invalid(
      'checklist',
      `还有 ${missing.length} 项未检查：${missing.join('、')}`,
      `has ${missing.length} unanswered items: ${missing.join(', ')}`,
    );
  const failedItems = input.checklist.filter((c) => !c.ok);
  if (input.result === 'pass' && failedItems.length)
    throw problems.invalid(
      'result',
      '有不符合项时不能判定为合格，请选择“不合格”或“限期整改”',
      'cannot be pass while items failed; choose fail or rectify',
    );
  if (input.result !== 'pass' && !input.findings?.trim())
    throw problems.invalid(
      'findings',
      '不合格或整改时必须写明发现的问题',
      'must describe the problems found when failing or ordering rectification',
    );
  if (input.result === 'rectify') {
    if (!input.rectifyDeadline)
      throw problems.invalid('rectifyDeadline', '限期整改必须填写整改期限', 'is required when ordering rectification');
    if (input.rectifyDeadline < TODAY())
      throw problems.invalid('rectifyDeadline', '整改期限不能早于今天', 'cannot be before today');
  }
  if (!input.signatureFileId)
    throw problems.invalid(
      'signatureFileId',
      '请让被检查主体负责人在手机上签名',
      'is required: the responsible person signs on the phone',
    );
  if (!input.signerName?.trim()) throw problems.invalid('signerName', '请填写签名人姓名', 'is required');
  await attachFiles(ctx, input.photoIds ?? [], 'patrol', p.id, 'photoIds');
  const videoIds = input.videoIds ?? [];
  if (videoIds.length) {
    // Only files the upload recognised as MP4 by their bytes (purpose video) are videos.
    const refs = new Map((await fileRefs(ctx.db, videoIds)).map((f) => [f.id, f]));
    videoIds.forEach((id, i) => {
      const f = refs.get(id);
      if (f && f.mime !== 'video/mp4')
        throw problems.invalid(`videoIds.${i}`, '不是 MP4 短视频', 'is not an MP4 video');
    });
  }
  await attachFiles(ctx, videoIds, 'patrol', p.id, 'videoIds');
  await attachFiles(ctx, [input.signatureFileId], 'patrol', p.id, 'signatureFileId');
  await repo.updatePatrol(ctx.db, p.id, {
    status: next,
    result: input.result,
    checklist: JSON.stringify(input.checklist.map((c) => ({ code: c.code, ok: c.ok, note: c.note ?? null }))),
    findings: input.findings ?? null,
    photo_ids: input.photoIds ?? [],
    video_ids: videoIds,
    signature_file_id: input.signatureFileId,
    signer_name: input.signerName.trim(),
    rectify_deadline: input.result === 'rectify' ? (input.rectifyDeadline ?? null) : null,
    longitude: input.longitude ?? p.longitude,
    latitude: input.latitude ?? p.latitude,
    accuracy_m: input.accuracyM ?? p.accuracy_m,
    submitted_at: new Date(),
  });
  if (p.task_id) await randomchecks.completeTask(ctx, p.task_id, p.id);
  let creditRecordId: string | null = null;
  if (input.result !== 'pass') {
    creditRecordId = await credit.recordBad(ctx, {
      subjectId: p.subject_id,
      divisionCode: p.division_code,
      source: 'patrol',
      sourceId: p.id,
      severity: input.result === 'fail' ? 'serious' : 'minor',
      titleZh: `${input.result === 'fail' ? '巡查不合格' : '巡查责令限期整改'}：${input.findings ?? ''}`.slice(0, 200),
      titleEn: input.result === 'fail' ? 'Patrol failed' : 'Patrol: ordered to rectify',
    });
  }
  await audit(ctx, {
    verb: 'patrol.submit',
    targetType: 'patrol',
    targetId: p.id,
    divisionCode: p.division_code,
    summary: {
      result: input.result,
      failedItems: failedItems.map((f) => f.code),
      rectifyDeadline: input.rectifyDeadline ?? null,
      creditRecordId,
    },
  });
  return getPatrol(ctx, p.id);
}

export async function followUp(ctx: Ctx, id: string, input: FollowUpInput) {
  const p = await loadPatrol(ctx, id, true);
  const next = patrolTransition(p.status, 'followUp', input.rectified ? 'rectified' : 'notRectified', ctx.actor.verbs);
  await attachFiles(ctx, input.photoIds ?? [], 'patrol', p.id, 'photoIds');
  await repo.updatePatrol(ctx.db, p.id, {
    status: next,
    follow_up_note: input.note,
    follow_up_photo_ids: input.photoIds ?? [],
    closed_at: new Date(),
    closed_by: ctx.actor.id,
    ...(input.rectified ? {} : { result: 'fail' as const }),
  });
  if (!input.rectified) {
    await credit.recordBad(ctx, {
      subjectId: p.subject_id,
      divisionCode: p.division_code,
      source: 'patrol',
      sourceId: p.id,
      severity: 'serious',
      titleZh: `逾期未整改：${input.note}`.slice(0, 200),
      titleEn: 'Not rectified by the deadline',
    });
  }
  await audit(ctx, {
    verb: 'patrol.followUp',
    targetType: 'patrol',
    targetId: p.id,
    divisionCode: p.division_code,
    summary: { rectified: input.rectified, note: input.note },
  });
  return getPatrol(ctx, p.id);
}
