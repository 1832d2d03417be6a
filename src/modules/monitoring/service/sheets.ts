import { inScope } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { attachFiles } from '../../../kernel/files.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { problems } from '../../../kernel/problems.js';
import {
  type SharedRow,
  fromSharedPayload,
  openShared,
  originNames,
  seesShared,
} from '../../../kernel/shared-lists.js';
import { stateFields } from '../../../kernel/workflow.js';
import { resolveCode } from '../../codes/resolve.js';
import * as credit from '../../credit/service.js';
import * as randomchecks from '../../randomchecks/service.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import { SHEET_STATUSES } from '../tables.js';
import { resultText } from './resulttext.js';
import type { Sheet, SheetInput, SheetListQuery } from '../schemas.js';
import { samplerRoles, sheetWorkflow, taskWorkflow, testerRoles } from '../states.js';
import { loadAssignment } from './assignments.js';

/**
 * Sampling sheets (抽样单): taken on an assignment, the sample linked to its batch and producer by the trace code on
 * the product, or given a temporary code (临时码) and a temporary producer when it has none.
 */
export const SHEET = ['抽样单', 'Sampling sheet'] as const;

export async function submitSamplingSheet(ctx: Ctx, assignmentId: string, input: SheetInput): Promise<Sheet> {
  const a = await loadAssignment(ctx, assignmentId);
  taskWorkflow.transition(a.task_status, 'sample', samplerRoles(ctx.actor));
  if (!inScope(a.division_code, input.divisionCode))
    throw problems.invalid('divisionCode', '抽样地点不在分配的抽样地区内', 'is outside the assigned sampling area');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  let traceCode: string | null = null;
  let batchId: string | null = null;
  let tracedSubject: string | null = null;
  if (input.traceCode?.trim()) {
    // The trace code on the product (issue 4's resolver): links the sample to its batch and producer when active.
    const res = await resolveCode(ctx, input.traceCode);
    if (res.status === 'malformed')
      throw problems.invalid(
        'traceCode',
        '不是有效的追溯码，请重新扫码；没有追溯码的样品请留空，系统会生成临时码',
        'is not a valid trace code; scan again, or leave it empty for a temporary code',
      );
    traceCode = res.code ?? input.traceCode.replace(/[\s-]/g, '').toUpperCase();
    batchId = res.batch?.id ?? null;
    tracedSubject = res.holder?.id ?? null;
  }
  let tempCode = input.tempCode?.trim() || null;
  let subjectId: string | null = null;
  if (input.identityCode) subjectId = (await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode')).id;
  else if (input.subjectId) subjectId = (await credit.findSubject(ctx, input.subjectId, 'subjectId')).id;
  else subjectId = tracedSubject;
  if (!subjectId && !input.tempSubject?.name)
    throw problems.invalid(
      'tempSubject',
      '请扫描主体身份码，或填写未注册主体（临时主体）的名称',
      'is required when no identity code or subject is given',
    );
  if (new Date(input.sampledAt).getTime() > Date.now() + 10 * 60_000)
    throw problems.invalid('sampledAt', '抽样时间不能晚于现在', 'cannot be in the future');
  await repo.lockKey(a.task_id).execute(ctx.db);
  const { n } = await repo.countSheets(ctx.db, a.task_id);
  const sampleCode = `${a.task_code}-${String(Number(n) + 1).padStart(4, '0')}`;
  // 临时码 for a sample without a trace code: derived from the sample code (unique, printable on the sample bag).
  if (!traceCode && !tempCode) tempCode = `T${sampleCode.replace(/-/g, '')}`;
  const sheet = await repo.insertSheet(ctx.db, {
    assignment_id: a.id,
    task_id: a.task_id,
    testing_org_id: a.testing_org_id,
    sample_code: sampleCode,
    product_name: input.productName,
    trace_code: traceCode,
    batch_id: batchId,
    temp_code: tempCode,
    subject_id: subjectId,
    temp_subject: subjectId || !input.tempSubject ? null : JSON.stringify(input.tempSubject),
    place: input.place,
    division_code: input.divisionCode,
    sampled_at: new Date(input.sampledAt),
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    quantity: input.quantity ?? null,
    photo_ids: input.photoIds ?? [],
    sampler_id: ctx.actor.id,
    sampler_name: ctx.actor.displayName,
    tested_at: null,
  });
  await attachFiles(ctx, input.photoIds ?? [], 'sampling_sheet', sheet.id, 'photoIds');
  if (input.randomTaskId) {
    await randomchecks.requireOpenTask(ctx, input.randomTaskId, {
      kind: 'sampling',
      subjectId,
      field: 'randomTaskId',
      lock: true,
    });
    await randomchecks.completeTask(ctx, input.randomTaskId, sheet.id);
  }
  await audit(ctx, {
    verb: 'monitoring.sample',
    targetType: 'sampling_sheet',
    targetId: sheet.id,
    divisionCode: sheet.division_code,
    summary: { sampleCode, productName: input.productName, traceCode, tempCode, subjectId },
  });
  return getSheet(ctx, sheet.id);
}

/** A sheet the caller may see: its lab's, or in its jurisdiction for agencies that are not labs. */
export async function loadSheet(ctx: Ctx, id: string, lock = false) {
  return seeSheet(ctx, await repo.sheetById(ctx.db, id, lock));
}
function seeSheet(ctx: Ctx, s: repo.SheetRow | undefined) {
  if (!s) throw problems.notFound(...SHEET);
  if (
    !(
      s.testing_org_id === ctx.actor.orgId ||
      (ctx.actor.orgKind !== 'testing' && inScope(ctx.actor.scope, s.division_code))
    )
  )
    throw problems.outOfJurisdiction(...SHEET);
  return s;
}

async function sheetDto(
  ctx: Ctx,
  s: repo.SheetRow,
  results?: Awaited<ReturnType<typeof repo.resultsOf>>,
): Promise<Sheet> {
  const rs = results ?? (await repo.resultsOf(ctx.db, [s.id]));
  return {
    id: s.id,
    assignmentId: s.assignment_id,
    taskId: s.task_id,
    taskCode: s.task_code,
    taskTitle: s.task_title,
    taskItems: s.task_items,
    testingOrgId: s.testing_org_id,
    testingOrgName: s.org_name,
    sampleCode: s.sample_code,
    productName: s.product_name,
    traceCode: s.trace_code,
    tempCode: s.temp_code,
    subjectId: s.subject_id,
    subjectName: s.subject_name ?? s.temp_subject?.name ?? '',
    tempSubject: s.temp_subject,
    place: s.place,
    divisionCode: s.division_code,
    sampledAt: s.sampled_at.toISOString(),
    longitude: s.longitude,
    latitude: s.latitude,
    quantity: s.quantity,
    photoIds: s.photo_ids,
    samplerName: s.sampler_name,
    status: s.status,
    ...stateFields(sheetWorkflow, s.status),
    testedAt: s.tested_at?.toISOString() ?? null,
    results: rs
      .filter((r) => r.sheet_id === s.id)
      .map((r) => ({
        item: r.item,
        value: r.value === null ? null : Number(r.value),
        valueText: r.value_text,
        shown: resultText(r.value, r.value_text, r.unit).zh,
        shownEn: resultText(r.value, r.value_text, r.unit).en,
        unit: r.unit,
        limit: r.limit_value === null ? null : Number(r.limit_value),
        standard: r.standard,
        passed: r.passed,
      })),
    allowedActions: sheetWorkflow.allowedActions(s.status, testerRoles(ctx.actor, s)),
    originPlatform: null,
    originPlatformName: null,
  };
}

/**
 * A sampling sheet shared from a lower platform (信息归集) with its latest shared test results: marked with its
 * origin, read-only.
 */
function sharedSheetDto(r: SharedRow, results: unknown, names: Map<string, { zh: string; en: string }>): Sheet {
  const s = fromSharedPayload<Sheet>(
    {
      id: r.record_id,
      assignmentId: '',
      taskId: '',
      taskCode: '',
      taskTitle: '',
      taskItems: [],
      testingOrgId: '',
      testingOrgName: '',
      sampleCode: '',
      productName: '',
      traceCode: null,
      tempCode: null,
      subjectId: null,
      subjectName: '',
      tempSubject: null,
      place: '',
      divisionCode: r.division_code,
      sampledAt: r.origin_created_at.toISOString(),
      longitude: null,
      latitude: null,
      quantity: null,
      photoIds: [],
      samplerName: '',
      status: 'sampled',
      statusZh: '',
      statusEn: '',
      testedAt: null,
      results: [],
      allowedActions: [],
      originPlatform: null,
      originPlatformName: null,
    },
    r,
  );
  const tested = (results ?? {}) as Record<string, unknown>;
  const given = typeof tested.status === 'string' ? tested.status : s.status;
  const status = (SHEET_STATUSES as readonly string[]).includes(given) ? (given as Sheet['status']) : 'sampled';
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : null);
  const text = (v: unknown) => (typeof v === 'string' ? v : null);
  const items = (Array.isArray(tested.results) ? tested.results : []) as Record<string, unknown>[];
  return {
    ...s,
    id: r.record_id,
    divisionCode: r.division_code,
    subjectId: null,
    tempSubject: s.tempSubject && typeof s.tempSubject.name === 'string' ? s.tempSubject : null,
    photoIds: [],
    taskItems: [],
    status,
    ...stateFields(sheetWorkflow, status),
    testedAt: text(tested.testedAt),
    results: items.map((i) => {
      const value = num(i.value);
      const valueText = text(i.valueText);
      const unit = text(i.unit) ?? '';
      const shown = resultText(value, valueText, unit);
      return {
        item: text(i.item) ?? '',
        value,
        valueText,
        shown: shown.zh,
        shownEn: shown.en,
        unit,
        limit: num(i.limit),
        standard: text(i.standard) ?? '',
        passed: i.passed === true,
      };
    }),
    allowedActions: [],
    originPlatform: r.origin_platform,
    originPlatformName: names.get(r.origin_platform) ?? null,
  };
}

/** A sheet of this platform, or one shared up from a lower platform under that id, with its shared test results. */
export async function getSheet(ctx: Ctx, id: string): Promise<Sheet> {
  const s = await repo.sheetById(ctx.db, id);
  if (!s)
    return openShared(
      ctx,
      'sampling',
      id,
      async (r, names) =>
        sharedSheetDto(r, (await repo.sharedResultsOf(ctx.db, [r])).get(`${r.origin_platform}|${r.record_id}`), names),
      problems.notFound(...SHEET),
    );
  return sheetDto(ctx, seeSheet(ctx, s));
}

/** Sheets of my lab (labs), or in my jurisdiction or of my organisation (other agencies). */
export async function listSheets(ctx: Ctx, q: SheetListQuery) {
  if (seesShared(ctx.actor)) {
    const f = { scope: ctx.actor.scope, orgId: ctx.actor.orgId, taskId: q.taskId, status: q.status };
    const page = await repo.listSheetsWithShared(ctx.db, f, pageOf(q, { pageSize: 200 }));
    const locals = page.items.flatMap((i) => (i.local ? [i.local.id] : []));
    const shared = page.items.flatMap((i) => (i.shared ? [i.shared] : []));
    const [rs, tested, names] = await Promise.all([
      repo.resultsOf(ctx.db, locals),
      repo.sharedResultsOf(ctx.db, shared),
      originNames(ctx, page.items),
    ]);
    return mapPage(page, (i) =>
      i.local
        ? sheetDto(ctx, i.local, rs)
        : sharedSheetDto(i.shared, tested.get(`${i.shared.origin_platform}|${i.shared.record_id}`), names),
    );
  }
  const page = await repo.listSheets(
    ctx.db,
    {
      scope: ctx.actor.orgKind === 'testing' ? null : ctx.actor.scope,
      orgId: ctx.actor.orgId,
      taskId: q.taskId,
      status: q.status,
    },
    pageOf(q, { pageSize: 200 }),
  );
  const rs = await repo.resultsOf(
    ctx.db,
    page.items.map((r) => r.id),
  );
  return mapPage(page, (r) => sheetDto(ctx, r, rs));
}
