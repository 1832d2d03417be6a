import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import { pageWithShared, payloadText } from '../../kernel/shared-lists.js';
import type { DB, PatrolPlanTable, PatrolStatus, PatrolTable, PatrolTarget } from '../../schema.js';

export type TemplateRow = NonNullable<Awaited<ReturnType<typeof templateById>>>;
export function templates(db: Kysely<DB>, p: PageParams) {
  return paged(db.selectFrom('patrol_template').selectAll().where('active', '=', true).orderBy('code'), p);
}
export function templateById(db: Kysely<DB>, id: string) {
  return db.selectFrom('patrol_template').selectAll().where('id', '=', id).executeTakeFirst();
}
export function templateForTarget(db: Kysely<DB>, target: PatrolTarget) {
  return db
    .selectFrom('patrol_template')
    .selectAll()
    .where('active', '=', true)
    .where('target', '=', target)
    .orderBy('code')
    .executeTakeFirst();
}

export function insertPlan(db: Kysely<DB>, v: Insertable<PatrolPlanTable>) {
  return db
    .insertInto('patrol_plan')
    .values(v)
    .onConflict((oc) => oc.columns(['org_id', 'year', 'period', 'period_no']).doNothing())
    .returningAll()
    .executeTakeFirst();
}
export function planById(db: Kysely<DB>, id: string) {
  return db.selectFrom('patrol_plan').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Plans in scope with the number of patrols submitted by the plan's organisation within the plan's period. */
export function plansWithProgress(db: Kysely<DB>, scope: string, year: number, p: PageParams) {
  const q = db
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
    .orderBy('pl.period_no');
  return paged(q, p);
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
    .select([
      's.name as subject_name',
      's.identity_code',
      'o.name as org_name',
      't.name_zh as template_zh',
      't.name_en as template_en',
      't.items as template_items',
    ]);
}
export type PatrolRow = NonNullable<Awaited<ReturnType<typeof patrolById>>>;
export function patrolById(db: Kysely<DB>, id: string, lock = false) {
  const q = patrolQuery(db).where('p.id', '=', id);
  return (lock ? q.forUpdate('p') : q).executeTakeFirst();
}
export interface PatrolFilter {
  scope: string;
  within?: string;
  status?: PatrolStatus;
  subjectId?: string;
}
export function listPatrols(db: Kysely<DB>, f: PatrolFilter, p: PageParams) {
  return paged(patrolQuery(db).where(patrolWhere(f)).orderBy('p.started_at', 'desc'), p);
}
/** The list's filters as one condition on `patrol as p` (scope first). */
function patrolWhere(f: PatrolFilter) {
  // biome-ignore lint/suspicious/noExplicitAny: see above
  return (eb: any) => {
    const c = [scopeFilter(eb, 'p.division_code', f.scope)];
    if (f.within) c.push(scopeFilter(eb, 'p.division_code', f.within));
    if (f.status) c.push(eb('p.status', '=', f.status));
    if (f.subjectId) c.push(eb('p.subject_id', '=', f.subjectId));
    return eb.and(c);
  };
}
const patrolBase = (db: Kysely<DB>) => db.selectFrom('patrol as p');
/** The upper platform's list: this platform's patrols and those shared from lower platforms (信息归集), one page. */
export function listPatrolsWithShared(db: Kysely<DB>, f: PatrolFilter, p: PageParams) {
  return pageWithShared(
    db,
    {
      local: patrolBase(db)
        .where(patrolWhere(f))
        .select([sql<string>`p.id::text`.as('key'), sql<Date>`p.started_at`.as('at')]),
      resource: 'patrol',
      scope: f.scope,
      filter: (q) => {
        // A subject of this platform is never the subject of a lower platform's patrol.
        if (f.subjectId) return null;
        let s = q;
        if (f.within) {
          const within = f.within;
          s = s.where((eb) => scopeFilter(eb, 'r.division_code', within));
        }
        if (f.status) s = s.where(payloadText('status'), '=', f.status);
        return s;
      },
      load: (ids) => patrolQuery(db).where('p.id', 'in', ids).execute(),
      idOf: (r) => r.id,
    },
    p,
  );
}
