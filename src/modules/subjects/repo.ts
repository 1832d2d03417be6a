import { type Kysely, type Selectable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB, SubjectApplicationTable, SubjectStatus, SubjectTable } from '../../schema.js';
import { FINAL_STATUSES } from './states.js';

export type SubjectRow = Selectable<SubjectTable> & { division_name: string | null };
export type ApplicationRow = Selectable<SubjectApplicationTable>;

function subjectQuery(db: Kysely<DB>) {
  return db.selectFrom('subject as s').leftJoin('division as d', 'd.code', 's.division_code').selectAll('s').select('d.name as division_name');
}

export function byId(db: Kysely<DB>, id: string, lock = false): Promise<SubjectRow | undefined> {
  const q = subjectQuery(db).where('s.id', '=', id);
  return (lock ? q.forUpdate('s') : q).executeTakeFirst();
}
export function byOrg(db: Kysely<DB>, orgId: string): Promise<SubjectRow | undefined> {
  return subjectQuery(db).where('s.org_id', '=', orgId).executeTakeFirst();
}
export function byIdentityCode(db: Kysely<DB>, code: string): Promise<SubjectRow | undefined> {
  return subjectQuery(db).where('s.identity_code', '=', code).executeTakeFirst();
}

/** A live (not cancelled/revoked) subject holding this duplicate key or this credit code, other than `except`. */
export function liveDuplicate(db: Kysely<DB>, dedupKey: string, creditCode: string | null, except?: string) {
  let q = db
    .selectFrom('subject')
    .select(['id', 'name', 'status', 'division_code', 'dedup_key'])
    .where('status', 'not in', FINAL_STATUSES as SubjectStatus[])
    .where((eb) => (creditCode ? eb.or([eb('dedup_key', '=', dedupKey), eb.and([eb('cert_type', '=', 'credit_code'), eb('cert_no', '=', creditCode)])]) : eb('dedup_key', '=', dedupKey)));
  if (except) q = q.where('id', '<>', except);
  return q.executeTakeFirst();
}

export interface SubjectFilter {
  scope: string;
  within?: string;
  q?: string;
  code?: string;
  orgForm?: string;
  subjectType?: string;
  industry?: string;
  status?: string;
  certification?: string;
  source?: string;
}

function filtered(db: Kysely<DB>, f: SubjectFilter) {
  let q = subjectQuery(db).where((eb) => scopeFilter(eb, 's.division_code', f.scope));
  if (f.within) q = q.where('s.division_code', 'like', `${f.within}%`);
  if (f.q) q = q.where('s.name', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.code) {
    const c = f.code.toUpperCase();
    q = q.where((eb) => eb.or([eb('s.identity_code', '=', c), eb('s.cert_no', '=', c)]));
  }
  if (f.orgForm) q = q.where('s.org_form', '=', f.orgForm as never);
  if (f.subjectType) q = q.where('s.subject_type', '=', f.subjectType as never);
  if (f.industry) q = q.where(sql<boolean>`${f.industry} = ANY(s.industries)`);
  if (f.status) q = q.where('s.status', '=', f.status as never);
  if (f.certification) q = q.where(sql<boolean>`${f.certification} = ANY(s.certifications)`);
  if (f.source) q = q.where('s.source', '=', f.source as never);
  return q;
}

export async function search(db: Kysely<DB>, f: SubjectFilter, limit: number, offset: number) {
  const base = filtered(db, f);
  const [items, total] = await Promise.all([
    base.orderBy('s.created_at', 'desc').orderBy('s.id').limit(limit).offset(offset).execute(),
    db.selectFrom(base.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function exportRows(db: Kysely<DB>, f: SubjectFilter, limit: number) {
  return filtered(db, f).orderBy('s.division_code').orderBy('s.name').limit(limit).execute();
}

export function applicationsOf(db: Kysely<DB>, subjectId: string) {
  return db.selectFrom('subject_application').selectAll().where('subject_id', '=', subjectId).orderBy('submitted_at', 'desc').orderBy('id').execute();
}

export function pendingApplication(db: Kysely<DB>, subjectId: string, lock = false) {
  const q = db.selectFrom('subject_application').selectAll().where('subject_id', '=', subjectId).where('status', '=', 'pending');
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function applicationById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('subject_application').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export interface QueueFilter {
  scope: string;
  within?: string;
  kind?: string;
  status?: string;
  overdueBefore?: string;
}
export async function queue(db: Kysely<DB>, f: QueueFilter, limit: number, offset: number) {
  let q = db
    .selectFrom('subject_application as a')
    .innerJoin('subject as s', 's.id', 'a.subject_id')
    .leftJoin('division as d', 'd.code', 's.division_code')
    .select([
      'a.id', 'a.subject_id', 'a.kind', 'a.status', 'a.submitted_at', 'a.due_date', 'a.decided_at', 'a.decided_by_name', 'a.reason', 'a.division_code',
      's.name as subject_name', 's.org_form', 's.status as subject_status', 's.org_id', 'd.name as division_name',
    ])
    .where((eb) => scopeFilter(eb, 'a.division_code', f.scope));
  if (f.within) q = q.where('a.division_code', 'like', `${f.within}%`);
  if (f.kind) q = q.where('a.kind', '=', f.kind as never);
  q = q.where('a.status', '=', (f.status ?? 'pending') as never);
  if (f.overdueBefore) q = q.where('a.due_date', '<', f.overdueBefore);
  const [items, total] = await Promise.all([
    q.orderBy('a.due_date').orderBy('a.submitted_at').limit(limit).offset(offset).execute(),
    db.selectFrom(q.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function filesOf(db: Kysely<DB>, subjectId: string) {
  return db
    .selectFrom('subject_file as sf')
    .innerJoin('stored_file as f', 'f.id', 'sf.file_id')
    .select(['f.id', 'f.name', 'f.mime', 'f.size', 'sf.kind', 'sf.added_at'])
    .where('sf.subject_id', '=', subjectId)
    .orderBy('sf.added_at')
    .execute();
}

export function accountsOf(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'phone', 'roles', 'status', 'user_code', 'last_login_at', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('user_code')
    .orderBy('created_at')
    .execute();
}
