import type { Insertable, Kysely, Updateable } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { AgencyAuthorisationTable, DB, ServiceAgencyTable } from '../../schema.js';
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
