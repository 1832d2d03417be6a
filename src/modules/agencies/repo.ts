import type { Insertable, Kysely, Updateable } from 'kysely';
import { likeContains, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { AgencyAuthorisationTable, DB, FarmerConsentTable, ServiceAgencyTable } from '../../schema.js';
import type { ReviewStatus } from './schemas.js';

/** Every query of the agencies module (service_agency, agency_authorisation; reads of organisations and subjects). */

// ── registrations ────────────────────────────────────────────────────────────────────────────────────────────────
/** A registration holding this credit code that is not rejected. */
export function liveRegistrationWithCode(db: Kysely<DB>, creditCode: string) {
  return db
    .selectFrom('service_agency')
    .select('org_id')
    .where('credit_code', '=', creditCode)
    .where('status', '<>', 'rejected')
    .executeTakeFirst();
}

export async function insertRegistration(db: Kysely<DB>, values: Insertable<ServiceAgencyTable>) {
  await db.insertInto('service_agency').values(values).execute();
}

export function registrationOf(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('service_agency as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select(['a.status', 'a.reasons', 'o.name', 'a.submitted_at', 'a.decided_at', 'o.division_code'])
    .where('a.org_id', '=', orgId)
    .executeTakeFirst();
}

/** The registration and its organisation's division, locked for a decision. */
export function registrationForDecision(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('service_agency as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select(['a.status', 'o.division_code'])
    .where('a.org_id', '=', orgId)
    .forUpdate()
    .executeTakeFirst();
}

export async function decideRegistration(
  db: Kysely<DB>,
  orgId: string,
  decision: Pick<Updateable<ServiceAgencyTable>, 'status' | 'decided_at' | 'decided_by' | 'reasons'>,
) {
  await db.updateTable('service_agency').set(decision).where('org_id', '=', orgId).execute();
}

// ── agencies (organisations of kind service, with their registration if any) ─────────────────────────────────────
function agencies(db: Kysely<DB>, scope: string) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('service_agency as a', 'a.org_id', 'o.id')
    .select([
      'o.id',
      'o.name',
      'o.division_code',
      'o.status as org_status',
      'o.contact_name',
      'o.contact_phone',
      'a.credit_code',
      'a.legal_person',
      'a.services',
      'a.status',
      'a.submitted_at',
      'a.reasons',
    ])
    .where('o.kind', '=', 'service')
    .where((eb) => scopeFilter(eb, 'o.division_code', scope));
}
export type AgencyRow = Awaited<ReturnType<ReturnType<typeof agencies>['executeTakeFirstOrThrow']>>;

/** Agencies in `scope`; `approved` includes agencies without a registration (created by an administrator). */
export function listAgencies(db: Kysely<DB>, f: { scope: string; status?: ReviewStatus }, p: PageParams) {
  let q = agencies(db, f.scope);
  if (f.status === 'approved')
    q = q.where((eb) => eb.or([eb('a.status', '=', 'approved'), eb('a.status', 'is', null)]));
  else if (f.status) q = q.where('a.status', '=', f.status);
  return paged(q.orderBy('o.name').orderBy('o.id'), p);
}

export function agencyById(db: Kysely<DB>, scope: string, orgId: string) {
  return agencies(db, scope).where('o.id', '=', orgId).executeTakeFirst();
}

/** What decides whether a producer may authorise an organisation. */
export function grantee(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('service_agency as a', 'a.org_id', 'o.id')
    .select(['o.kind', 'o.status', 'a.status as review'])
    .where('o.id', '=', orgId)
    .executeTakeFirst();
}

/** Approved, active agencies of a province (and national ones). */
export function availableIn(db: Kysely<DB>, province: string, p: PageParams) {
  const q = db
    .selectFrom('organisation as o')
    .leftJoin('service_agency as a', 'a.org_id', 'o.id')
    .select(['o.id', 'o.name', 'o.division_code', 'a.services'])
    .where('o.kind', '=', 'service')
    .where('o.status', '=', 'active')
    .where((eb) => eb.or([eb('a.status', '=', 'approved'), eb('a.status', 'is', null)]))
    .where((eb) => eb.or([scopeFilter(eb, 'o.division_code', province), eb('o.division_code', '=', '')]))
    .orderBy('o.name')
    .orderBy('o.id');
  return paged(q, p);
}

// ── authorisations ───────────────────────────────────────────────────────────────────────────────────────────────
function authorisations(db: Kysely<DB>) {
  return db
    .selectFrom('agency_authorisation as g')
    .innerJoin('organisation as o', 'o.id', 'g.agency_org_id')
    .select([
      'g.id',
      'g.agency_org_id',
      'o.name as agency_name',
      'g.scopes',
      'g.granted_at',
      'g.revoked_at',
      'g.subject_id',
    ]);
}
export type AuthorisationRow = Awaited<ReturnType<ReturnType<typeof authorisations>['executeTakeFirstOrThrow']>>;

export function authorisationsOf(db: Kysely<DB>, subjectId: string, p: PageParams) {
  return paged(
    authorisations(db).where('g.subject_id', '=', subjectId).orderBy('g.granted_at', 'desc').orderBy('g.id'),
    p,
  );
}

export function authorisationOf(db: Kysely<DB>, subjectId: string, id: string) {
  return authorisations(db)
    .where('g.subject_id', '=', subjectId)
    .where('g.id', '=', id)
    .forUpdate('g')
    .executeTakeFirst();
}

/** The live authorisation of an agency by a subject (locked when `lock`). */
export function liveAuthorisation(db: Kysely<DB>, subjectId: string, agencyOrgId: string, lock = false) {
  const q = db
    .selectFrom('agency_authorisation')
    .select(['id', 'scopes'])
    .where('subject_id', '=', subjectId)
    .where('agency_org_id', '=', agencyOrgId)
    .where('revoked_at', 'is', null);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export async function insertAuthorisation(db: Kysely<DB>, values: Insertable<AgencyAuthorisationTable>) {
  await db.insertInto('agency_authorisation').values(values).execute();
}

export async function updateAuthorisation(db: Kysely<DB>, id: string, patch: Updateable<AgencyAuthorisationTable>) {
  await db.updateTable('agency_authorisation').set(patch).where('id', '=', id).execute();
}

/** The producers that authorise an agency (live authorisations). */
export function clientsOf(db: Kysely<DB>, agencyOrgId: string, p: PageParams) {
  const q = db
    .selectFrom('agency_authorisation as g')
    .innerJoin('subject as s', 's.id', 'g.subject_id')
    .select([
      'g.id',
      'g.scopes',
      'g.granted_at',
      's.id as subject_id',
      's.name',
      's.identity_code',
      's.status',
      's.division_code',
    ])
    .where('g.agency_org_id', '=', agencyOrgId)
    .where('g.revoked_at', 'is', null)
    .orderBy('s.name')
    .orderBy('g.id');
  return paged(q, p);
}

// ── farmers' consents (代农户办理) ─────────────────────────────────────────────────────────────────────────────────
function consents(db: Kysely<DB>) {
  return db
    .selectFrom('farmer_consent as c')
    .innerJoin('subject as s', 's.id', 'c.subject_id')
    .innerJoin('account as a', 'a.id', 'c.actor_id')
    .innerJoin('organisation as o', 'o.id', 'c.actor_org_id')
    .select([
      'c.id',
      'c.subject_id',
      's.name as subject_name',
      's.division_code',
      'c.actor_id',
      'a.display_name as actor_name',
      'o.name as actor_org_name',
      'c.scopes',
      'c.method',
      'c.witness_name',
      'c.signature_file_id',
      'c.note',
      'c.valid_until',
      'c.recorded_at',
      'c.revoked_at',
      'c.revoke_reason',
    ]);
}
export type ConsentRow = Awaited<ReturnType<ReturnType<typeof consents>['executeTakeFirstOrThrow']>>;

/** Consents of farmers in `scope` (the official's jurisdiction), newest first. */
export function listConsents(
  db: Kysely<DB>,
  f: { scope: string; subjectId?: string; activeOnly?: boolean },
  p: PageParams,
) {
  let q = consents(db).where((eb) => scopeFilter(eb, 's.division_code', f.scope));
  if (f.subjectId) q = q.where('c.subject_id', '=', f.subjectId);
  if (f.activeOnly) q = q.where('c.revoked_at', 'is', null).where('c.valid_until', '>', new Date());
  return paged(q.orderBy('c.recorded_at', 'desc').orderBy('c.id'), p);
}

/** One consent of a farmer in `scope`, locked for a change when `lock`. */
export function consentById(db: Kysely<DB>, scope: string, id: string, lock = false) {
  const q = consents(db)
    .where((eb) => scopeFilter(eb, 's.division_code', scope))
    .where('c.id', '=', id);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}

/** The live consent (not revoked, not expired) of a farmer for one official, the latest recorded. */
export function liveConsent(db: Kysely<DB>, subjectId: string, actorId: string) {
  return db
    .selectFrom('farmer_consent')
    .select(['id', 'scopes', 'actor_org_id', 'valid_until'])
    .where('subject_id', '=', subjectId)
    .where('actor_id', '=', actorId)
    .where('revoked_at', 'is', null)
    .where('valid_until', '>', new Date())
    .orderBy('recorded_at', 'desc')
    .executeTakeFirst();
}

export async function insertConsent(db: Kysely<DB>, values: Insertable<FarmerConsentTable>) {
  return db.insertInto('farmer_consent').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateConsent(db: Kysely<DB>, id: string, patch: Updateable<FarmerConsentTable>) {
  await db.updateTable('farmer_consent').set(patch).where('id', '=', id).execute();
}

/** A subject as a consent needs it: its division and status. */
export function consentSubject(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('subject')
    .select(['id', 'name', 'division_code', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Approved producers in `scope` whose name contains `q`, with the actor's live consent (if any). */
export function farmersIn(db: Kysely<DB>, f: { scope: string; q?: string; actorId: string }, p: PageParams) {
  let q = db
    .selectFrom('subject as s')
    .leftJoin('farmer_consent as c', (j) =>
      j
        .onRef('c.subject_id', '=', 's.id')
        .on('c.actor_id', '=', f.actorId)
        .on('c.revoked_at', 'is', null)
        .on('c.valid_until', '>', new Date()),
    )
    .select(['s.id', 's.name', 's.division_code', 's.contact_name', 'c.id as consent_id', 'c.scopes', 'c.valid_until'])
    .where('s.status', 'in', ['approved', 'change_pending'])
    .where((eb) => scopeFilter(eb, 's.division_code', f.scope));
  if (f.q?.trim()) q = q.where('s.name', 'like', likeContains(f.q.trim()));
  return paged(q.orderBy('s.name').orderBy('s.id'), p);
}
