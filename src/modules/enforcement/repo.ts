import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { CaseStatus, DB, EnforcementCaseTable, EnforcementInspectionTable, ViolationType } from '../../schema.js';

export function countCases(db: Kysely<DB>, prefix: string) {
  return db
    .selectFrom('enforcement_case')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_no', 'like', likePrefix(prefix))
    .executeTakeFirstOrThrow();
}
export const lockKey = (s: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${s}))`;
export function insertCase(db: Kysely<DB>, v: Insertable<EnforcementCaseTable>) {
  return db.insertInto('enforcement_case').values(v).returningAll().executeTakeFirstOrThrow();
}
export function updateCase(db: Kysely<DB>, id: string, v: Updateable<EnforcementCaseTable>) {
  return db
    .updateTable('enforcement_case')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}
function caseQuery(db: Kysely<DB>) {
  return db
    .selectFrom('enforcement_case as c')
    .innerJoin('organisation as o', 'o.id', 'c.org_id')
    .selectAll('c')
    .select('o.name as org_name');
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseById>>>;
export function caseById(db: Kysely<DB>, id: string, lock = false) {
  const q = caseQuery(db).where('c.id', '=', id);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}
export function listCases(
  db: Kysely<DB>,
  f: { scope: string; status?: CaseStatus; subjectId?: string; violationType?: ViolationType },
  p: PageParams,
) {
  let q = caseQuery(db).where((eb) => scopeFilter(eb, 'c.division_code', f.scope));
  if (f.status) q = q.where('c.status', '=', f.status);
  if (f.subjectId) q = q.where('c.subject_id', '=', f.subjectId);
  if (f.violationType) q = q.where('c.violation_type', '=', f.violationType);
  return paged(q.orderBy('c.created_at', 'desc'), p);
}

/**
 * Division of a patrol a case cites as its source (null when there is none): one column read here rather than
 * through the patrols service, because patrols depend on enforcement (a failed patrol leads to a case), not the
 * other way round.
 */
export async function patrolDivision(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('patrol').select('division_code').where('id', '=', id).executeTakeFirst();
  return row?.division_code ?? null;
}

// ── on-site inspections (执法检查) ──
export function insertInspection(db: Kysely<DB>, v: Insertable<EnforcementInspectionTable>) {
  return db.insertInto('enforcement_inspection').values(v).returning('id').executeTakeFirstOrThrow();
}
export function linkInspectionCase(db: Kysely<DB>, id: string, caseId: string) {
  return db
    .updateTable('enforcement_inspection')
    .set({ case_id: caseId })
    .where('id', '=', id)
    .where('case_id', 'is', null)
    .execute();
}
function inspectionQuery(db: Kysely<DB>) {
  return db
    .selectFrom('enforcement_inspection as i')
    .innerJoin('organisation as o', 'o.id', 'i.org_id')
    .innerJoin('subject as s', 's.id', 'i.subject_id')
    .leftJoin('enforcement_case as c', 'c.id', 'i.case_id')
    .selectAll('i')
    .select(['o.name as org_name', 's.name as subject_name', 's.identity_code', 'c.case_no']);
}
export type InspectionRow = NonNullable<Awaited<ReturnType<typeof inspectionById>>>;
export function inspectionById(db: Kysely<DB>, id: string) {
  return inspectionQuery(db).where('i.id', '=', id).executeTakeFirst();
}
export function listInspections(db: Kysely<DB>, f: { scope: string; subjectId?: string }, p: PageParams) {
  let q = inspectionQuery(db).where((eb) => scopeFilter(eb, 'i.division_code', f.scope));
  if (f.subjectId) q = q.where('i.subject_id', '=', f.subjectId);
  return paged(q.orderBy('i.created_at', 'desc'), p);
}
export function openCasesOf(db: Kysely<DB>, subjectId: string, scope: string) {
  return db
    .selectFrom('enforcement_case as c')
    .select(['c.id', 'c.case_no', 'c.status'])
    .where('c.subject_id', '=', subjectId)
    .where('c.status', 'in', ['registered', 'investigating', 'decided'])
    .where((eb) => scopeFilter(eb, 'c.division_code', scope))
    .orderBy('c.created_at', 'desc')
    .limit(20)
    .execute();
}
