import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import { pageWithShared } from '../../kernel/shared-lists.js';
import type {
  DB,
  MonitoringTaskTable,
  RiskCaseTable,
  RiskStatus,
  SamplingSheetTable,
  SheetStatus,
} from '../../schema.js';

export function countTasks(db: Kysely<DB>, prefix: string) {
  return db
    .selectFrom('monitoring_task')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('code', 'like', likePrefix(prefix))
    .executeTakeFirstOrThrow();
}
export function insertTask(db: Kysely<DB>, v: Insertable<MonitoringTaskTable>) {
  return db.insertInto('monitoring_task').values(v).returningAll().executeTakeFirstOrThrow();
}
export function insertAssignments(
  db: Kysely<DB>,
  rows: { task_id: string; testing_org_id: string; division_code: string; quantity: number; deadline: string }[],
) {
  if (!rows.length) return Promise.resolve([]);
  return db.insertInto('monitoring_assignment').values(rows).returningAll().execute();
}
export function orgsIn(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind', 'division_code', 'status'])
    .where('id', 'in', ids)
    .execute();
}
export type TaskRow = NonNullable<Awaited<ReturnType<typeof taskById>>>;
export function taskById(db: Kysely<DB>, id: string) {
  return db.selectFrom('monitoring_task').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tasks visible to an actor: in its jurisdiction, or assigned to its organisation (a county lab doing a provincial task). */
export function listTasks(db: Kysely<DB>, scope: string, orgId: string, p: PageParams) {
  const q = db
    .selectFrom('monitoring_task as t')
    .selectAll('t')
    .where((eb) =>
      eb.or([
        scopeFilter(eb, 't.division_code', scope),
        eb.exists(
          eb
            .selectFrom('monitoring_assignment as a')
            .select('a.id')
            .whereRef('a.task_id', '=', 't.id')
            .where('a.testing_org_id', '=', orgId),
        ),
      ]),
    )
    .orderBy('t.created_at', 'desc');
  return paged(q, p);
}

export function assignmentsOf(db: Kysely<DB>, taskId: string) {
  return db
    .selectFrom('monitoring_assignment as a')
    .innerJoin('organisation as o', 'o.id', 'a.testing_org_id')
    .selectAll('a')
    .select('o.name as org_name')
    .select((eb) =>
      eb
        .selectFrom('sampling_sheet as s')
        .whereRef('s.assignment_id', '=', 'a.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('sampled'),
    )
    .select((eb) =>
      eb
        .selectFrom('sampling_sheet as s')
        .whereRef('s.assignment_id', '=', 'a.id')
        .where('s.status', '<>', 'sampled')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('tested'),
    )
    .select((eb) =>
      eb
        .selectFrom('sampling_sheet as s')
        .whereRef('s.assignment_id', '=', 'a.id')
        .where('s.status', '=', 'failed')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('failed'),
    )
    .where('a.task_id', '=', taskId)
    .orderBy('a.division_code')
    .execute();
}
export function assignmentById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('monitoring_assignment as a')
    .innerJoin('monitoring_task as t', 't.id', 'a.task_id')
    .selectAll('a')
    .select([
      't.code as task_code',
      't.status as task_status',
      't.items as task_items',
      't.title as task_title',
      't.kind as task_kind',
    ])
    .where('a.id', '=', id)
    .executeTakeFirst();
}
export function myAssignments(db: Kysely<DB>, orgId: string, p: PageParams) {
  const q = db
    .selectFrom('monitoring_assignment as a')
    .innerJoin('monitoring_task as t', 't.id', 'a.task_id')
    .selectAll('a')
    .select([
      't.code as task_code',
      't.title as task_title',
      't.kind as task_kind',
      't.products as task_products',
      't.status as task_status',
    ])
    .select((eb) =>
      eb
        .selectFrom('sampling_sheet as s')
        .whereRef('s.assignment_id', '=', 'a.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('sampled'),
    )
    .where('a.testing_org_id', '=', orgId)
    .where('t.status', '=', 'issued')
    .orderBy('a.deadline');
  return paged(q, p);
}

export function countSheets(db: Kysely<DB>, taskId: string) {
  return db
    .selectFrom('sampling_sheet')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('task_id', '=', taskId)
    .executeTakeFirstOrThrow();
}
export function sampleCodeTaken(db: Kysely<DB>, code: string) {
  return db.selectFrom('sampling_sheet').select('id').where('sample_code', '=', code).executeTakeFirst();
}
export function insertSheet(db: Kysely<DB>, v: Insertable<SamplingSheetTable>) {
  return db.insertInto('sampling_sheet').values(v).returningAll().executeTakeFirstOrThrow();
}
export function updateSheet(db: Kysely<DB>, id: string, v: Updateable<SamplingSheetTable>) {
  return db.updateTable('sampling_sheet').set(v).where('id', '=', id).execute();
}
function sheetQuery(db: Kysely<DB>) {
  return db
    .selectFrom('sampling_sheet as s')
    .innerJoin('monitoring_task as t', 't.id', 's.task_id')
    .innerJoin('organisation as o', 'o.id', 's.testing_org_id')
    .leftJoin('subject as sub', 'sub.id', 's.subject_id')
    .selectAll('s')
    .select([
      't.code as task_code',
      't.title as task_title',
      't.items as task_items',
      'o.name as org_name',
      'sub.name as subject_name',
    ]);
}
export type SheetRow = NonNullable<Awaited<ReturnType<typeof sheetById>>>;
export function sheetById(db: Kysely<DB>, id: string, lock = false) {
  const q = sheetQuery(db).where('s.id', '=', id);
  return (lock ? q.forUpdate('s') : q).executeTakeFirst();
}
export function sheetsByCodes(db: Kysely<DB>, codes: string[]) {
  if (!codes.length) return Promise.resolve([]);
  return sheetQuery(db).where('s.sample_code', 'in', codes).execute();
}
/** Sheets of my organisation (labs), or in my jurisdiction (regulators: scope set). */
export function listSheets(
  db: Kysely<DB>,
  f: { scope: string | null; orgId: string; taskId?: string; status?: SheetStatus },
  p: PageParams,
) {
  let q = sheetQuery(db).where((eb) =>
    f.scope === null
      ? eb('s.testing_org_id', '=', f.orgId)
      : eb.or([scopeFilter(eb, 's.division_code', f.scope), eb('s.testing_org_id', '=', f.orgId)]),
  );
  if (f.taskId) q = q.where('s.task_id', '=', f.taskId);
  if (f.status) q = q.where('s.status', '=', f.status);
  return paged(q.orderBy('s.sampled_at', 'desc'), p);
}
/**
 * A regulator's list of sheets with the sampling sheets shared from lower platforms (信息归集) in `scope`, one page;
 * a shared sheet's status is that of its latest shared test results when they came (kernel/shared-lists.ts).
 */
export function listSheetsWithShared(
  db: Kysely<DB>,
  f: { scope: string; orgId: string; taskId?: string; status?: SheetStatus },
  p: PageParams,
) {
  let local = db
    .selectFrom('sampling_sheet as s')
    .where((eb) => eb.or([scopeFilter(eb, 's.division_code', f.scope), eb('s.testing_org_id', '=', f.orgId)]));
  if (f.taskId) local = local.where('s.task_id', '=', f.taskId);
  if (f.status) local = local.where('s.status', '=', f.status);
  return pageWithShared(
    db,
    {
      local: local.select([sql<string>`s.id::text`.as('key'), sql<Date>`s.sampled_at`.as('at')]),
      resource: 'sampling',
      scope: f.scope,
      filter: (q) => {
        // Tasks are this platform's: a lower platform's sheet belongs to none of them.
        if (f.taskId) return null;
        if (!f.status) return q;
        return q.where(
          sql<string>`coalesce((SELECT t.payload->>'status' FROM shared_record t WHERE t.resource = 'test_result'
            AND t.origin_platform = r.origin_platform AND t.record_id = r.record_id
            ORDER BY t.version DESC LIMIT 1), r.payload->>'status')`,
          '=',
          f.status,
        );
      },
      load: (ids) => sheetQuery(db).where('s.id', 'in', ids).execute(),
      idOf: (r) => r.id,
    },
    p,
  );
}
/** The latest shared test results of shared sampling sheets, by `origin|record id`. */
export async function sharedResultsOf(db: Kysely<DB>, sheets: { origin_platform: string; record_id: string }[]) {
  if (!sheets.length) return new Map<string, unknown>();
  const rows = await db
    .selectFrom('shared_record as t')
    .select(['t.origin_platform', 't.record_id', 't.version', 't.payload'])
    .where('t.resource', '=', 'test_result')
    .where('t.record_id', 'in', [...new Set(sheets.map((s) => s.record_id))])
    .orderBy('t.version')
    .execute();
  const out = new Map<string, unknown>();
  for (const r of rows) out.set(`${r.origin_platform}|${r.record_id}`, r.payload);
  return out;
}
export function resultsOf(db: Kysely<DB>, sheetIds: string[]) {
  if (!sheetIds.length) return Promise.resolve([]);
  return db.selectFrom('test_result').selectAll().where('sheet_id', 'in', sheetIds).orderBy('item').execute();
}
export function insertResults(
  db: Kysely<DB>,
  rows: {
    sheet_id: string;
    item: string;
    value: string | null;
    value_text: string | null;
    unit: string;
    limit_value: string | null;
    standard: string;
    passed: boolean;
    entered_by: string;
  }[],
) {
  return db.insertInto('test_result').values(rows).execute();
}

export function insertRisk(db: Kysely<DB>, v: Insertable<RiskCaseTable>) {
  return db.insertInto('risk_case').values(v).returningAll().executeTakeFirstOrThrow();
}
export type RiskRow = NonNullable<Awaited<ReturnType<typeof riskById>>>;
export function riskById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('risk_case').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function updateRisk(db: Kysely<DB>, id: string, v: Updateable<RiskCaseTable>) {
  return db.updateTable('risk_case').set(v).where('id', '=', id).execute();
}
export function listRisks(db: Kysely<DB>, scope: string, status: RiskStatus | undefined, p: PageParams) {
  let q = db
    .selectFrom('risk_case')
    .selectAll()
    .where((eb) => scopeFilter(eb, 'division_code', scope));
  if (status) q = q.where('status', '=', status);
  return paged(q.orderBy('created_at', 'desc'), p);
}
/** Division of a risk case, for records that cite it (null when there is none). */
export async function riskDivision(db: Kysely<DB>, id: string) {
  const row = await db.selectFrom('risk_case').select('division_code').where('id', '=', id).executeTakeFirst();
  return row?.division_code ?? null;
}
export const lockKey = (s: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${s}))`;
