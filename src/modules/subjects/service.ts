import { audit } from '../../kernel/audit.js';
import { hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import { inScope } from '../../kernel/auth/scope.js';
import { chinaDate, deadlineFrom, workingDaysBetween } from '../../kernel/calendar.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { attachFile, registerFileOwner } from '../../kernel/files.js';
import { ID_CODE_REASONS, creditCodeError, idNumberError, maskIdNumber, normaliseCode } from '../../kernel/idcodes.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { Selectable } from 'kysely';
import type { ApplicationKind, CertType, Industry, SubjectOrgForm, SubjectStatus, SubjectTable, SubjectType } from '../../schema.js';
import * as directory from '../directory/repo.js';
import * as regions from '../regions/service.js';
import { identityCode, identitySecret, isIdentityCode } from './identity.js';
import * as repo from './repo.js';
import { ACTION_LABELS, ACTIVE_STATUSES, STATUS_LABELS, type SubjectAction, allowedActions, isReviewerOf, transition, whoIs } from './states.js';

/** Working days a county has to review an application (DOMAIN: 县级审核 5 个工作日). */
export const REVIEW_WORKING_DAYS = 5;
const SUBJECT = ['生产经营主体', 'Subject'] as const;
const APPLICATION = ['申请', 'Application'] as const;

export const ORG_FORMS: Record<SubjectOrgForm, { zh: string; en: string }> = {
  enterprise: { zh: '企业（含个体工商户）', en: 'enterprise / individual business' },
  cooperative: { zh: '合作社', en: 'cooperative' },
  family_farm: { zh: '家庭农场', en: 'family farm' },
  individual: { zh: '农户（个人）', en: 'individual farmer' },
};
export const SUBJECT_TYPES: Record<SubjectType, { zh: string; en: string }> = {
  production: { zh: '生产', en: 'production' },
  operation: { zh: '经营', en: 'operation' },
  both: { zh: '生产经营', en: 'production and operation' },
};
export const INDUSTRIES: Record<Industry, { zh: string; en: string }> = {
  planting: { zh: '种植业', en: 'planting' },
  livestock: { zh: '畜牧业', en: 'livestock' },
  fishery: { zh: '渔业', en: 'fishery' },
};
export const CERTIFICATIONS: Record<string, { zh: string; en: string }> = {
  green: { zh: '绿色食品', en: 'green food' },
  organic: { zh: '有机农产品', en: 'organic' },
  gi: { zh: '农产品地理标志', en: 'geographical indication' },
  gap: { zh: '良好农业规范', en: 'GAP' },
};
export const CERT_TYPES: Record<CertType, { zh: string; en: string }> = {
  credit_code: { zh: '统一社会信用代码', en: 'unified social credit code' },
  id_card: { zh: '居民身份证', en: 'resident ID card' },
};

// ── input ────────────────────────────────────────────────────────────────────
export interface SubjectFields {
  orgForm: SubjectOrgForm;
  subjectType: SubjectType;
  isSlaughterhouse?: boolean;
  industries: Industry[];
  name: string;
  certType: CertType;
  certNo: string;
  legalPersonName: string;
  legalPersonIdNo?: string | null;
  legalPersonPhone?: string | null;
  contactName: string;
  contactPhone: string;
  contactEmail?: string | null;
  address: string;
  divisionCode: string;
  longitude?: number | null;
  latitude?: number | null;
  certifications?: string[];
  files?: { fileId: string; kind: 'licence' | 'id_front' | 'id_back' | 'other' }[];
}
export interface RegisterInput extends SubjectFields {
  username: string;
  password: string;
}

/** A subject's registration fields as stored: the subject row less its identity, state and bookkeeping columns. */
type SubjectValues = Omit<Selectable<SubjectTable>, 'id' | 'org_id' | 'status' | 'identity_code' | 'approved_at' | 'source' | 'source_ref' | 'created_at' | 'created_by' | 'updated_at' | 'version'>;

interface Normalised {
  values: SubjectValues;
  creditCode: string | null;
}

function badCode(field: string, which: 'credit' | 'id', err: keyof typeof ID_CODE_REASONS): Problem {
  const label = which === 'credit' ? ['统一社会信用代码', 'unified social credit code'] : ['身份证号码', 'ID number'];
  return problems.invalid(field, `（${label[0]}）${ID_CODE_REASONS[err].zh}`, `(${label[1]}) ${ID_CODE_REASONS[err].en}`);
}

/** The duplicate key: credit code for enterprises and cooperatives, the ID number for family farms and farmers. */
export function dedupKeyOf(orgForm: SubjectOrgForm, certType: CertType, certNo: string, personalId: string | null): string {
  if (orgForm === 'enterprise' || orgForm === 'cooperative') return `C${certNo}`;
  return `I${certType === 'id_card' ? certNo : (personalId ?? certNo)}`;
}

/** Validates and normalises registration fields (shared by registration, resubmission and import). */
export function normaliseFields(f: SubjectFields): Normalised {
  const certNo = normaliseCode(f.certNo);
  const personalId = f.legalPersonIdNo ? normaliseCode(f.legalPersonIdNo) : null;
  if ((f.orgForm === 'enterprise' || f.orgForm === 'cooperative') && f.certType !== 'credit_code')
    throw problems.invalid('certType', '：企业和合作社须使用统一社会信用代码', ': enterprises and cooperatives register with their unified social credit code');
  if (f.orgForm === 'individual' && f.certType !== 'id_card') throw problems.invalid('certType', '：农户（个人）须使用居民身份证', ': individual farmers register with their resident ID card');
  if (f.certType === 'credit_code') {
    const e = creditCodeError(certNo);
    if (e) throw badCode('certNo', 'credit', e);
  } else {
    const e = idNumberError(certNo);
    if (e) throw badCode('certNo', 'id', e);
  }
  if (personalId) {
    const e = idNumberError(personalId);
    if (e) throw badCode('legalPersonIdNo', 'id', e);
  }
  if (f.orgForm === 'family_farm' && f.certType === 'credit_code' && !personalId)
    throw problems.invalid('legalPersonIdNo', '：家庭农场须填写经营者身份证号码（用于查重）', ': a family farm must give the operator’s ID number (used to detect duplicates)');
  if (f.divisionCode.length < 6) throw problems.invalid('divisionCode', '：所在地区至少要选到县（区）', ': choose at least the county (district)');
  if ((f.longitude == null) !== (f.latitude == null)) throw problems.invalid(f.longitude == null ? 'longitude' : 'latitude', '：经度和纬度须同时填写', ': give both longitude and latitude');
  const industries = [...new Set(f.industries)];
  const name = f.name.trim();
  if (name.length < 2) throw problems.invalid('name', '：名称至少 2 个字', ': at least 2 characters');
  return {
    creditCode: f.certType === 'credit_code' ? certNo : null,
    values: {
      name,
      org_form: f.orgForm,
      subject_type: f.subjectType,
      is_slaughterhouse: f.isSlaughterhouse ?? false,
      industries,
      cert_type: f.certType,
      cert_no: certNo,
      dedup_key: dedupKeyOf(f.orgForm, f.certType, certNo, personalId),
      legal_person_name: f.legalPersonName.trim(),
      legal_person_id_no: personalId ?? (f.certType === 'id_card' ? certNo : null),
      legal_person_phone: f.legalPersonPhone ?? null,
      contact_name: f.contactName.trim(),
      contact_phone: f.contactPhone,
      contact_email: f.contactEmail ?? null,
      address: f.address.trim(),
      division_code: f.divisionCode,
      longitude: f.longitude ?? null,
      latitude: f.latitude ?? null,
      certifications: [...new Set(f.certifications ?? [])],
    },
  };
}

async function assertNoDuplicate(ctx: Ctx<Actor | null>, n: Normalised, except?: string) {
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

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

async function attachFiles(ctx: Ctx<Actor | null>, subjectId: string, files: SubjectFields['files']) {
  for (const [i, f] of (files ?? []).entries()) {
    await attachFile(ctx, f.fileId, 'subject', subjectId, `files[${i}].fileId`);
    await ctx.db
      .insertInto('subject_file')
      .values({ subject_id: subjectId, file_id: f.fileId, kind: f.kind })
      .onConflict((oc) => oc.columns(['subject_id', 'file_id']).doUpdateSet({ kind: f.kind }))
      .execute();
  }
}

async function newApplication(ctx: Ctx<Actor | null>, subjectId: string, kind: ApplicationKind, division: string, data: Record<string, unknown>, reason: string | null, onBehalfOf?: string | null) {
  const now = new Date();
  return ctx.db
    .insertInto('subject_application')
    .values({
      subject_id: subjectId,
      kind,
      data: JSON.stringify(onBehalfOf ? { ...data, enteredByOrg: onBehalfOf } : data),
      reason,
      division_code: division,
      submitted_at: now,
      submitted_by: ctx.actor?.id ?? null,
      due_date: deadlineFrom(now, REVIEW_WORKING_DAYS),
      decided_at: null,
      decided_by: null,
      decided_by_name: null,
      decision_note: null,
      reasons: '[]',
    })
    .returning(['id', 'due_date'])
    .executeTakeFirstOrThrow();
}

// ── registration (public) ────────────────────────────────────────────────────
/**
 * 主体注册 Self-registration: one transaction creates the producer organisation, its main account (as
 * producer_applicant: it can log in to follow and correct the application, nothing else), the subject in status
 * `pending`, its proof files and the registration application with a 5-working-day deadline.
 */
export async function register(ctx: Ctx<Actor | null>, input: RegisterInput) {
  const n = normaliseFields(input);
  await regions.assertExists(ctx, n.values.division_code, 'divisionCode');
  if (!isStrongPassword(input.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  await assertNoDuplicate(ctx, n);
  const username = input.username.trim();
  const taken = await ctx.db.selectFrom('account').select('id').where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase())).executeTakeFirst();
  if (taken) throw problems.duplicate('用户名', 'Username', username, 'username');
  try {
    const org = await ctx.db
      .insertInto('organisation')
      .values({ name: n.values.name, kind: 'producer', division_code: n.values.division_code, contact_name: n.values.contact_name, contact_phone: n.values.contact_phone, address: n.values.address, created_by: ctx.actor?.id ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const account = await ctx.db
      .insertInto('account')
      .values({ username, display_name: n.values.contact_name, phone: n.values.contact_phone, org_id: org.id, roles: ['producer_applicant'], password_hash: await hashPassword(input.password), must_change_password: false, created_by: ctx.actor?.id ?? null, password_changed_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const subject = await ctx.db
      .insertInto('subject')
      .values({ ...n.values, org_id: org.id, status: 'pending', identity_code: null, approved_at: null, source: 'self', source_ref: null, created_by: account.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await attachFiles(ctx, subject.id, input.files);
    const app = await newApplication({ ...ctx, actor: ctx.actor ?? ({ id: account.id } as Actor) }, subject.id, 'register', n.values.division_code, snapshot(n), null);
    await audit(ctx, {
      verb: 'subject.register', targetType: 'subject', targetId: subject.id, divisionCode: n.values.division_code,
      summary: { name: n.values.name, orgForm: n.values.org_form, username, applicationId: app.id, dueDate: app.due_date },
      actor: ctx.actor ?? { id: account.id, username, orgId: org.id },
    });
    return { subjectId: subject.id, applicationId: app.id, username, status: 'pending' as const, dueDate: app.due_date };
  } catch (err) {
    // A concurrent registration won the race: the transaction is aborted, so answer from the constraint's name.
    if (isUniqueViolation(err)) {
      const constraint = (err as { constraint?: string }).constraint ?? '';
      if (constraint.startsWith('account_username')) throw problems.duplicate('用户名', 'Username', username, 'username');
      throw new Problem('SUBJECT_DUPLICATE', { field: 'certNo', certZh: '证件号码', certEn: 'certificate number', statusZh: STATUS_LABELS.pending.zh, statusEn: STATUS_LABELS.pending.en });
    }
    throw err;
  }
}

/** The fields of an application snapshot (camelCase, the ID number never in clear beyond the subject row). */
function snapshot(n: Normalised) {
  const v = n.values;
  return {
    name: v.name, orgForm: v.org_form, subjectType: v.subject_type, isSlaughterhouse: v.is_slaughterhouse, industries: v.industries, certType: v.cert_type,
    certNo: v.cert_type === 'id_card' ? maskIdNumber(v.cert_no) : v.cert_no, legalPersonName: v.legal_person_name, contactName: v.contact_name,
    contactPhone: v.contact_phone, contactEmail: v.contact_email, address: v.address, divisionCode: v.division_code, longitude: v.longitude, latitude: v.latitude,
    certifications: v.certifications,
  };
}

// ── DTOs ─────────────────────────────────────────────────────────────────────
/** May this actor see full certificate/ID numbers of this subject? The owner and its county reviewers. */
function seesPersonalData(actor: Actor, s: repo.SubjectRow) {
  return actor.orgId === s.org_id || isReviewerOf(actor, s.division_code);
}

export function subjectDto(actor: Actor, s: repo.SubjectRow) {
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
    identityCode: s.identity_code,
    approvedAt: s.approved_at?.toISOString() ?? null,
    source: s.source,
    createdAt: s.created_at.toISOString(),
    updatedAt: s.updated_at.toISOString(),
    version: s.version,
    allowedActions: allowedActions(actor, s),
  };
}

function applicationDto(a: repo.ApplicationRow) {
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

async function fullView(ctx: Ctx, s: repo.SubjectRow) {
  const [apps, files, divisionFullName, accounts] = await Promise.all([repo.applicationsOf(ctx.db, s.id), repo.filesOf(ctx.db, s.id), regions.fullName(ctx, s.division_code), repo.accountsOf(ctx.db, s.org_id)]);
  return {
    ...subjectDto(ctx.actor, s),
    divisionFullName,
    hasAccount: accounts.some((a) => a.roles.includes('producer_admin') || a.roles.includes('producer_applicant')),
    files: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, kind: f.kind, url: `/api/v1/files/${f.id}` })),
    applications: apps.map(applicationDto),
  };
}

// ── reads ────────────────────────────────────────────────────────────────────
function assertSubjectInScope(actor: Actor, s: repo.SubjectRow) {
  if (actor.orgId === s.org_id) return;
  if (actor.orgKind === 'producer' || !inScope(actor.scope, s.division_code)) throw problems.outOfJurisdiction(...SUBJECT);
}

export async function get(ctx: Ctx, id: string) {
  const s = await repo.byId(ctx.db, id);
  if (!s) throw problems.notFound(...SUBJECT);
  assertSubjectInScope(ctx.actor, s);
  return fullView(ctx, s);
}

/** 扫码/输码查主体 A regulator scans or types an identity code: the subject's profile, if within jurisdiction. */
export async function getByIdentityCode(ctx: Ctx, raw: string) {
  const code = normaliseCode(raw);
  if (!isIdentityCode(code)) throw problems.invalid('code', '：主体身份码格式或校验位不正确，请核对', ': not a valid identity code (format or check character); please check it');
  const s = await repo.byIdentityCode(ctx.db, code);
  if (!s) throw problems.notFound(`主体身份码 ${code} 对应的主体`, `Subject with identity code ${code}`);
  assertSubjectInScope(ctx.actor, s);
  // Every look-up by identity code is logged (seed 003: 查询留痕); the route runs this in a write transaction.
  await audit(ctx, { verb: 'subject.scan', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { code } });
  return fullView(ctx, s);
}

export async function search(ctx: Ctx, q: Omit<repo.SubjectFilter, 'scope'> & { page?: number; pageSize?: number }) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { items, total } = await repo.search(ctx.db, { ...q, scope: ctx.actor.scope }, pageSize, (page - 1) * pageSize);
  return { items: items.map((s) => subjectDto(ctx.actor, s)), total, page, pageSize };
}

/** The caller's own subject (producer accounts). */
export async function mine(ctx: Ctx) {
  const s = await repo.byOrg(ctx.db, ctx.actor.orgId);
  if (!s) throw problems.notFound('本账号对应的生产经营主体', 'Subject of this account');
  return fullView(ctx, s);
}

/**
 * For other modules (products, batches…): the approved subject the acting producer account belongs to. Producer
 * rights open with approval (role producer_admin/producer_staff), so a caller that holds a producer verb normally
 * passes; this also refuses subjects whose registration has since been cancelled or revoked.
 */
export async function requireOwnActiveSubject(ctx: Ctx) {
  const s = await repo.byOrg(ctx.db, ctx.actor.orgId);
  if (!s) throw problems.notFound('本账号对应的生产经营主体', 'Subject of this account');
  if (!ACTIVE_STATUSES.includes(s.status)) throw new Problem('SUBJECT_NOT_ACTIVE', { statusZh: STATUS_LABELS[s.status].zh, statusEn: STATUS_LABELS[s.status].en });
  return s;
}

// ── review queue ─────────────────────────────────────────────────────────────
export async function reviewQueue(ctx: Ctx, q: { within?: string; kind?: string; status?: string; overdue?: boolean; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const today = chinaDate();
  const { items, total } = await repo.queue(ctx.db, { scope: ctx.actor.scope, within: q.within, kind: q.kind, status: q.status, overdueBefore: q.overdue ? today : undefined }, pageSize, (page - 1) * pageSize);
  return {
    items: items.map((a) => {
      const overdue = a.status === 'pending' && today > a.due_date;
      const canDecide = a.status === 'pending' && isReviewerOf(ctx.actor, a.division_code);
      return {
        id: a.id,
        subjectId: a.subject_id,
        subjectName: a.subject_name,
        orgForm: a.org_form,
        subjectStatus: a.subject_status,
        kind: a.kind,
        status: a.status,
        reason: a.reason,
        divisionCode: a.division_code,
        divisionName: a.division_name ?? '',
        submittedAt: a.submitted_at.toISOString(),
        dueDate: a.due_date,
        overdue,
        overdueWorkingDays: overdue ? workingDaysBetween(a.due_date, today) : 0,
        workingDaysLeft: overdue || a.status !== 'pending' ? 0 : workingDaysBetween(today, a.due_date),
        decidedAt: a.decided_at?.toISOString() ?? null,
        decidedByName: a.decided_by_name,
        allowedActions: canDecide ? (['approve', 'reject'] as SubjectAction[]) : [],
      };
    }),
    total,
    page,
    pageSize,
  };
}

async function loadForDecision(ctx: Ctx, applicationId: string, action: 'approve' | 'reject') {
  const app = await repo.applicationById(ctx.db, applicationId, true);
  if (!app) throw problems.notFound(...APPLICATION);
  const s = await repo.byId(ctx.db, app.subject_id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  if (!inScope(ctx.actor.scope, s.division_code)) throw problems.outOfJurisdiction(...SUBJECT);
  if (!isReviewerOf(ctx.actor, s.division_code)) throw new Problem('SUBJECT_REVIEW_COUNTY_ONLY');
  const t = transition(s.status, action);
  if (app.status !== 'pending' || !t || t.kind !== app.kind)
    throw new Problem('INVALID_STATE', { stateZh: app.status === 'pending' ? STATUS_LABELS[s.status].zh : '已处理', stateEn: app.status === 'pending' ? STATUS_LABELS[s.status].en : `application ${app.status}`, actionZh: ACTION_LABELS[action].zh, actionEn: ACTION_LABELS[action].en });
  if (app.kind === 'revoke' && app.submitted_by === ctx.actor.id) throw new Problem('SUBJECT_FOUR_EYES');
  return { app, s, t };
}

async function setProducerRoles(ctx: Ctx, orgId: string, active: boolean) {
  const accounts = await repo.accountsOf(ctx.db, orgId);
  for (const a of accounts) {
    const isMain = a.roles.includes('producer_admin') || a.roles.includes('producer_applicant');
    if (isMain) {
      await ctx.db.updateTable('account').set({ roles: [active ? 'producer_admin' : 'producer_applicant'], updated_at: new Date() }).where('id', '=', a.id).execute();
    } else if (!active) {
      await ctx.db.updateTable('account').set({ status: 'disabled', updated_at: new Date() }).where('id', '=', a.id).execute();
      await ctx.db.deleteFrom('session').where('account_id', '=', a.id).execute();
    }
  }
}

/** 审核通过 approveSubjectApplication: registration → identity code + producer rights; change → applied; cancel/revoke → final. */
export async function approve(ctx: Ctx, applicationId: string, note: string | null) {
  const { app, s, t } = await loadForDecision(ctx, applicationId, 'approve');
  const now = new Date();
  const patch: Record<string, unknown> = { status: t.to, updated_at: now, version: s.version + 1 };
  if (app.kind === 'register') {
    const code = s.identity_code ?? identityCode({ orgForm: s.org_form, certType: s.cert_type, certNo: s.cert_no, personalIdNo: s.legal_person_id_no, countyCode: s.division_code, secret: await identitySecret(ctx.db) });
    patch.identity_code = code;
    patch.approved_at = now;
    await setProducerRoles(ctx, s.org_id, true);
    const main = (await repo.accountsOf(ctx.db, s.org_id)).find((a) => a.roles.includes('producer_admin'));
    if (main && !main.user_code) await ctx.db.updateTable('account').set({ user_code: `${code}-00` }).where('id', '=', main.id).execute();
  } else if (app.kind === 'change') {
    Object.assign(patch, changePatch(app.data as Record<string, unknown>));
    const name = (app.data as { name?: string }).name;
    if (name) await ctx.db.updateTable('organisation').set({ name, updated_at: now }).where('id', '=', s.org_id).execute();
    if (patch.division_code) await ctx.db.updateTable('organisation').set({ division_code: patch.division_code as string }).where('id', '=', s.org_id).execute();
  } else {
    await setProducerRoles(ctx, s.org_id, false);
  }
  await ctx.db.updateTable('subject').set(patch).where('id', '=', s.id).execute();
  // The census entry (监管名录) of this producer, if any, now points at its registration.
  if (app.kind === 'register' || app.kind === 'change') await directory.link(ctx.db, s.division_code.slice(0, 6), s.id);
  await ctx.db.updateTable('subject_application').set({ status: 'approved', decided_at: now, decided_by: ctx.actor.id, decided_by_name: ctx.actor.displayName, decision_note: note }).where('id', '=', app.id).execute();
  await audit(ctx, { verb: 'subject.approve', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { applicationId: app.id, kind: app.kind, from: s.status, to: t.to, identityCode: patch.identity_code ?? s.identity_code, note } });
  return get(ctx, s.id);
}

/** 驳回 rejectSubjectApplication: reasons are required; registration → rejected (applicant corrects), others → back to approved. */
export async function reject(ctx: Ctx, applicationId: string, reasons: { field?: string; reason: string }[], note: string | null) {
  if (!reasons.length || reasons.some((r) => !r.reason.trim())) throw problems.invalid('reasons', '：请写明驳回原因', ': give at least one reason');
  const { app, s, t } = await loadForDecision(ctx, applicationId, 'reject');
  const now = new Date();
  await ctx.db.updateTable('subject').set({ status: t.to, updated_at: now, version: s.version + 1 }).where('id', '=', s.id).execute();
  await ctx.db
    .updateTable('subject_application')
    .set({ status: 'rejected', decided_at: now, decided_by: ctx.actor.id, decided_by_name: ctx.actor.displayName, decision_note: note, reasons: JSON.stringify(reasons) })
    .where('id', '=', app.id)
    .execute();
  await audit(ctx, { verb: 'subject.reject', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { applicationId: app.id, kind: app.kind, from: s.status, to: t.to, reasons } });
  return get(ctx, s.id);
}

// ── owner actions ────────────────────────────────────────────────────────────
async function ownSubjectFor(ctx: Ctx, action: SubjectAction) {
  const mineRow = await repo.byOrg(ctx.db, ctx.actor.orgId);
  if (!mineRow) throw problems.notFound('本账号对应的生产经营主体', 'Subject of this account');
  const s = (await repo.byId(ctx.db, mineRow.id, true)) as repo.SubjectRow;
  assertAllowed(ctx.actor, s, action);
  return s;
}

function assertAllowed(actor: Actor, s: repo.SubjectRow, action: SubjectAction) {
  if (!allowedActions(actor, s).includes(action)) {
    const t = transition(s.status, action);
    if (t && !whoIs(actor, s).has(t.who)) throw problems.outOfJurisdiction(...SUBJECT);
    throw new Problem('INVALID_STATE', { stateZh: STATUS_LABELS[s.status].zh, stateEn: STATUS_LABELS[s.status].en, actionZh: ACTION_LABELS[action].zh, actionEn: ACTION_LABELS[action].en });
  }
}

/** 修改后重新提交 A rejected applicant corrects the registration and submits again (new deadline). */
export async function resubmit(ctx: Ctx, input: SubjectFields & { expectedVersion?: number }) {
  const s = await ownSubjectFor(ctx, 'resubmit');
  if (input.expectedVersion !== undefined && input.expectedVersion !== s.version) throw new Problem('STALE_VERSION', { field: 'expectedVersion' });
  const n = normaliseFields(input);
  if (n.values.division_code.slice(0, 6) !== s.division_code.slice(0, 6)) await regions.assertExists(ctx, n.values.division_code, 'divisionCode');
  await assertNoDuplicate(ctx, n, s.id);
  await ctx.db.updateTable('subject').set({ ...n.values, status: 'pending', updated_at: new Date(), version: s.version + 1 }).where('id', '=', s.id).execute();
  await ctx.db.updateTable('organisation').set({ name: n.values.name, division_code: n.values.division_code, updated_at: new Date() }).where('id', '=', s.org_id).execute();
  await attachFiles(ctx, s.id, input.files);
  const app = await newApplication(ctx, s.id, 'register', n.values.division_code, snapshot(n), null);
  await audit(ctx, { verb: 'subject.resubmit', targetType: 'subject', targetId: s.id, divisionCode: n.values.division_code, summary: { applicationId: app.id, dueDate: app.due_date } });
  return mine(ctx);
}

/** Fields a change request may alter (certificate and identity stay: a new certificate is a new registration). */
const CHANGEABLE = ['name', 'subjectType', 'isSlaughterhouse', 'industries', 'legalPersonName', 'legalPersonPhone', 'contactName', 'contactPhone', 'contactEmail', 'address', 'divisionCode', 'longitude', 'latitude', 'certifications'] as const;
export type ChangeInput = Partial<Pick<SubjectFields, (typeof CHANGEABLE)[number]>>;
const COLUMN: Record<(typeof CHANGEABLE)[number], string> = {
  name: 'name', subjectType: 'subject_type', isSlaughterhouse: 'is_slaughterhouse', industries: 'industries', legalPersonName: 'legal_person_name',
  legalPersonPhone: 'legal_person_phone', contactName: 'contact_name', contactPhone: 'contact_phone', contactEmail: 'contact_email', address: 'address',
  divisionCode: 'division_code', longitude: 'longitude', latitude: 'latitude', certifications: 'certifications',
};
function changePatch(data: Record<string, unknown>) {
  const patch: Record<string, unknown> = {};
  for (const k of CHANGEABLE) if (k in data && k in COLUMN) patch[COLUMN[k]] = data[k];
  return patch;
}

/** 申请变更 An approved producer asks for a change; the county re-reviews; the subject stays usable meanwhile. */
export async function requestChange(ctx: Ctx, input: { changes: ChangeInput; reason: string; files?: SubjectFields['files'] }) {
  const s = await ownSubjectFor(ctx, 'requestChange');
  await changeRequest(ctx, s, input, null);
  return mine(ctx);
}

/** A change request entered by an authorised service agency for the producer (agencies module checks the grant). */
export async function requestChangeOnBehalf(ctx: Ctx, subjectId: string, input: { changes: ChangeInput; reason: string }, agencyOrgName: string) {
  const s = await repo.byId(ctx.db, subjectId, true);
  if (!s) throw problems.notFound(...SUBJECT);
  if (!transition(s.status, 'requestChange'))
    throw new Problem('INVALID_STATE', { stateZh: STATUS_LABELS[s.status].zh, stateEn: STATUS_LABELS[s.status].en, actionZh: ACTION_LABELS.requestChange.zh, actionEn: ACTION_LABELS.requestChange.en });
  await changeRequest(ctx, s, input, s.id, agencyOrgName);
  const row = (await repo.byId(ctx.db, s.id)) as repo.SubjectRow;
  return { id: row.id, name: row.name, status: row.status, applications: (await repo.applicationsOf(ctx.db, s.id)).map(applicationDto) };
}

async function changeRequest(ctx: Ctx, s: repo.SubjectRow, input: { changes: ChangeInput; reason: string; files?: SubjectFields['files'] }, onBehalfOf: string | null, agencyOrgName?: string) {
  const changes = Object.fromEntries(Object.entries(input.changes).filter(([k, v]) => (CHANGEABLE as readonly string[]).includes(k) && v !== undefined));
  if (!Object.keys(changes).length) throw problems.invalid('changes', '：没有要变更的内容', ': nothing to change');
  if (typeof changes.divisionCode === 'string') {
    if (!(changes.divisionCode as string).startsWith(s.division_code.slice(0, 6)))
      throw problems.invalid('changes.divisionCode', '：跨县迁移请先注销再到新县注册', ': moving to another county needs cancellation and a new registration there');
    await regions.assertExists(ctx, changes.divisionCode as string, 'changes.divisionCode');
  }
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, (s as unknown as Record<string, unknown>)[COLUMN[k as keyof typeof COLUMN]]]));
  await attachFiles(ctx, s.id, input.files);
  const app = await newApplication(ctx, s.id, 'change', s.division_code, { ...changes, before }, input.reason, agencyOrgName ? `${agencyOrgName}（${ctx.actor.displayName}）` : null);
  await ctx.db.updateTable('subject').set({ status: 'change_pending', updated_at: new Date(), version: s.version + 1 }).where('id', '=', s.id).execute();
  await audit(ctx, { verb: 'subject.requestChange', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { applicationId: app.id, changes, before }, onBehalfOf });
}

/** 申请注销 The producer asks to cancel its registration. */
export async function requestCancel(ctx: Ctx, reason: string) {
  const s = await ownSubjectFor(ctx, 'requestCancel');
  const app = await newApplication(ctx, s.id, 'cancel', s.division_code, {}, reason);
  await ctx.db.updateTable('subject').set({ status: 'cancel_pending', updated_at: new Date(), version: s.version + 1 }).where('id', '=', s.id).execute();
  await audit(ctx, { verb: 'subject.requestCancel', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { applicationId: app.id, reason } });
  return mine(ctx);
}

/** 提请撤销 A regulator proposes revocation (false information, violations); another county reviewer decides. */
export async function requestRevoke(ctx: Ctx, id: string, reason: string) {
  const s = await repo.byId(ctx.db, id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  assertSubjectInScope(ctx.actor, s);
  assertAllowed(ctx.actor, s, 'requestRevoke');
  const app = await newApplication(ctx, s.id, 'revoke', s.division_code, {}, reason);
  await ctx.db.updateTable('subject').set({ status: 'revoke_pending', updated_at: new Date(), version: s.version + 1 }).where('id', '=', s.id).execute();
  await audit(ctx, { verb: 'subject.requestRevoke', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { applicationId: app.id, reason } });
  return get(ctx, s.id);
}

// ── files of subjects: the producer itself and regulators in scope may read them ──
registerFileOwner('subject', async (ctx, ownerId) => {
  const s = await repo.byId(ctx.db, ownerId);
  if (!s) return false;
  if (ctx.actor.orgId === s.org_id) return true;
  return ctx.actor.orgKind !== 'producer' && ctx.actor.verbs.has('subject.read') && inScope(ctx.actor.scope, s.division_code);
});

// ── historic import ──────────────────────────────────────────────────────────
/** importSubjects: checks the uploaded file and its headers, then queues the import job (progress via GET /jobs/:id). */
export async function startImport(ctx: Ctx, fileId: string) {
  const { checkHeaders, JOB_KIND } = await import('./import.js');
  const { enqueue } = await import('../../kernel/jobs.js');
  const { fileStore } = await import('../../kernel/files.js');
  const file = await ctx.db.selectFrom('stored_file').selectAll().where('id', '=', fileId).forUpdate().executeTakeFirst();
  if (!file || file.created_by !== ctx.actor.id || file.owner_type !== null) throw new Problem('FILE_NOT_USABLE', { field: 'fileId', id: fileId });
  if (!['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].includes(file.mime))
    throw new Problem('FILE_TYPE_NOT_ALLOWED', { field: 'fileId', allowedZh: 'Excel（.xlsx）或 CSV 文件', allowedEn: 'Excel (.xlsx) or CSV file' });
  await checkHeaders(await fileStore(ctx.config).get(file.storage_key), file.mime);
  const job = await enqueue(ctx, JOB_KIND, { fileId, scope: ctx.actor.scope });
  await ctx.db.updateTable('stored_file').set({ owner_type: 'subject_import', owner_id: job.id }).where('id', '=', fileId).execute();
  await audit(ctx, { verb: 'subject.import', targetType: 'job', targetId: job.id, divisionCode: ctx.actor.scope, summary: { fileId, name: file.name, size: file.size } });
  return { jobId: job.id, statusUrl: `/api/v1/jobs/${job.id}` };
}

/**
 * 开通账号 An approved producer without a login (historic import, or registered on paper) gets its main account
 * from its county reviewer: producer_admin, user code -00, password to be changed at first login.
 */
export async function openAccount(ctx: Ctx, id: string, input: { username: string; password: string; displayName?: string }) {
  const s = await repo.byId(ctx.db, id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  if (!inScope(ctx.actor.scope, s.division_code)) throw problems.outOfJurisdiction(...SUBJECT);
  if (!isReviewerOf(ctx.actor, s.division_code)) throw new Problem('SUBJECT_REVIEW_COUNTY_ONLY');
  if (!ACTIVE_STATUSES.includes(s.status)) throw new Problem('SUBJECT_NOT_ACTIVE', { statusZh: STATUS_LABELS[s.status].zh, statusEn: STATUS_LABELS[s.status].en });
  const existing = await repo.accountsOf(ctx.db, s.org_id);
  if (existing.some((a) => a.roles.includes('producer_admin') || a.roles.includes('producer_applicant'))) throw new Problem('SUBJECT_HAS_ACCOUNT');
  if (!isStrongPassword(input.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  const username = input.username.trim();
  const taken = await ctx.db.selectFrom('account').select('id').where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase())).executeTakeFirst();
  if (taken) throw problems.duplicate('用户名', 'Username', username, 'username');
  const row = await ctx.db
    .insertInto('account')
    .values({ username, display_name: input.displayName ?? s.contact_name, phone: s.contact_phone, org_id: s.org_id, roles: ['producer_admin'], password_hash: await hashPassword(input.password), must_change_password: true, created_by: ctx.actor.id, user_code: s.identity_code ? `${s.identity_code}-00` : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { verb: 'subject.openAccount', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { username, accountId: row.id } });
  return { accountId: row.id, username, mustChangePassword: true };
}
