import { audit } from '../../../kernel/audit.js';
import { inScope } from '../../../kernel/auth/scope.js';
import type { Ctx } from '../../../kernel/context.js';
import { normaliseCode } from '../../../kernel/idcodes.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { problems } from '../../../kernel/problems.js';
import { openShared } from '../../../kernel/shared-lists.js';
import * as card from '../card.js';
import { isIdentityCode } from '../identity.js';
import * as repo from '../repo.js';
import {
  APPLICATION_KINDS,
  APPLICATION_STATUSES,
  CERTIFICATIONS,
  CERT_TYPES,
  FILE_KINDS,
  INDUSTRIES,
  ORG_FORMS,
  SOURCES,
  SUBJECT_TYPES,
  type SearchFilter,
  type SearchQuery,
} from '../schemas.js';
import { ACTION_LABELS, STATUS_LABELS, TRANSITIONS } from '../states.js';
import {
  OWN_SUBJECT,
  REVIEW_WORKING_DAYS,
  SUBJECT,
  assertActive,
  assertSubjectInScope,
  fullView,
  sharedFullView,
  sharedSubjectDto,
  subjectDto,
} from './common.js';

/** Reads of subjects: the options and state table, one profile, the caller's own, a search, and documents. */

/** getSubjectMeta: the registration options with their zh/en labels, and the state table. */
export function meta() {
  return {
    orgForms: ORG_FORMS,
    subjectTypes: SUBJECT_TYPES,
    industries: INDUSTRIES,
    certifications: CERTIFICATIONS,
    certTypes: CERT_TYPES,
    statuses: STATUS_LABELS,
    actions: ACTION_LABELS,
    applicationKinds: APPLICATION_KINDS,
    applicationStatuses: APPLICATION_STATUSES,
    sources: SOURCES,
    fileKinds: FILE_KINDS,
    transitions: [...TRANSITIONS],
    reviewWorkingDays: REVIEW_WORKING_DAYS,
  };
}

/** A subject of this platform, or one shared up from a lower platform under that id (read-only, marked). */
export async function get(ctx: Ctx, id: string) {
  const s = await repo.byId(ctx.db, id);
  if (!s) return openShared(ctx, 'subject', id, (r) => sharedFullView(ctx, r), problems.notFound(...SUBJECT));
  assertSubjectInScope(ctx.actor, s);
  return fullView(ctx, s);
}

/** 扫码/输码查主体 A regulator scans or types an identity code: the subject's profile, if within jurisdiction. */
export async function getByIdentityCode(ctx: Ctx, raw: string) {
  const code = normaliseCode(raw);
  if (!isIdentityCode(code))
    throw problems.invalid(
      'code',
      '：主体身份码格式或校验位不正确，请核对',
      ': not a valid identity code (format or check character); please check it',
    );
  const s = await repo.byIdentityCode(ctx.db, code);
  if (!s) throw problems.notFound(`主体身份码 ${code} 对应的主体`, `Subject with identity code ${code}`);
  assertSubjectInScope(ctx.actor, s);
  // Every look-up by identity code is logged (seed 003: 查询留痕); the route runs this in a write transaction.
  await audit(ctx, {
    verb: 'subject.scan',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { code },
  });
  return fullView(ctx, s);
}

export async function search(ctx: Ctx, q: SearchQuery) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const { page, pageSize, ...filter } = q;
  // With the records shared from lower platforms (信息归集), marked with their origin.
  const res = await repo.searchWithShared(ctx.db, { ...filter, scope: ctx.actor.scope }, pageOf({ page, pageSize }));
  return mapPage(res, (i) => ('local' in i ? subjectDto(ctx.actor, i.local) : sharedSubjectDto(i.shared)));
}

/** Excel export of a search (≤ 50,000 rows; ID numbers masked unless the caller may see them). */
export async function exportWorkbook(ctx: Ctx, q: SearchFilter) {
  // With the subjects shared from lower platforms (信息归集), as the search lists them.
  const rows = await repo.searchWithShared(ctx.db, { ...q, scope: ctx.actor.scope }, { page: 1, pageSize: 50_000 });
  return { filename: '生产经营主体.xlsx', body: await card.exportWorkbook(ctx, rows.items) };
}

async function ownRow(ctx: Ctx, target: readonly [string, string] = OWN_SUBJECT) {
  const s = await repo.byOrg(ctx.db, ctx.actor.orgId);
  if (!s) throw problems.notFound(...target);
  return s;
}
const OWN_CARD = ['主体', 'Subject'] as const;

/** The caller's own subject (producer accounts). */
export async function mine(ctx: Ctx) {
  return fullView(ctx, await ownRow(ctx));
}

/**
 * For other modules (products, batches…): the approved subject the acting producer account belongs to. Producer
 * rights open with approval (role producer_admin/producer_staff), so a caller that holds a producer verb normally
 * passes; this also refuses subjects whose registration has since been cancelled or revoked.
 */
export async function requireOwnActiveSubject(ctx: Ctx) {
  const s = await ownRow(ctx);
  assertActive(s);
  return s;
}

/**
 * For other modules: the approved subject a service agency acts for (the caller has checked the authorisation, see
 * agencies `delegation`). Refuses subjects whose registration is not (or no longer) active.
 */
export async function requireActiveSubject(ctx: Ctx, id: string) {
  const s = await repo.byId(ctx.db, id);
  if (!s) throw problems.notFound(...OWN_SUBJECT);
  assertActive(s);
  return s;
}

const cardName = (s: repo.SubjectRow) => `identity-${s.identity_code ?? s.id}.pdf`;

/** 主体身份卡 The identity card (PDF) of a subject in the caller's jurisdiction. */
export async function identityCard(ctx: Ctx, id: string) {
  const s = await repo.byId(ctx.db, id);
  if (!s) throw problems.notFound(...SUBJECT);
  assertSubjectInScope(ctx.actor, s);
  return { filename: cardName(s), body: await card.identityCardPdf(ctx, s) };
}

/** The caller's own identity card (PDF). */
export async function myIdentityCard(ctx: Ctx) {
  const s = await ownRow(ctx, OWN_CARD);
  return { filename: cardName(s), body: await card.identityCardPdf(ctx, s) };
}

/** The caller's own identity code as a QR (SVG). */
export async function myIdentityQr(ctx: Ctx) {
  return card.identityQrSvg(ctx, await ownRow(ctx, OWN_CARD));
}
