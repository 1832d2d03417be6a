import { inScope } from '../../../kernel/auth/scope.js';
import { chinaDate, deadlineFrom } from '../../../kernel/calendar.js';
import type { Actor, Ctx } from '../../../kernel/context.js';
import { attachFile } from '../../../kernel/files.js';
import { maskIdNumber } from '../../../kernel/idcodes.js';
import { Problem, problems } from '../../../kernel/problems.js';
import type { SharedRow } from '../../../kernel/shared-lists.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import type { Normalised } from '../rules.js';
import type { Application, ApplicationKind, FileRef, Subject, SubjectDetail, SubjectStatus } from '../schemas.js';
import { ACTIVE_STATUSES, STATUS_LABELS, allowedActions, isReviewerOf } from '../states.js';

/** What the parts of the subjects service share: labels, DTOs, loaders and the application/file writers. */

/** Working days a county has to review an application (DOMAIN: 县级审核 5 个工作日). */
export const REVIEW_WORKING_DAYS = 5;
export const SUBJECT = ['生产经营主体', 'Subject'] as const;
export const APPLICATION = ['申请', 'Application'] as const;
export const OWN_SUBJECT = ['本账号对应的生产经营主体', 'Subject of this account'] as const;

// ── DTOs ─────────────────────────────────────────────────────────────────────────────────────────────────────────
/** May this actor see full certificate/ID numbers of this subject? The owner and its county reviewers. */
function seesPersonalData(actor: Actor, s: repo.SubjectRow) {
  return actor.orgId === s.org_id || isReviewerOf(actor, s.division_code);
}

/** Upward sharing of subjects, with their registry hashes (registry.ts). Call after the write. */
export { shareSubjectRows as shareSubjects } from '../registry.js';

export function subjectDto(actor: Actor, s: repo.SubjectRow): Subject {
  const full = seesPersonalData(actor, s);
  return {
    id: s.id,
    orgId: s.org_id,
    name: s.name,
    orgForm: s.org_form,
    subjectType: s.subject_type,
    isSlaughterhouse: s.is_slaughterhouse,
    industries: s.industries,
    certType: s.cert_type,
    certNo: s.cert_type === 'id_card' && !full ? maskIdNumber(s.cert_no) : s.cert_no,
    legalPersonName: s.legal_person_name,
    legalPersonIdNo: s.legal_person_id_no ? (full ? s.legal_person_id_no : maskIdNumber(s.legal_person_id_no)) : null,
    legalPersonPhone: s.legal_person_phone,
    contactName: s.contact_name,
    contactPhone: s.contact_phone,
    contactEmail: s.contact_email,
    address: s.address,
    divisionCode: s.division_code,
    divisionName: s.division_name ?? '',
    longitude: s.longitude,
    latitude: s.latitude,
    certifications: s.certifications,
    status: s.status,
    statusZh: STATUS_LABELS[s.status].zh,
    statusEn: STATUS_LABELS[s.status].en,
    identityCode: s.identity_code,
    approvedAt: s.approved_at?.toISOString() ?? null,
    source: s.source,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
    version: s.version,
    allowedActions: allowedActions(actor, s),
    originPlatform: null,
  };
}

/**
 * A subject shared from a lower platform as the upper platform lists it: its shared fields, marked with its origin
 * platform; read-only here (the lower platform is the system of record), ID numbers always masked.
 */
export function sharedSubjectDto(r: repo.SharedSubjectRow): Subject {
  const p = (r.payload ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
  const strOrNull = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : null);
  const num = (k: string) => (typeof p[k] === 'number' ? (p[k] as number) : null);
  const list = (k: string) => (Array.isArray(p[k]) ? (p[k] as never[]) : []);
  const status = (str('status') in STATUS_LABELS ? str('status') : 'pending') as SubjectStatus;
  const idNo = strOrNull('legalPersonIdNo');
  return {
    id: str('id') || r.id,
    orgId: null,
    name: str('name'),
    orgForm: str('orgForm') as Subject['orgForm'],
    subjectType: str('subjectType') as Subject['subjectType'],
    isSlaughterhouse: p.isSlaughterhouse === true,
    industries: list('industries'),
    certType: str('certType') as Subject['certType'],
    certNo: str('certType') === 'id_card' ? maskIdNumber(str('certNo')) : str('certNo'),
    legalPersonName: str('legalPersonName'),
    legalPersonIdNo: idNo ? maskIdNumber(idNo) : null,
    legalPersonPhone: strOrNull('legalPersonPhone'),
    contactName: str('contactName'),
    contactPhone: str('contactPhone'),
    contactEmail: strOrNull('contactEmail'),
    address: str('address'),
    divisionCode: r.division_code,
    divisionName: r.division_name ?? '',
    longitude: num('longitude'),
    latitude: num('latitude'),
    certifications: list('certifications'),
    status,
    statusZh: STATUS_LABELS[status].zh,
    statusEn: STATUS_LABELS[status].en,
    identityCode: strOrNull('identityCode'),
    approvedAt: null,
    source: 'self',
    createdAt: r.origin_created_at.toISOString(),
    updatedAt: r.received_at.toISOString(),
    version: 1,
    allowedActions: [],
    originPlatform: r.origin_platform,
  };
}

export function applicationDto(a: repo.ApplicationRow): Application {
  const today = chinaDate();
  return {
    id: a.id,
    subjectId: a.subject_id,
    kind: a.kind,
    status: a.status,
    data: a.data as Record<string, unknown>,
    reason: a.reason,
    submittedAt: a.submitted_at.toISOString(),
    dueDate: a.due_date,
    overdue: a.status === 'pending' && today > a.due_date,
    decidedAt: a.decided_at?.toISOString() ?? null,
    decidedByName: a.decided_by_name,
    decisionNote: a.decision_note,
    reasons: a.reasons as { field?: string; reason: string }[],
  };
}

/** The profile with its files, applications and whether it has a main account. */
export async function fullView(ctx: Ctx, s: repo.SubjectRow): Promise<SubjectDetail> {
  const [apps, files, divisionFullName, accounts] = await Promise.all([
    repo.applicationsOf(ctx.db, s.id),
    repo.filesOf(ctx.db, s.id),
    regions.fullName(ctx, s.division_code),
    repo.accountsOf(ctx.db, s.org_id),
  ]);
  return {
    ...subjectDto(ctx.actor, s),
    divisionFullName,
    hasAccount: accounts.some((a) => isMainAccount(a.roles)),
    files: files.map((f) => ({
      id: f.id,
      name: f.name,
      mime: f.mime,
      size: f.size,
      kind: f.kind,
      url: `/api/v1/files/${f.id}`,
    })),
    applications: apps.map(applicationDto),
  };
}

/**
 * A subject shared up from a lower platform, opened by its id (信息归集): the profile as shared, marked with its
 * origin, read-only — no account, documents or applications travel (the lower platform is the system of record).
 */
export async function sharedFullView(ctx: Ctx, r: SharedRow): Promise<SubjectDetail> {
  const [names, divisionFullName] = await Promise.all([
    regions.namesOf(ctx, [r.division_code]),
    regions.fullName(ctx, r.division_code),
  ]);
  return {
    ...sharedSubjectDto({ ...r, division_name: names.get(r.division_code) ?? null }),
    divisionFullName,
    hasAccount: false,
    files: [],
    applications: [],
  };
}

/** The producer's main account holds producer_admin (approved) or producer_applicant (not yet). */
export const isMainAccount = (roles: string[]) =>
  roles.includes('producer_admin') || roles.includes('producer_applicant');

// ── checks ───────────────────────────────────────────────────────────────────────────────────────────────────────
/** The producer itself, or a non-producer whose jurisdiction contains the subject. */
export function assertSubjectInScope(actor: Actor, s: repo.SubjectRow) {
  if (actor.orgId === s.org_id) return;
  if (actor.orgKind === 'producer' || !inScope(actor.scope, s.division_code))
    throw problems.outOfJurisdiction(...SUBJECT);
}

export function assertActive(s: repo.SubjectRow) {
  if (!ACTIVE_STATUSES.includes(s.status))
    throw new Problem('SUBJECT_NOT_ACTIVE', {
      statusZh: STATUS_LABELS[s.status].zh,
      statusEn: STATUS_LABELS[s.status].en,
    });
}

export async function assertNoDuplicate(ctx: Ctx<Actor | null>, n: Normalised, except?: string) {
  const dup = await repo.liveDuplicate(ctx.db, n.values.dedup_key, n.creditCode, except);
  if (!dup) return;
  const byCredit = dup.dedup_key.startsWith('C') || (n.creditCode !== null && n.values.dedup_key.startsWith('C'));
  throw new Problem('SUBJECT_DUPLICATE', {
    field: byCredit || n.values.cert_type === 'id_card' ? 'certNo' : 'legalPersonIdNo',
    certZh: byCredit ? '统一社会信用代码' : '身份证号码',
    certEn: byCredit ? 'unified social credit code' : 'ID number',
    statusZh: STATUS_LABELS[dup.status as SubjectStatus].zh,
    statusEn: STATUS_LABELS[dup.status as SubjectStatus].en,
  });
}

// ── writers ──────────────────────────────────────────────────────────────────────────────────────────────────────
export async function attachFiles(ctx: Ctx<Actor | null>, subjectId: string, files: FileRef[] | undefined) {
  for (const [i, f] of (files ?? []).entries()) {
    await attachFile(ctx, f.fileId, 'subject', subjectId, `files[${i}].fileId`);
    await repo.upsertFile(ctx.db, subjectId, f.fileId, f.kind);
  }
}

/** A new application with its review deadline (5 Chinese working days). */
export function newApplication(
  ctx: Ctx<Actor | null>,
  a: {
    subjectId: string;
    kind: ApplicationKind;
    division: string;
    data: Record<string, unknown>;
    reason: string | null;
    submittedBy: string | null;
    /** The agency (and person) that entered it for the producer. */
    enteredByOrg?: string | null;
  },
) {
  const now = new Date();
  return repo.insertApplication(ctx.db, {
    subject_id: a.subjectId,
    kind: a.kind,
    data: JSON.stringify(a.enteredByOrg ? { ...a.data, enteredByOrg: a.enteredByOrg } : a.data),
    reason: a.reason,
    division_code: a.division,
    submitted_at: now,
    submitted_by: a.submittedBy,
    due_date: deadlineFrom(now, REVIEW_WORKING_DAYS),
    decided_at: null,
    decided_by: null,
    decided_by_name: null,
    decision_note: null,
    reasons: '[]',
  });
}
