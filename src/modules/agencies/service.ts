import { audit } from '../../kernel/audit.js';
import { hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import { inScope, scopeFilter } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { ID_CODE_REASONS, creditCodeError, normaliseCode } from '../../kernel/idcodes.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';
import { type ChangeInput, requestChangeOnBehalf, requireOwnActiveSubject } from '../subjects/service.js';

/**
 * 第三方社会化服务机构 Third-party service agencies: they register as organisations (kind 'service') and are reviewed
 * by the province (DOMAIN: registered and audited); a producer authorises an agency to collect information on its
 * behalf for named scopes, revocably. Every record an agency enters carries who entered it (actor) and for whom
 * (audit `on_behalf_of` = subject id; application data `enteredByOrg`). Agencies created directly by an
 * information administrator (no registration row) count as vetted.
 */
export const SCOPES: Record<string, { zh: string; en: string }> = {
  profile: { zh: '主体信息变更', en: 'producer profile changes' },
  products: { zh: '产品信息', en: 'products' },
  bases: { zh: '生产基地', en: 'production bases' },
  batches: { zh: '批次与追溯码', en: 'batches and trace codes' },
};
const AGENCY = ['服务机构', 'Service agency'] as const;

export async function register(ctx: Ctx<Actor | null>, input: { name: string; creditCode: string; legalPerson: string; services: string; divisionCode: string; contactName: string; contactPhone: string; address?: string | null; username: string; password: string }) {
  const code = normaliseCode(input.creditCode);
  const err = creditCodeError(code);
  if (err) throw problems.invalid('creditCode', `（统一社会信用代码）${ID_CODE_REASONS[err].zh}`, `(credit code) ${ID_CODE_REASONS[err].en}`);
  if (input.divisionCode.length < 4) throw problems.invalid('divisionCode', '：请至少选到地市', ': choose at least the city');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  if (!isStrongPassword(input.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  const dup = await ctx.db.selectFrom('service_agency').select('org_id').where('credit_code', '=', code).where('status', '<>', 'rejected').executeTakeFirst();
  if (dup) throw problems.duplicate('服务机构（统一社会信用代码）', 'Service agency (credit code)', code, 'creditCode');
  const taken = await ctx.db.selectFrom('account').select('id').where((eb) => eb(eb.fn('lower', ['username']), '=', input.username.toLowerCase())).executeTakeFirst();
  if (taken) throw problems.duplicate('用户名', 'Username', input.username, 'username');
  const org = await ctx.db
    .insertInto('organisation')
    .values({ name: input.name.trim(), kind: 'service', division_code: input.divisionCode, status: 'disabled', contact_name: input.contactName, contact_phone: input.contactPhone, address: input.address ?? null, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.db.insertInto('service_agency').values({ org_id: org.id, credit_code: code, legal_person: input.legalPerson, services: input.services, decided_at: null, decided_by: null, reasons: null }).execute();
  await ctx.db
    .insertInto('account')
    .values({ username: input.username, display_name: input.contactName, phone: input.contactPhone, org_id: org.id, roles: ['service_staff'], password_hash: await hashPassword(input.password), must_change_password: false, created_by: null })
    .execute();
  await audit(ctx, { verb: 'agency.register', targetType: 'organisation', targetId: org.id, divisionCode: input.divisionCode, summary: { name: input.name, creditCode: code } });
  return { orgId: org.id, status: 'pending' as const };
}

/** Public status of a registration (the agency cannot log in until approved). */
export async function registrationStatus(ctx: Ctx<Actor | null>, orgId: string) {
  const r = await ctx.db.selectFrom('service_agency as a').innerJoin('organisation as o', 'o.id', 'a.org_id').select(['a.status', 'a.reasons', 'o.name', 'a.submitted_at', 'a.decided_at']).where('a.org_id', '=', orgId).executeTakeFirst();
  if (!r) throw problems.notFound(...AGENCY);
  return { name: r.name, status: r.status, reasons: r.reasons, submittedAt: r.submitted_at.toISOString(), decidedAt: r.decided_at?.toISOString() ?? null };
}

const isProvinceReviewer = (a: Actor, division: string) =>
  a.verbs.has('agency.review') && inScope(a.scope, division) && (a.roles.includes('platform_admin') || (a.orgKind === 'supervision' && a.scope.length === 2));

export async function list(ctx: Ctx, q: { status?: string }) {
  let query = ctx.db
    .selectFrom('organisation as o')
    .leftJoin('service_agency as a', 'a.org_id', 'o.id')
    .select(['o.id', 'o.name', 'o.division_code', 'o.status as org_status', 'o.contact_name', 'o.contact_phone', 'a.credit_code', 'a.legal_person', 'a.services', 'a.status', 'a.submitted_at', 'a.reasons'])
    .where('o.kind', '=', 'service')
    .where((eb) => scopeFilter(eb, 'o.division_code', ctx.actor.scope));
  if (q.status === 'approved') query = query.where((eb) => eb.or([eb('a.status', '=', 'approved'), eb('a.status', 'is', null)]));
  else if (q.status) query = query.where('a.status', '=', q.status as never);
  const rows = await query.orderBy('o.name').limit(500).execute();
  return rows.map((r) => ({
    orgId: r.id, name: r.name, divisionCode: r.division_code, creditCode: r.credit_code, legalPerson: r.legal_person, services: r.services, contactName: r.contact_name,
    contactPhone: r.contact_phone, status: r.status ?? 'approved', reasons: r.reasons, submittedAt: r.submitted_at?.toISOString() ?? null,
    allowedActions: r.status === 'pending' && isProvinceReviewer(ctx.actor, r.division_code) ? ['approve', 'reject'] : [],
  }));
}

export async function decide(ctx: Ctx, orgId: string, approve: boolean, reasons: string | null) {
  const r = await ctx.db.selectFrom('service_agency as a').innerJoin('organisation as o', 'o.id', 'a.org_id').select(['a.status', 'o.division_code']).where('a.org_id', '=', orgId).forUpdate().executeTakeFirst();
  if (!r) throw problems.notFound(...AGENCY);
  if (!inScope(ctx.actor.scope, r.division_code)) throw problems.outOfJurisdiction(...AGENCY);
  if (!isProvinceReviewer(ctx.actor, r.division_code)) throw new Problem('AGENCY_REVIEW_PROVINCE_ONLY');
  if (r.status !== 'pending') throw new Problem('INVALID_STATE', { stateZh: r.status === 'approved' ? '已通过' : '已驳回', stateEn: r.status, actionZh: approve ? '审核通过' : '驳回', actionEn: approve ? 'approve' : 'reject' });
  if (!approve && !reasons?.trim()) throw problems.invalid('reasons', '：请写明驳回原因', ': give the reasons');
  await ctx.db.updateTable('service_agency').set({ status: approve ? 'approved' : 'rejected', decided_at: new Date(), decided_by: ctx.actor.id, reasons }).where('org_id', '=', orgId).execute();
  if (approve) await ctx.db.updateTable('organisation').set({ status: 'active', updated_at: new Date() }).where('id', '=', orgId).execute();
  await audit(ctx, { verb: approve ? 'agency.approve' : 'agency.reject', targetType: 'organisation', targetId: orgId, divisionCode: r.division_code, summary: { reasons } });
  return (await list(ctx, {})).find((a) => a.orgId === orgId);
}

// ── authorisations ───────────────────────────────────────────────────────────
const authDto = (a: { id: string; agency_org_id: string; agency_name: string; scopes: string[]; granted_at: Date; revoked_at: Date | null }) => ({
  id: a.id, agencyOrgId: a.agency_org_id, agencyName: a.agency_name, scopes: a.scopes, grantedAt: a.granted_at.toISOString(), revokedAt: a.revoked_at?.toISOString() ?? null, active: !a.revoked_at,
});
function authQuery(ctx: Ctx) {
  return ctx.db.selectFrom('agency_authorisation as g').innerJoin('organisation as o', 'o.id', 'g.agency_org_id').select(['g.id', 'g.agency_org_id', 'o.name as agency_name', 'g.scopes', 'g.granted_at', 'g.revoked_at', 'g.subject_id']);
}

export async function myAuthorisations(ctx: Ctx) {
  const s = await requireOwnActiveSubject(ctx);
  return (await authQuery(ctx).where('g.subject_id', '=', s.id).orderBy('g.granted_at', 'desc').execute()).map(authDto);
}

export async function grant(ctx: Ctx, input: { agencyOrgId: string; scopes: string[] }) {
  const s = await requireOwnActiveSubject(ctx);
  const agency = await ctx.db.selectFrom('organisation as o').leftJoin('service_agency as a', 'a.org_id', 'o.id').select(['o.kind', 'o.status', 'a.status as review']).where('o.id', '=', input.agencyOrgId).executeTakeFirst();
  if (!agency || agency.kind !== 'service' || agency.status !== 'active' || (agency.review && agency.review !== 'approved')) throw new Problem('AGENCY_NOT_APPROVED', { field: 'agencyOrgId' });
  const live = await ctx.db.selectFrom('agency_authorisation').select('id').where('subject_id', '=', s.id).where('agency_org_id', '=', input.agencyOrgId).where('revoked_at', 'is', null).forUpdate().executeTakeFirst();
  if (live) await ctx.db.updateTable('agency_authorisation').set({ scopes: input.scopes }).where('id', '=', live.id).execute();
  else await ctx.db.insertInto('agency_authorisation').values({ subject_id: s.id, agency_org_id: input.agencyOrgId, scopes: input.scopes, granted_by: ctx.actor.id, revoked_at: null, revoked_by: null }).execute();
  await audit(ctx, { verb: 'mySubject.authorise', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { action: 'grant', agencyOrgId: input.agencyOrgId, scopes: input.scopes } });
  return myAuthorisations(ctx);
}

export async function revoke(ctx: Ctx, id: string) {
  const s = await requireOwnActiveSubject(ctx);
  const res = await ctx.db.updateTable('agency_authorisation').set({ revoked_at: new Date(), revoked_by: ctx.actor.id }).where('id', '=', id).where('subject_id', '=', s.id).where('revoked_at', 'is', null).executeTakeFirst();
  if (!Number(res.numUpdatedRows)) throw problems.notFound('有效的授权', 'Active authorisation');
  await audit(ctx, { verb: 'mySubject.authorise', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { action: 'revoke', authorisationId: id } });
  return myAuthorisations(ctx);
}

/**
 * For every module where an agency enters records for a producer: checks a live authorisation of the caller's
 * agency covering `scope`, and returns what to record (audit `onBehalfOf`, the agency's name).
 */
export async function actingFor(ctx: Ctx, subjectId: string, scope: string) {
  if (ctx.actor.orgKind !== 'service') throw new Problem('AGENCY_NOT_AUTHORISED', { scopeZh: SCOPES[scope]?.zh ?? scope, scopeEn: SCOPES[scope]?.en ?? scope });
  const g = await ctx.db
    .selectFrom('agency_authorisation')
    .select(['id', 'scopes'])
    .where('subject_id', '=', subjectId)
    .where('agency_org_id', '=', ctx.actor.orgId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!g || !g.scopes.includes(scope)) throw new Problem('AGENCY_NOT_AUTHORISED', { scopeZh: SCOPES[scope]?.zh ?? scope, scopeEn: SCOPES[scope]?.en ?? scope });
  return { onBehalfOf: subjectId, agencyName: ctx.actor.orgName, authorisationId: g.id };
}

export async function clients(ctx: Ctx) {
  const rows = await ctx.db
    .selectFrom('agency_authorisation as g')
    .innerJoin('subject as s', 's.id', 'g.subject_id')
    .select(['g.id', 'g.scopes', 'g.granted_at', 's.id as subject_id', 's.name', 's.identity_code', 's.status', 's.division_code'])
    .where('g.agency_org_id', '=', ctx.actor.orgId)
    .where('g.revoked_at', 'is', null)
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({ authorisationId: r.id, scopes: r.scopes, grantedAt: r.granted_at.toISOString(), subjectId: r.subject_id, name: r.name, identityCode: r.identity_code, status: r.status, divisionCode: r.division_code }));
}

export async function changeForClient(ctx: Ctx, subjectId: string, input: { changes: ChangeInput; reason: string }) {
  const { agencyName } = await actingFor(ctx, subjectId, 'profile');
  return requestChangeOnBehalf(ctx, subjectId, input, agencyName);
}

/** Approved agencies a producer may authorise: those of its province (and national ones). */
export async function available(ctx: Ctx) {
  const s = await requireOwnActiveSubject(ctx);
  const province = s.division_code.slice(0, 2);
  const rows = await ctx.db
    .selectFrom('organisation as o')
    .leftJoin('service_agency as a', 'a.org_id', 'o.id')
    .select(['o.id', 'o.name', 'o.division_code', 'a.services'])
    .where('o.kind', '=', 'service')
    .where('o.status', '=', 'active')
    .where((eb) => eb.or([eb('a.status', '=', 'approved'), eb('a.status', 'is', null)]))
    .where((eb) => eb.or([eb('o.division_code', 'like', `${province}%`), eb('o.division_code', '=', '')]))
    .orderBy('o.name')
    .limit(200)
    .execute();
  return rows.map((r) => ({ orgId: r.id, name: r.name, divisionCode: r.division_code, services: r.services }));
}
