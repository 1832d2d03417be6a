import { audit } from '../../kernel/audit.js';
import { assertInScope, inScope, isAtOrBelow, isLevel, provinceOf } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { attachFile } from '../../kernel/files.js';
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
  CONSENT_METHODS,
  type Client,
  type Consent,
  type ConsentInput,
  type ConsentListQuery,
  type ConsentScope,
  type Farmer,
  type FarmerQuery,
  type GrantInput,
  type ListPageQuery,
  type ListQuery,
  type RegisterInput,
  type RegistrationStatus,
  SCOPES,
} from './schemas.js';
import { authorisationFlow, consentFlow, registrationFlow } from './states.js';

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
  if (ctx.actor.orgKind === 'supervision' && d) return assisted(ctx, d, scope);
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

// ── acting for a farmer with its consent (代农户办理, issue 16 item 5) ──────────────────────────────────────────────
/**
 * A co-supervisor (协管员, role collector) or a township/village official (supervisor of a township or village
 * organisation) may act for a farmer of its jurisdiction — batches, certificates, sales… — once the farmer's consent is
 * recorded: for that official, for named scopes, given in a stated way (signed on screen, verbal before a witness, a
 * signed paper form), until a date, revocable. The write then goes through the same delegation path as a service
 * agency's (`X-Acting-For`, `producerOf`): the record is stamped "entered by X for Y" and the audit row carries the
 * farmer (`on_behalf_of`) beside the official.
 */
const FARMER = ['农户', 'Farmer'] as const;
const CONSENT = ['农户同意记录', 'Farmer consent'] as const;
const MAX_CONSENT_DAYS = 366;

export function mayAssist(a: Actor): boolean {
  return (
    a.orgKind === 'supervision' &&
    a.verbs.has('farmer.assist') &&
    (a.roles.includes('collector') || isAtOrBelow(a.scope, 'township'))
  );
}

async function farmerInScope(ctx: Ctx, subjectId: string, field = 'subjectId') {
  const s = await repo.consentSubject(ctx.db, subjectId);
  if (!s) throw problems.notFound(...FARMER);
  assertInScope(ctx.actor.scope, s.division_code, ...FARMER);
  if (s.status !== 'approved' && s.status !== 'change_pending')
    throw problems.invalid(field, '：该农户尚未审核通过', ': this farmer is not approved');
  return s;
}

async function assisted(ctx: Ctx, d: NonNullable<Ctx['delegate']>, scope: AgencyScope | null) {
  if (!mayAssist(ctx.actor)) throw new Problem('CONSENT_NOT_ALLOWED');
  await farmerInScope(ctx, d.subjectId, 'X-Acting-For');
  const c = await repo.liveConsent(ctx.db, d.subjectId, ctx.actor.id);
  const label = scope ? SCOPES[scope] : { zh: '代为办理', en: 'acting for the farmer' };
  if (!c || c.actor_org_id !== ctx.actor.orgId || (scope && !(c.scopes as string[]).includes(scope)))
    throw new Problem('CONSENT_REQUIRED', { scopeZh: label.zh, scopeEn: label.en });
  d.confirmed = true;
  return {
    subjectId: d.subjectId,
    orgId: ctx.actor.orgId,
    orgName: `${ctx.actor.displayName}（${ctx.actor.orgName}）`,
  };
}

function consentDto(ctx: Ctx, r: repo.ConsentRow): Consent {
  const state = r.revoked_at ? 'revoked' : r.valid_until.getTime() <= Date.now() ? 'expired' : 'active';
  const label = consentFlow.stateLabel(state);
  return {
    id: r.id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorOrgName: r.actor_org_name,
    scopes: r.scopes as ConsentScope[],
    method: r.method,
    methodZh: CONSENT_METHODS[r.method].zh,
    methodEn: CONSENT_METHODS[r.method].en,
    witnessName: r.witness_name,
    signatureFileId: r.signature_file_id,
    note: r.note,
    validUntil: r.valid_until.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokeReason: r.revoke_reason,
    state,
    stateZh: label.zh,
    stateEn: label.en,
    allowedActions: consentFlow.allowedActions(state, mayAssist(ctx.actor) ? ['official'] : []),
  };
}

/** Records a farmer's consent for the calling official; a live consent of the same pair is superseded (revoked). */
export async function recordConsent(ctx: Ctx, input: ConsentInput) {
  if (!mayAssist(ctx.actor)) throw new Problem('CONSENT_NOT_ALLOWED');
  const s = await farmerInScope(ctx, input.subjectId);
  const until = new Date(input.validUntil);
  if (until.getTime() <= Date.now())
    throw problems.invalid('validUntil', '：有效期须晚于现在', ': must be in the future');
  if (until.getTime() > Date.now() + MAX_CONSENT_DAYS * 86_400_000)
    throw problems.invalid('validUntil', '：有效期最长一年', ': at most one year ahead');
  const witness = input.witnessName?.trim() || null;
  if (input.method === 'verbal_witnessed' && !witness)
    throw problems.invalid('witnessName', '：口头同意须写明见证人', ': a verbal consent needs a witness');
  if (input.method !== 'verbal_witnessed' && !input.signatureFileId)
    throw problems.invalid(
      'signatureFileId',
      '：须附农户签名（屏幕签名或同意书照片）',
      ": attach the farmer's signature (drawn on screen or a photo of the form)",
    );
  const previous = await repo.liveConsent(ctx.db, s.id, ctx.actor.id);
  if (previous)
    await repo.updateConsent(ctx.db, previous.id, {
      revoked_at: new Date(),
      revoked_by: ctx.actor.id,
      revoke_reason: '被新的同意记录取代 superseded',
    });
  const { id } = await repo.insertConsent(ctx.db, {
    subject_id: s.id,
    actor_id: ctx.actor.id,
    actor_org_id: ctx.actor.orgId,
    scopes: input.scopes,
    method: input.method,
    witness_name: witness,
    signature_file_id: input.signatureFileId ?? null,
    note: input.note?.trim() || null,
    valid_until: until,
    revoked_at: null,
    revoked_by: null,
    revoke_reason: null,
  });
  if (input.signatureFileId) await attachFile(ctx, input.signatureFileId, 'farmer_consent', id, 'signatureFileId');
  await audit(ctx, {
    verb: 'farmer.assist',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    onBehalfOf: s.id,
    summary: {
      action: 'consent',
      consentId: id,
      scopes: input.scopes,
      method: input.method,
      witnessName: witness,
      validUntil: until.toISOString(),
      superseded: previous?.id ?? null,
    },
  });
  return consentDto(ctx, (await repo.consentById(ctx.db, ctx.actor.scope, id)) as repo.ConsentRow);
}

export async function revokeConsent(ctx: Ctx, id: string, reason: string) {
  if (!mayAssist(ctx.actor)) throw new Problem('CONSENT_NOT_ALLOWED');
  const r = await repo.consentById(ctx.db, ctx.actor.scope, id, true);
  if (!r) throw problems.notFound(...CONSENT);
  const state = r.revoked_at ? 'revoked' : r.valid_until.getTime() <= Date.now() ? 'expired' : 'active';
  consentFlow.transition(state, 'revoke', ['official']);
  await repo.updateConsent(ctx.db, id, { revoked_at: new Date(), revoked_by: ctx.actor.id, revoke_reason: reason });
  await audit(ctx, {
    verb: 'farmer.assist',
    targetType: 'subject',
    targetId: r.subject_id,
    divisionCode: r.division_code,
    onBehalfOf: r.subject_id,
    summary: { action: 'revoke', consentId: id, reason },
  });
  return consentDto(ctx, (await repo.consentById(ctx.db, ctx.actor.scope, id)) as repo.ConsentRow);
}

export async function listConsents(ctx: Ctx, q: ConsentListQuery) {
  const res = await repo.listConsents(
    ctx.db,
    { scope: ctx.actor.scope, subjectId: q.subjectId, activeOnly: q.activeOnly },
    pageOf(q),
  );
  return mapPage(res, (r) => consentDto(ctx, r));
}

/** Farmers of the official's jurisdiction by name, with the caller's live consent: the "act for" picker. */
export async function farmers(ctx: Ctx, q: FarmerQuery) {
  if (!mayAssist(ctx.actor)) throw new Problem('CONSENT_NOT_ALLOWED');
  const res = await repo.farmersIn(ctx.db, { scope: ctx.actor.scope, q: q.q, actorId: ctx.actor.id }, pageOf(q));
  return mapPage(
    res,
    (r): Farmer => ({
      subjectId: r.id,
      name: r.name,
      divisionCode: r.division_code,
      contactName: r.contact_name,
      consentId: r.consent_id,
      consentScopes: (r.scopes ?? []) as ConsentScope[],
      consentValidUntil: r.valid_until?.toISOString() ?? null,
    }),
  );
}

/** A consent's signature: the official's organisation and regulators over the farmer. */
export async function mayReadConsentFile(ctx: Ctx, consentId: string): Promise<boolean> {
  return !!(await repo.consentById(ctx.db, ctx.actor.scope, consentId));
}
