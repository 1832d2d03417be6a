import type { Insertable, Kysely, Updateable } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';
import type { IncidentStatus, IncidentTable, IncidentTaskTable } from './tables.js';

// ── this module's tables ──
export const insertIncident = (db: Kysely<DB>, v: Insertable<IncidentTable>) =>
  db.insertInto('incident').values(v).returning('id').executeTakeFirstOrThrow();
export const incidentById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirst();
export const updateIncident = (db: Kysely<DB>, id: string, v: Updateable<IncidentTable>) =>
  db.updateTable('incident').set(v).where('id', '=', id).execute();
export const insertTask = (db: Kysely<DB>, v: Insertable<IncidentTaskTable>) =>
  db.insertInto('incident_task').values(v).returning('id').executeTakeFirstOrThrow();
export const taskById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('incident_task').selectAll().where('id', '=', id).executeTakeFirst();
export const updateTask = (db: Kysely<DB>, id: string, v: Updateable<IncidentTaskTable>) =>
  db.updateTable('incident_task').set(v).where('id', '=', id).execute();
export const tasksOf = (db: Kysely<DB>, incidentId: string) =>
  db
    .selectFrom('incident_task as t')
    .innerJoin('organisation as o', 'o.id', 't.org_id')
    .selectAll('t')
    .select('o.name as org_name')
    .where('t.incident_id', '=', incidentId)
    .orderBy('t.dispatched_at')
    .execute();
export type TaskRow = Awaited<ReturnType<typeof tasksOf>>[number];

/** Incidents inside the jurisdiction, and those with a task for the caller's organisation. */
export function listIncidents(
  db: Kysely<DB>,
  scope: string,
  orgId: string,
  status: IncidentStatus | undefined,
  p: PageParams,
) {
  let q = db
    .selectFrom('incident as i')
    .selectAll('i')
    .select((eb) => [
      eb
        .selectFrom('incident_task as t')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('t.incident_id', '=', 'i.id')
        .as('tasks_total'),
      eb
        .selectFrom('incident_task as t')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('t.incident_id', '=', 'i.id')
        .where('t.status', '=', 'done')
        .as('tasks_done'),
    ])
    .where((eb) =>
      eb.or([
        scopeFilter(eb, 'i.division_code', scope),
        eb.exists(
          eb
            .selectFrom('incident_task as t')
            .select('t.id')
            .whereRef('t.incident_id', '=', 'i.id')
            .where('t.org_id', '=', orgId),
        ),
      ]),
    );
  if (status) q = q.where('i.status', '=', status);
  return paged(q.orderBy('i.opened_at', 'desc').orderBy('i.id'), p);
}
export const hasTaskFor = (db: Kysely<DB>, incidentId: string, orgId: string) =>
  db
    .selectFrom('incident_task')
    .select('id')
    .where('incident_id', '=', incidentId)
    .where('org_id', '=', orgId)
    .executeTakeFirst();

// ── reads of other modules' tables ──
export const riskCase = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('risk_case')
    .select(['id', 'batch_id', 'trace_code', 'product_name', 'division_code', 'subject_name'])
    .where('id', '=', id)
    .executeTakeFirst();
export const batchOfCode = (db: Kysely<DB>, kind: number, serial: number) =>
  db
    .selectFrom('trace_code as c')
    .innerJoin('batch as b', 'b.id', 'c.batch_id')
    .select(['b.id', 'b.division_code'])
    .where('c.kind', '=', kind)
    .where('c.serial', '=', serial)
    .executeTakeFirst();
export const batchDivision = (db: Kysely<DB>, id: string) =>
  db.selectFrom('batch').select(['id', 'division_code']).where('id', '=', id).executeTakeFirst();
export const subjectPlaces = (db: Kysely<DB>, ids: string[]) =>
  ids.length
    ? db.selectFrom('subject').select(['id', 'longitude', 'latitude']).where('id', 'in', ids).execute()
    : Promise.resolve([]);
/** An agency that can take a task: an active supervision, testing or enforcement organisation. */
export const agency = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('organisation')
    .select(['id', 'name', 'division_code'])
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('kind', 'in', ['supervision', 'testing', 'enforcement'])
    .executeTakeFirst();
