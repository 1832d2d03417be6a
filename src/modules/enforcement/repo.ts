import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB, EnforcementCaseTable } from '../../schema.js';

export function countCases(db: Kysely<DB>, prefix: string) {
  return db.selectFrom('enforcement_case').select((eb) => eb.fn.countAll<number>().as('n')).where('case_no', 'like', `${prefix}%`).executeTakeFirstOrThrow();
}
export const lockKey = (s: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${s}))`;
export function insertCase(db: Kysely<DB>, v: Insertable<EnforcementCaseTable>) {
  return db.insertInto('enforcement_case').values(v).returningAll().executeTakeFirstOrThrow();
}
export function updateCase(db: Kysely<DB>, id: string, v: Updateable<EnforcementCaseTable>) {
  return db.updateTable('enforcement_case').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute();
}
function caseQuery(db: Kysely<DB>) {
  return db.selectFrom('enforcement_case as c').innerJoin('organisation as o', 'o.id', 'c.org_id').selectAll('c').select('o.name as org_name');
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseById>>>;
export function caseById(db: Kysely<DB>, id: string, lock = false) {
  const q = caseQuery(db).where('c.id', '=', id);
  return (lock ? q.forUpdate('c') : q).executeTakeFirst();
}
export function listCases(db: Kysely<DB>, f: { scope: string; status?: string; subjectId?: string; violationType?: string; limit: number }) {
  let q = caseQuery(db).where((eb) => scopeFilter(eb, 'c.division_code', f.scope));
  if (f.status) q = q.where('c.status', '=', f.status as never);
  if (f.subjectId) q = q.where('c.subject_id', '=', f.subjectId);
  if (f.violationType) q = q.where('c.violation_type', '=', f.violationType as never);
  return q.orderBy('c.created_at', 'desc').limit(f.limit).execute();
}
export function filesByIds(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('stored_file').select(['id', 'name', 'mime']).where('id', 'in', ids).execute();
}
