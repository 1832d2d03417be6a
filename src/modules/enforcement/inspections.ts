import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { attachFiles, fileRefs } from '../../kernel/files.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import * as credit from '../credit/service.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import {
  INSPECTION_RESULT_LABELS,
  type Inspection,
  type InspectionInput,
  type InspectionListQuery,
  type InspectionScan,
} from './schemas.js';
import { caseWorkflow } from './states.js';

/**
 * On-site enforcement inspections (执法检查, seed 001 art. 15: 执法检查…应当扫描农产品生产经营者电子身份标识): the
 * enforcer scans the producer's identity code, sees who it is (credit grade, open cases), records findings with
 * photos or short videos and GPS; a violation leads to a penalty case citing the inspection as its source.
 */
const INSPECTION = ['执法检查记录', 'Enforcement inspection'] as const;

export async function scanForInspection(ctx: Ctx, code: string): Promise<InspectionScan> {
  const s = await credit.findSubjectByCode(ctx, code, 'code');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  const [arch, cases, names] = await Promise.all([
    credit.archive(ctx, s),
    repo.openCasesOf(ctx.db, s.id, ctx.actor.scope),
    regions.fullNamesOf(ctx, [s.division_code]),
  ]);
  return {
    subject: {
      id: s.id,
      name: s.name,
      identityCode: s.identity_code,
      divisionCode: s.division_code,
      divisionName: names.get(s.division_code) ?? '',
      address: s.address,
      contactName: s.contact_name,
      contactPhone: s.contact_phone,
    },
    credit: { grade: arch.rating.grade, gradeZh: arch.rating.nameZh, gradeEn: arch.rating.nameEn },
    openCases: cases.map((c) => {
      const st = caseWorkflow.stateLabel(c.status);
      return { id: c.id, caseNo: c.case_no, statusZh: st.zh, statusEn: st.en };
    }),
  };
}

export async function recordInspection(ctx: Ctx, input: InspectionInput): Promise<Inspection> {
  const s = await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode');
  assertInScope(ctx.actor.scope, s.division_code, ...credit.SUBJECT);
  const { id } = await repo.insertInspection(ctx.db, {
    org_id: ctx.actor.orgId,
    division_code: s.division_code,
    subject_id: s.id,
    inspector_id: ctx.actor.id,
    inspector_name: ctx.actor.displayName || ctx.actor.username,
    place: input.place?.trim() || null,
    findings: input.findings.trim(),
    result: input.result,
    attachment_ids: input.attachmentIds ?? [],
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    case_id: null,
  });
  await attachFiles(ctx, input.attachmentIds ?? [], 'enforcement_inspection', id, 'attachmentIds');
  await audit(ctx, {
    verb: 'enforcement.manage',
    targetType: 'enforcement_inspection',
    targetId: id,
    targetName: s.name,
    divisionCode: s.division_code,
    summary: { action: 'inspect' },
    after: { result: INSPECTION_RESULT_LABELS[input.result].zh, findings: input.findings.trim() },
  });
  return getInspection(ctx, id);
}

async function inspectionDto(ctx: Ctx, r: repo.InspectionRow, names: Map<string, string>): Promise<Inspection> {
  const files = await fileRefs(ctx.db, r.attachment_ids);
  return {
    id: r.id,
    orgName: r.org_name,
    divisionCode: r.division_code,
    divisionName: names.get(r.division_code) ?? '',
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    identityCode: r.identity_code,
    inspectorName: r.inspector_name,
    place: r.place,
    findings: r.findings,
    result: r.result,
    resultZh: INSPECTION_RESULT_LABELS[r.result].zh,
    resultEn: INSPECTION_RESULT_LABELS[r.result].en,
    attachments: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime })),
    longitude: r.longitude,
    latitude: r.latitude,
    caseId: r.case_id,
    caseNo: r.case_no,
    createdAt: r.created_at.toISOString(),
  };
}

export async function getInspection(ctx: Ctx, id: string): Promise<Inspection> {
  const r = await repo.inspectionById(ctx.db, id);
  if (!r) throw problems.notFound(...INSPECTION);
  assertInScope(ctx.actor.scope, r.division_code, ...INSPECTION);
  return inspectionDto(ctx, r, await regions.fullNamesOf(ctx, [r.division_code]));
}

export async function listInspections(ctx: Ctx, q: InspectionListQuery) {
  const page = await repo.listInspections(
    ctx.db,
    { scope: ctx.actor.scope, subjectId: q.subjectId },
    pageOf(q, { pageSize: 50 }),
  );
  const names = await regions.fullNamesOf(
    ctx,
    page.items.map((r) => r.division_code),
  );
  return mapPage(page, (r) => inspectionDto(ctx, r, names));
}

/** An inspection a new case cites: in the caller's jurisdiction and not yet turned into a case. */
export async function inspectionForCase(ctx: Ctx, id: string): Promise<repo.InspectionRow> {
  const r = await repo.inspectionById(ctx.db, id);
  if (!r || !inScope(ctx.actor.scope, r.division_code))
    throw problems.invalid(
      'sourceId',
      '指向的执法检查记录不存在或不在本辖区',
      'names no inspection in your jurisdiction',
    );
  if (r.case_id)
    throw problems.invalid(
      'sourceId',
      `该执法检查已立案（${r.case_no}）`,
      `this inspection already led to case ${r.case_no}`,
    );
  return r;
}

export const mayReadInspectionFile = async (ctx: Ctx, ownerId: string) => {
  const r = await repo.inspectionById(ctx.db, ownerId);
  return !!r && inScope(ctx.actor.scope, r.division_code);
};
