import { type Insertable, type Kysely, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { PageParams } from '../../kernel/paging.js';
import { paged } from '../../kernel/paging.js';
import type { DB, Industry, RandomDrawTable, RandomTaskKind, SubjectOrgForm } from '../../schema.js';

export interface SubjectFilter {
  within: string;
  industries?: Industry[];
  orgForms?: SubjectOrgForm[];
  /** Only producers linked to an approved origin-map record of these key products (seed 004 五(五) 双随机抽查). */
  originProducts?: string[];
}
/** The subject pool: approved subjects in the division, in a canonical order (id), so a re-run sees the same pool. */
export async function subjectPool(db: Kysely<DB>, f: SubjectFilter): Promise<string[]> {
  let q = db
    .selectFrom('subject')
    .select('id')
    .where('status', 'in', ['approved', 'change_pending'])
    .where((eb) => scopeFilter(eb, 'division_code', f.within));
  if (f.industries?.length) q = q.where(sql<boolean>`industries && ${f.industries}::text[]`);
  if (f.orgForms?.length) q = q.where('org_form', 'in', f.orgForms);
  if (f.originProducts?.length)
    q = q.where(
      sql<boolean>`EXISTS (SELECT 1 FROM origin_record r WHERE r.subject_id = subject.id AND r.approved_at IS NOT NULL
        AND r.product_code = ANY(${f.originProducts}::text[]))`,
    );
  return (await q.orderBy('id').execute()).map((r) => r.id);
}

/** The inspector pool: active accounts of active agencies in scope holding one of `roles`, in id order. */
export async function inspectorPool(
  db: Kysely<DB>,
  scope: string,
  roles: string[],
  orgIds?: string[],
): Promise<string[]> {
  let q = db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select('a.id')
    .where('a.status', '=', 'active')
    .where('o.status', '=', 'active')
    .where(sql<boolean>`a.roles && ${roles}::text[]`)
    .where((eb) => scopeFilter(eb, 'o.division_code', scope));
  if (orgIds?.length) q = q.where('o.id', 'in', orgIds);
  return (await q.orderBy('a.id').execute()).map((r) => r.id);
}

export function accountsIn(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.display_name', 'o.name as org_name', 'o.division_code'])
    .where('a.id', 'in', ids)
    .execute();
}
export function subjectsIn(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('subject')
    .select(['id', 'name', 'division_code', 'identity_code'])
    .where('id', 'in', ids)
    .execute();
}

export function insertDraw(db: Kysely<DB>, v: Insertable<RandomDrawTable>) {
  return db.insertInto('random_draw').values(v).returningAll().executeTakeFirstOrThrow();
}
export function insertTasks(
  db: Kysely<DB>,
  rows: {
    draw_id: string;
    kind: RandomTaskKind;
    subject_id: string;
    division_code: string;
    inspector_ids: string[];
  }[],
) {
  if (rows.length === 0) return Promise.resolve([]);
  return db
    .insertInto('random_check_task')
    .values(rows.map((r) => ({ ...r, done_ref: null })))
    .returningAll()
    .execute();
}
export function drawById(db: Kysely<DB>, id: string) {
  return db.selectFrom('random_draw').selectAll().where('id', '=', id).executeTakeFirst();
}
export function tasksOf(db: Kysely<DB>, drawId: string) {
  return db.selectFrom('random_check_task').selectAll().where('draw_id', '=', drawId).orderBy('created_at').execute();
}
export function listDraws(db: Kysely<DB>, scope: string, p: PageParams) {
  return paged(
    db
      .selectFrom('random_draw')
      .selectAll()
      .where((eb) => scopeFilter(eb, 'division_code', scope))
      .orderBy('created_at', 'desc'),
    p,
  );
}

export function taskById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('random_check_task').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function openTasksOf(db: Kysely<DB>, subjectId: string, kind: RandomTaskKind) {
  return db
    .selectFrom('random_check_task')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .where('status', '=', 'open')
    .where('kind', '=', kind)
    .execute();
}
export function completeTask(db: Kysely<DB>, id: string, ref: string) {
  return db.updateTable('random_check_task').set({ status: 'done', done_ref: ref }).where('id', '=', id).execute();
}
