import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';
import type { OnlinePatrolTable, RectificationNoticeTable } from './tables.js';

/**
 * Evaluation figures grouped by the unit one level down (`unitLen` digits of the division code) inside `scope`.
 * Reads the collection, review, producer, account and notice tables (reading only; their modules write them).
 */
type Num = string | number | null;

export async function collectedByUnit(db: Kysely<DB>, scope: string, unitLen: number, from: Date) {
  const r = await sql<{ u: string; n: Num; late: Num; timed: Num; completeness: Num }>`
    SELECT substr(division_code, 1, ${unitLen}) AS u, count(*) AS n, count(*) FILTER (WHERE late) AS late,
           count(work_at) AS timed, avg(fields_filled::float8 / nullif(fields_total, 0)) AS completeness
    FROM info_collected WHERE division_code LIKE ${likePrefix(scope)} AND uploaded_at >= ${from}
    GROUP BY 1`.execute(db);
  return r.rows;
}

export async function producersByUnit(db: Kysely<DB>, scope: string, unitLen: number) {
  const r = await sql<{ u: string; n: Num }>`
    SELECT substr(division_code, 1, ${unitLen}) AS u, count(*) AS n FROM subject
    WHERE status = 'approved' AND division_code LIKE ${likePrefix(scope)} GROUP BY 1`.execute(db);
  return r.rows;
}

/** Registered producers that recorded anything, per unit and month (YYYY-MM, China time). */
export async function recordingByUnitMonth(db: Kysely<DB>, scope: string, unitLen: number, from: Date) {
  const r = await sql<{ u: string; m: string; n: Num }>`
    SELECT substr(s.division_code, 1, ${unitLen}) AS u, to_char(c.uploaded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m,
           count(DISTINCT s.id) AS n
    FROM info_collected c JOIN subject s ON s.org_id = c.org_id
    WHERE s.status = 'approved' AND s.division_code LIKE ${likePrefix(scope)} AND c.uploaded_at >= ${from}
    GROUP BY 1, 2`.execute(db);
  return r.rows;
}

/**
 * Review pass rate per unit: the records a unit collected and submitted for review. A revocation proposal (撤销建议)
 * is a regulator's act on a producer, not collected data, so it does not count for or against the unit.
 */
export async function reviewByUnit(db: Kysely<DB>, scope: string, unitLen: number, from: Date) {
  const r = await sql<{ u: string; n: Num; approved: Num; decided: Num; returned: Num }>`
    SELECT substr(division_code, 1, ${unitLen}) AS u, count(*) AS n,
           count(*) FILTER (WHERE state = 'approved' AND returns = 0) AS approved,
           count(*) FILTER (WHERE state <> 'pending' OR returns > 0) AS decided,
           count(*) FILTER (WHERE returns > 0) AS returned
    FROM review_item
    WHERE division_code LIKE ${likePrefix(scope)} AND submitted_at >= ${from} AND resource <> 'subject_revoke'
    GROUP BY 1`.execute(db);
  return r.rows;
}

export async function patrolFlagsByUnit(db: Kysely<DB>, scope: string, unitLen: number, from: Date) {
  const r = await sql<{ u: string; n: Num }>`
    SELECT substr(p.target_division, 1, ${unitLen}) AS u, count(*) AS n
    FROM online_patrol p, jsonb_array_elements(p.items) AS i
    WHERE p.target_division LIKE ${likePrefix(scope)} AND p.created_at >= ${from} AND i->>'problem' IS NOT NULL
    GROUP BY 1`.execute(db);
  return r.rows;
}

export async function usageByUnit(db: Kysely<DB>, scope: string, unitLen: number, since: Date) {
  const r = await sql<{ u: string; accounts: Num; orgs: Num }>`
    SELECT substr(o.division_code, 1, ${unitLen}) AS u, count(DISTINCT a.id) AS accounts, count(DISTINCT o.id) AS orgs
    FROM account a JOIN organisation o ON o.id = a.org_id
    WHERE o.division_code LIKE ${likePrefix(scope)} AND a.last_login_at >= ${since}
    GROUP BY 1`.execute(db);
  return r.rows;
}

/**
 * Overdue rectifications per unit: rectification notices past their deadline, and origin-map records returned for
 * correction and not corrected within their deadline (seed 004 六(三): 限期内未修改完成的，纳入绩效考核范围) — still
 * open, or resubmitted late since `since`.
 */
export async function overdueNoticesByUnit(
  db: Kysely<DB>,
  scope: string,
  unitLen: number,
  today: string,
  since: Date = new Date(0),
) {
  const r = await sql<{ u: string; n: Num }>`
    SELECT u, count(*) AS n FROM (
      SELECT substr(target_division, 1, ${unitLen}) AS u FROM rectification_notice
      WHERE target_division LIKE ${likePrefix(scope)} AND state <> 'closed' AND deadline < ${today}::date
      UNION ALL
      SELECT substr(division_code, 1, ${unitLen}) FROM origin_record
      WHERE division_code LIKE ${likePrefix(scope)}
        AND ((status = 'returned' AND correction_due < ${today}::date) OR (corrected_late AND submitted_at >= ${since}))
    ) x GROUP BY u`.execute(db);
  return r.rows;
}

/** Drill-down: the collected records behind a figure. */
export function collectedPage(
  db: Kysely<DB>,
  f: { scope: string; divisionCode?: string; resource?: string; late?: boolean; from: Date },
  p: PageParams,
) {
  let q = db
    .selectFrom('info_collected')
    .selectAll()
    .where((eb) => scopeFilter(eb, 'division_code', f.scope))
    .where('uploaded_at', '>=', f.from);
  if (f.divisionCode) q = q.where('division_code', 'like', likePrefix(f.divisionCode));
  if (f.resource) q = q.where('resource', '=', f.resource);
  if (f.late !== undefined) q = q.where('late', '=', f.late);
  return paged(q.orderBy('uploaded_at', 'desc').orderBy('id'), p);
}

// ── snapshots ──
export async function upsertSnapshot(db: Kysely<DB>, divisionCode: string, month: string, content: object) {
  await db
    .insertInto('evaluation_snapshot')
    .values({ division_code: divisionCode, month, content: JSON.stringify(content) })
    .onConflict((oc) =>
      oc.columns(['division_code', 'month']).doUpdateSet({ content: JSON.stringify(content), created_at: new Date() }),
    )
    .execute();
}

export function snapshots(db: Kysely<DB>, divisionCode: string) {
  return db
    .selectFrom('evaluation_snapshot')
    .selectAll()
    .where('division_code', '=', divisionCode)
    .orderBy('month', 'desc')
    .limit(36)
    .execute();
}

// ── online patrols and notices ──
/** The pool an online patrol draws from: a unit's collected records, in a stable order. */
export function patrolPool(db: Kysely<DB>, target: string, resource: string | undefined, until: Date) {
  let q = db
    .selectFrom('info_collected')
    .select(['record_id', 'resource', 'org_id', 'division_code'])
    .where('division_code', 'like', likePrefix(target))
    .where('uploaded_at', '<=', until);
  if (resource) q = q.where('resource', '=', resource);
  return q.orderBy('uploaded_at').orderBy('id').limit(100_000).execute();
}

export function insertPatrol(db: Kysely<DB>, row: Insertable<OnlinePatrolTable>) {
  return db.insertInto('online_patrol').values(row).returningAll().executeTakeFirstOrThrow();
}

export function patrolById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('online_patrol').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export type PatrolRow = NonNullable<Awaited<ReturnType<typeof patrolById>>>;

export function updatePatrol(db: Kysely<DB>, id: string, patch: Updateable<OnlinePatrolTable>) {
  return db.updateTable('online_patrol').set(patch).where('id', '=', id).execute();
}

export function patrolsPage(db: Kysely<DB>, scope: string, p: PageParams) {
  return paged(
    db
      .selectFrom('online_patrol')
      .selectAll()
      .where((eb) => scopeFilter(eb, 'target_division', scope))
      .orderBy('created_at', 'desc')
      .orderBy('id'),
    p,
  );
}

export function insertNotice(db: Kysely<DB>, row: Insertable<RectificationNoticeTable>) {
  return db.insertInto('rectification_notice').values(row).returningAll().executeTakeFirstOrThrow();
}

export function noticeById(db: Kysely<DB>, id: string) {
  return db.selectFrom('rectification_notice').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
export type NoticeRow = NonNullable<Awaited<ReturnType<typeof noticeById>>>;

export function updateNotice(db: Kysely<DB>, id: string, patch: Updateable<RectificationNoticeTable>) {
  return db
    .updateTable('rectification_notice')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Notices an organisation receives, or those of a jurisdiction. */
export function noticesPage(db: Kysely<DB>, v: { orgId: string } | { scope: string }, p: PageParams) {
  let q = db.selectFrom('rectification_notice').selectAll();
  q = 'orgId' in v ? q.where('org_id', '=', v.orgId) : q.where((eb) => scopeFilter(eb, 'target_division', v.scope));
  return paged(q.orderBy('created_at', 'desc').orderBy('id'), p);
}

export function overdueOpenNotices(db: Kysely<DB>, today: string) {
  return db
    .selectFrom('rectification_notice')
    .selectAll()
    .where('state', '<>', 'closed')
    .where('deadline', '<', today)
    .execute();
}

/** The accounts that entered collected records (resource, record id). */
export async function collectorsOf(db: Kysely<DB>, records: { resource: string; recordId: string }[]) {
  if (!records.length) return [];
  const rows = await db
    .selectFrom('info_collected')
    .select('collector_id')
    .distinct()
    .where((eb) =>
      eb.or(records.map((r) => eb.and([eb('resource', '=', r.resource), eb('record_id', '=', r.recordId)]))),
    )
    .where('collector_id', 'is not', null)
    .execute();
  return rows.map((r) => r.collector_id).filter((x): x is string => !!x);
}
