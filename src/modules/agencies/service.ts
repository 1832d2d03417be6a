import { audit } from '../../kernel/audit.js';
import { inScope, isAtOrBelow, isLevel, provinceOf } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { ID_CODE_REASONS, creditCodeError, normaliseCode } from '../../kernel/idcodes.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as accounts from '../accounts/service.js';
import * as regions from '../regions/service.js';
import { type AgencyChangeInput, requestChangeOnBehalf, requireOwnActiveSubject } from '../subjects/service.js';
import * as repo from './repo.js';
import {
  type Agency,
  type AgencyScope,
  type Authorisation,
  type Client,
  type GrantInput,
  type ListPageQuery,
  type ListQuery,
  type RegisterInput,
  type RegistrationStatus,
  SCOPES,
} from './schemas.js';
import { authorisationFlow, registrationFlow } from './states.js';

/**
 * 第三方社会化服务机构 Third-party service agencies: they register as organisations (kind 'service') and are reviewed
 * by the province (DOMAIN: registered and audited); a producer authorises an agency to collect information on its
 * behalf for named scopes, revocably. Every record an agency enters carries who entered it (actor) and for whom
 * (audit `on_behalf_of` = subject id; application data `enteredByOrg`). Agencies created directly by an
 * information administrator (no registration row) count as vetted.
 */
export { SCOPES };
const AGENCY = ['服务机构', 'Service agency'] as const;

export async function register(ctx: Ctx<Actor | null>, input: RegisterInput) {
  const code = normaliseCode(input.creditCode);
  const err = creditCodeError(code);
  if (err)
    throw problems.invalid(
      'creditCode',
      `（统一社会信用代码）${ID_CODE_REASONS[err].zh}`,
      `(credit code) ${ID_CODE_REASONS[err].en}`,
    );
  if (!isAtOrBelow(input.divisionCode, 'city'))
    throw problems.invalid('divisionCode', '：请至少选到地市', ': choose at least the city');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  accounts.assertStrongPassword(input.password);
  if (await repo.liveRegistrationWithCode(ctx.db, code))
    throw problems.duplicate('服务机构（统一社会信用代码）', 'Service agency (credit code)', code, 'creditCode');
  await accounts.assertUsernameFree(ctx, input.username);
  // The organisation stays disabled (its account cannot log in) until the province approves it.
  const org = await accounts.insertOrganisation(
    ctx,
    {
      name: input.name,
      kind: 'service',
      divisionCode: input.divisionCode,
      status: 'disabled',
      contactName: input.contactName,
      contactPhone: input.contactPhone,
      address: input.address ?? null,
    },
    null,
  );
  await repo.insertRegistration(ctx.db, {
    org_id: org.id,
    credit_code: code,
    legal_person: input.legalPerson,
    services: input.services,
    decided_at: null,
    decided_by: null,
    reasons: null,
  });
  await accounts.insertAccount(
    ctx,
    {
      username: input.username,
      displayName: input.contactName,
      phone: input.contactPhone,
      orgId: org.id,
      roles: ['service_staff'],
      password: input.password,
      mustChangePassword: false,
    },
    null,
  );
  await audit(ctx, {
    verb: 'agency.register',
    targetType: 'organisation',
    targetId: org.id,
    divisionCode: input.divisionCode,
    summary: { name: input.name, creditCode: code },
  });
  return { orgId: org.id, status: 'pending' as const };
}

/** Public status of a registration (the agency cannot log in until approved). */
export async function registrationStatus(ctx: Ctx<Actor | null>, orgId: string): Promise<RegistrationStatus> {
  const r = await repo.registrationOf(ctx.db, orgId);
  if (!r) throw problems.notFound(...AGENCY);
  const label = registrationFlow.stateLabel(r.status);
  return {
    name: r.name,
    status: r.status,
    statusZh: label.zh,
    statusEn: label.en,
    reasons: r.reasons,
    submittedAt: r.submitted_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

/** The province decides: a province-level supervision organisation holding agency.review, or the platform admin. */
const isProvinceReviewer = (a: Actor, division: string) =>
  a.verbs.has('agency.review') &&
  inScope(a.scope, division) &&
  (a.roles.includes('platform_admin') || (a.orgKind === 'supervision' && isLevel(a.scope, 'province')));

function agencyDto(actor: Actor, r: repo.AgencyRow): Agency {
  const status = r.status ?? 'approved';
  const label = registrationFlow.stateLabel(status);
  return {
    orgId: r.id,
    name: r.name,
    divisionCode: r.division_code,
    creditCode: r.credit_code,
    legalPerson: r.legal_person,
    services: r.services,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    status,
    statusZh: label.zh,
    statusEn: label.en,
    reasons: r.reasons,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    allowedActions: registrationFlow.allowedActions(
      status,
      isProvinceReviewer(actor, r.division_code) ? ['reviewer'] : [],
    ),
  };
}

export async function list(ctx: Ctx, q: ListQuery) {
  const res = await repo.listAgencies(ctx.db, { scope: ctx.actor.scope, status: q.status }, pageOf(q));
  return mapPage(res, (r) => agencyDto(ctx.actor, r));
}

export async function decide(ctx: Ctx, orgId: string, approve: boolean, reasons: string | null) {
  const r = await repo.registrationForDecision(ctx.db, orgId);
  if (!r) throw problems.notFound(...AGENCY);
  if (!inScope(ctx.actor.scope, r.division_code)) throw problems.outOfJurisdiction(...AGENCY);
  if (!isProvinceReviewer(ctx.actor, r.division_code)) throw new Problem('AGENCY_REVIEW_PROVINCE_ONLY');
  const t = registrationFlow.transition(r.status, approve ? 'approve' : 'reject', ['reviewer']);
  if (!approve && !reasons?.trim()) throw problems.invalid('reasons', '：请写明驳回原因', ': give the reasons');
  await repo.decideRegistration(ctx.db, orgId, {
    status: t.to,
    decided_at: new Date(),
    decided_by: ctx.actor.id,
    reasons,
  });
  if (approve) await accounts.updateOrganisationDetails(ctx, orgId, { status: 'active' });
  await audit(ctx, {
    verb: approve ? 'agency.approve' : 'agency.reject',
    targetType: 'organisation',
    targetId: orgId,
    divisionCode: r.division_code,
    summary: { reasons },
  });
  return agencyDto(ctx.actor, (await repo.agencyById(ctx.db, ctx.actor.scope, orgId)) as repo.AgencyRow);
}

// ── authorisations ───────────────────────────────────────────────────────────────────────────────────────────────
/** An authorisation as its producer sees it (the producer may revoke a live one). */
const authDto = (a: repo.AuthorisationRow): Authorisation => {
  const state = a.revoked_at ? 'revoked' : 'active';
  return {
    id: a.id,
    agencyOrgId: a.agency_org_id,
    agencyName: a.agency_name,
    scopes: a.scopes,
    grantedAt: a.granted_at.toISOString(),
    revokedAt: a.revoked_at?.toISOString() ?? null,
    active: state === 'active',
    allowedActions: authorisationFlow.allowedActions(state, ['owner']),
  };
};

export async function myAuthorisations(ctx: Ctx, q: ListPageQuery = {}) {
  const s = await requireOwnActiveSubject(ctx);
  return mapPage(await repo.authorisationsOf(ctx.db, s.id, pageOf(q, { pageSize: 200 })), authDto);
}

/** An active, approved service agency (or 400 naming the field); returns its name. */
export async function assertApprovedAgency(ctx: Ctx, orgId: string, field = 'agencyOrgId') {
  const agency = await repo.grantee(ctx.db, orgId);
  if (
    !agency ||
    agency.kind !== 'service' ||
    agency.status !== 'active' ||
    (agency.review && agency.review !== 'approved')
  )
    throw new Problem('AGENCY_NOT_APPROVED', { field });
  return agency;
}

export async function grant(ctx: Ctx, input: GrantInput) {
  const s = await requireOwnActiveSubject(ctx);
  await assertApprovedAgency(ctx, input.agencyOrgId);
  const live = await repo.liveAuthorisation(ctx.db, s.id, input.agencyOrgId, true);
  if (live) await repo.updateAuthorisation(ctx.db, live.id, { scopes: input.scopes });
  else
    await repo.insertAuthorisation(ctx.db, {
      subject_id: s.id,
      agency_org_id: input.agencyOrgId,
      scopes: input.scopes,
      granted_by: ctx.actor.id,
      revoked_at: null,
      revoked_by: null,
    });
  await audit(ctx, {
    verb: 'mySubject.authorise',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { action: 'grant', agencyOrgId: input.agencyOrgId, scopes: input.scopes },
  });
  return myAuthorisations(ctx);
}

export async function revoke(ctx: Ctx, id: string) {
  const s = await requireOwnActiveSubject(ctx);
  const a = await repo.authorisationOf(ctx.db, s.id, id);
  if (!a || a.revoked_at) throw problems.notFound('有效的授权', 'Active authorisation');
  authorisationFlow.transition('active', 'revoke', ['owner']);
  await repo.updateAuthorisation(ctx.db, id, { revoked_at: new Date(), revoked_by: ctx.actor.id });
  await audit(ctx, {
    verb: 'mySubject.authorise',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { action: 'revoke', authorisationId: id },
  });
  return myAuthorisations(ctx);
}

const notAuthorised = (scope: AgencyScope) =>
  new Problem('AGENCY_NOT_AUTHORISED', { scopeZh: SCOPES[scope].zh, scopeEn: SCOPES[scope].en });

/**
 * For every module where an agency enters records for a producer: checks a live authorisation of the caller's
 * agency covering `scope`, and returns what to record (audit `onBehalfOf`, the agency's name).
 */
export async function actingFor(ctx: Ctx, subjectId: string, scope: AgencyScope) {
  if (ctx.actor.orgKind !== 'service') throw notAuthorised(scope);
  const g = await repo.liveAuthorisation(ctx.db, subjectId, ctx.actor.orgId);
  if (!g || !g.scopes.includes(scope)) throw notAuthorised(scope);
  return { onBehalfOf: subjectId, agencyName: ctx.actor.orgName, authorisationId: g.id };
}

/**
 * The one decision "may this service agency act for that producer here" (代录), for every module's write path
 * (through `producerOf` in catalog/owner.ts): a live authorisation of the caller's agency for the producer named in
 * `X-Acting-For`, covering `scope` (any scope for reads). Marks the request's delegation confirmed so the audit row
 * records `on_behalf_of`; returns the entering organisation to stamp on the record.
 */
export async function delegation(ctx: Ctx, scope: AgencyScope | null) {
  const d = ctx.delegate;
  if (ctx.actor.orgKind !== 'service') throw new Problem('NOT_A_PRODUCER');
  const g = d ? await repo.liveAuthorisation(ctx.db, d.subjectId, ctx.actor.orgId) : undefined;
  if (!d || !g) throw new Problem('AGENCY_NOT_ACTING');
  if (scope && !g.scopes.includes(scope)) throw notAuthorised(scope);
  d.confirmed = true;
  return { subjectId: d.subjectId, orgId: ctx.actor.orgId, orgName: ctx.actor.orgName };
}

export async function clients(ctx: Ctx, q: ListPageQuery = {}) {
  const res = await repo.clientsOf(ctx.db, ctx.actor.orgId, pageOf(q, { pageSize: 200 }));
  return mapPage(
    res,
    (r): Client => ({
      authorisationId: r.id,
      scopes: r.scopes,
      grantedAt: r.granted_at.toISOString(),
      subjectId: r.subject_id,
      name: r.name,
      identityCode: r.identity_code,
      status: r.status,
      divisionCode: r.division_code,
    }),
  );
}

export async function changeForClient(ctx: Ctx, subjectId: string, input: AgencyChangeInput) {
  const { agencyName } = await actingFor(ctx, subjectId, 'profile');
  return requestChangeOnBehalf(ctx, subjectId, input, agencyName);
}

/** Approved agencies a producer may authorise: those of its province (and national ones). */
export async function available(ctx: Ctx, q: ListPageQuery = {}) {
  const s = await requireOwnActiveSubject(ctx);
  const province = provinceOf(s.division_code) ?? s.division_code;
  const res = await repo.availableIn(ctx.db, province, pageOf(q, { pageSize: 200 }));
  return mapPage(res, (r) => ({ orgId: r.id, name: r.name, divisionCode: r.division_code, services: r.services }));
}
