import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB, PatrolPlanTable, PatrolTable } from '../../schema.js';

export function templates(db: Kysely<DB>) {
  return db.selectFrom('patrol_template').selectAll().where('active', '=', true).orderBy('code').execute();
}
export function templateById(db: Kysely<DB>, id: string) {
  return db.selectFrom('patrol_template').selectAll().where('id', '=', id).executeTakeFirst();
}
export function templateForTarget(db: Kysely<DB>, target: string) {
  return db.selectFrom('patrol_template').selectAll().where('active', '=', true).where('target', '=', target as never).orderBy('code').executeTakeFirst();
}

export function insertPlan(db: Kysely<DB>, v: Insertable<PatrolPlanTable>) {
  return db.insertInto('patrol_plan').values(v).onConflict((oc) => oc.columns(['org_id', 'year', 'period', 'period_no']).doNothing()).returningAll().executeTakeFirst();
}
export function planById(db: Kysely<DB>, id: string) {
  return db.selectFrom('patrol_plan').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Plans in scope with the number of patrols submitted by the plan's organisation within the plan's period. */
export function plansWithProgress(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('patrol_plan as pl')
    .innerJoin('organisation as o', 'o.id', 'pl.org_id')
    .selectAll('pl')
    .select('o.name as org_name')
    .select((eb) =>
      eb
        .selectFrom('patrol as p')
        .whereRef('p.org_id', '=', 'pl.org_id')
        .where('p.submitted_at', 'is not', null)
        .where(sql<boolean>`extract(year from p.submitted_at at time zone 'Asia/Shanghai') = pl.year`)
        .where(sql<boolean>`(pl.period = 'year'
          OR (pl.period = 'quarter' AND extract(quarter from p.submitted_at at time zone 'Asia/Shanghai') = pl.period_no)
          OR (pl.period = 'month' AND extract(month from p.submitted_at at time zone 'Asia/Shanghai') = pl.period_no))`)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('done'),
    )
    .where((eb) => scopeFilter(eb, 'pl.division_code', scope))
    .where('pl.year', '=', year)
    .orderBy('pl.division_code')
    .orderBy('pl.period')
    .orderBy('pl.period_no')
    .execute();
}

export function insertPatrol(db: Kysely<DB>, v: Insertable<PatrolTable>) {
  return db.insertInto('patrol').values(v).returningAll().executeTakeFirstOrThrow();
}
export function updatePatrol(db: Kysely<DB>, id: string, v: Updateable<PatrolTable>) {
  return db.updateTable('patrol').set(v).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

function patrolQuery(db: Kysely<DB>) {
  return db
    .selectFrom('patrol as p')
    .innerJoin('subject as s', 's.id', 'p.subject_id')
    .innerJoin('organisation as o', 'o.id', 'p.org_id')
    .innerJoin('patrol_template as t', 't.id', 'p.template_id')
    .selectAll('p')
    .select(['s.name as subject_name', 's.identity_code', 'o.name as org_name', 't.name_zh as template_zh', 't.items as template_items']);
}
export type PatrolRow = NonNullable<Awaited<ReturnType<typeof patrolById>>>;
export function patrolById(db: Kysely<DB>, id: string, lock = false) {
  const q = patrolQuery(db).where('p.id', '=', id);
  return (lock ? q.forUpdate('p') : q).executeTakeFirst();
}
export interface PatrolFilter {
  scope: string;
  within?: string;
  status?: string;
  subjectId?: string;
  limit: number;
  offset: number;
}
export async function listPatrols(db: Kysely<DB>, f: PatrolFilter) {
  let q = patrolQuery(db).where((eb) => scopeFilter(eb, 'p.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'p.division_code', f.within as string));
  if (f.status) q = q.where('p.status', '=', f.status as never);
  if (f.subjectId) q = q.where('p.subject_id', '=', f.subjectId);
  const rows = await q.orderBy('p.started_at', 'desc').limit(f.limit).offset(f.offset).execute();
  const total = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export function openTasksFor(db: Kysely<DB>, subjectId: string) {
  return db.selectFrom('random_check_task').selectAll().where('subject_id', '=', subjectId).where('status', '=', 'open').where('kind', '=', 'patrol').execute();
}
export function taskById(db: Kysely<DB>, id: string) {
  return db.selectFrom('random_check_task').selectAll().where('id', '=', id).executeTakeFirst();
}
export function closeTask(db: Kysely<DB>, id: string, ref: string) {
  return db.updateTable('random_check_task').set({ status: 'done', done_ref: ref }).where('id', '=', id).execute();
}
export function filesByIds(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('stored_file').select(['id', 'name', 'mime', 'size']).where('id', 'in', ids).execute();
}
