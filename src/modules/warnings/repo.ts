import { type Kysely, type Selectable, type Updateable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { PageParams } from '../../kernel/paging.js';
import { paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';
import type { WarningKind, WarningRuleTable, WarningStatus, WarningTable } from './tables.js';

// ── rules and warnings (this module's tables) ─────────────────────────────────────────────────────────────────────
export type RuleRow = Selectable<WarningRuleTable>;
export const rules = (db: Kysely<DB>) => db.selectFrom('warning_rule').selectAll().orderBy('code').execute();
export const ruleById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('warning_rule').selectAll().where('id', '=', id).executeTakeFirst();
export const updateRule = (db: Kysely<DB>, id: string, v: Updateable<WarningRuleTable>) =>
  db.updateTable('warning_rule').set(v).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

const warningSelect = (db: Kysely<DB>) =>
  db
    .selectFrom('warning as w')
    .innerJoin('warning_rule as r', 'r.id', 'w.rule_id')
    .leftJoin('division as d', 'd.code', 'w.division_code')
    .selectAll('w')
    .select(['r.code as rule_code', 'r.kind', 'r.name_zh', 'r.name_en', 'd.name as division_name']);
export type WarningRow = NonNullable<Awaited<ReturnType<typeof warningById>>>;

export function listWarnings(
  db: Kysely<DB>,
  scope: string,
  f: { status?: WarningStatus; kind?: WarningKind },
  p: PageParams,
) {
  let q = warningSelect(db).where((eb) => scopeFilter(eb, 'w.division_code', scope));
  if (f.status) q = q.where('w.status', '=', f.status);
  if (f.kind) q = q.where('r.kind', '=', f.kind);
  return paged(q.orderBy('w.detected_at', 'desc').orderBy('w.id'), p);
}
export const warningById = (db: Kysely<DB>, id: string) => warningSelect(db).where('w.id', '=', id).executeTakeFirst();
export const updateWarning = (db: Kysely<DB>, id: string, v: Updateable<WarningTable>) =>
  db.updateTable('warning').set(v).where('id', '=', id).execute();

export function eventsOf(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('warning_event')
    .selectAll()
    .where('warning_id', 'in', ids)
    .orderBy('at')
    .orderBy('id')
    .execute();
}
export const addEvent = (
  db: Kysely<DB>,
  v: {
    warning_id: string;
    action: string;
    note: string | null;
    actor_id: string | null;
    actor_name: string | null;
    org_name: string | null;
  },
) => db.insertInto('warning_event').values(v).execute();

/** Inserts a finding or, when it is already known, marks it seen again; `inserted` is true for a new warning. */
export async function upsertWarning(
  db: Kysely<DB>,
  v: {
    rule_id: string;
    key: string;
    division_code: string;
    title_zh: string;
    title_en: string;
    details: string;
    link: string | null;
  },
) {
  return db
    .insertInto('warning')
    .values(v)
    .onConflict((oc) => oc.columns(['rule_id', 'key']).doUpdateSet({ last_seen_at: sql`now()` }))
    .returning(['id', sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
}

// ── what the evaluators read (other modules' tables, read only) ────────────────────────────────────────────────────

/** Tested samples and failures per county × product in the recent window and the window before it. */
export async function failureWindows(db: Kysely<DB>, days: number) {
  const res = await sql<{
    county: string;
    product: string;
    recent: string;
    recent_failed: string;
    before: string;
    before_failed: string;
  }>`
    SELECT left(division_code, 6) AS county, product_name AS product,
      count(*) FILTER (WHERE sampled_at >= now() - make_interval(days => ${days})) AS recent,
      count(*) FILTER (WHERE sampled_at >= now() - make_interval(days => ${days}) AND status = 'failed') AS recent_failed,
      count(*) FILTER (WHERE sampled_at < now() - make_interval(days => ${days})) AS before,
      count(*) FILTER (WHERE sampled_at < now() - make_interval(days => ${days}) AND status = 'failed') AS before_failed
    FROM sampling_sheet
    WHERE status <> 'sampled' AND sampled_at >= now() - make_interval(days => ${2 * days}) AND length(division_code) >= 6
    GROUP BY 1, 2`.execute(db);
  return res.rows.map((r) => ({
    county: r.county,
    product: r.product,
    recent: Number(r.recent),
    recentFailed: Number(r.recent_failed),
    before: Number(r.before),
    beforeFailed: Number(r.before_failed),
  }));
}

/** Counterfeit scan signals raised by the public module (its notifications), one per code and reason. */
export function counterfeitSignals(db: Kysely<DB>, days: number) {
  return db
    .selectFrom('notification')
    .select(['link', 'division_code', 'title_zh', 'title_en', (eb) => eb.fn.min('created_at').as('at')])
    .where('kind', '=', 'counterfeit_signal')
    .where('created_at', '>=', sql<Date>`now() - make_interval(days => ${days})`)
    .groupBy(['link', 'division_code', 'title_zh', 'title_en'])
    .execute();
}

/** Chain anomalies left open for more than `days`. */
export function openAnomalies(db: Kysely<DB>, days: number) {
  return db
    .selectFrom('anomaly')
    .select(['id', 'kind', 'division_code', 'detected_at', 'batch_id'])
    .where('status', '=', 'open')
    .where('detected_at', '<', sql<Date>`now() - make_interval(days => ${days})`)
    .limit(5000)
    .execute();
}

/** Registration applications still pending after their due date (plus grace days). */
export function overdueApplications(db: Kysely<DB>, today: string) {
  return db
    .selectFrom('subject_application as a')
    .innerJoin('subject as s', 's.id', 'a.subject_id')
    .select(['a.id', 'a.kind', 'a.due_date', 's.name', 's.division_code', 's.id as subject_id'])
    .where('a.status', '=', 'pending')
    .where('a.due_date', '<', today)
    .limit(5000)
    .execute();
}

/** Patrols that ordered a rectification whose deadline passed without a follow-up. */
export function overdueRectifications(db: Kysely<DB>, today: string) {
  return db
    .selectFrom('patrol as p')
    .leftJoin('subject as s', 's.id', 'p.subject_id')
    .select(['p.id', 'p.division_code', 'p.rectify_deadline', 's.name'])
    .where('p.result', '=', 'rectify')
    .where('p.closed_at', 'is', null)
    .where('p.rectify_deadline', '<', today)
    .limit(5000)
    .execute();
}

/** Collection (certificates and batches recorded) per county: the last 7 days and the `weeks` weeks before. */
export async function collectionWeeks(db: Kysely<DB>, weeks: number) {
  const res = await sql<{ county: string; last: string; before: string }>`
    SELECT county, count(*) FILTER (WHERE at >= now() - interval '7 days') AS last,
      count(*) FILTER (WHERE at < now() - interval '7 days') AS before
    FROM (
      SELECT left(division_code, 6) AS county, issued_at AS at FROM certificate
        WHERE issued_at >= now() - make_interval(days => ${7 * (weeks + 1)})
      UNION ALL
      SELECT left(division_code, 6), created_at FROM batch WHERE created_at >= now() - make_interval(days => ${7 * (weeks + 1)})
    ) x
    WHERE length(county) = 6
    GROUP BY county`.execute(db);
  return res.rows.map((r) => ({ county: r.county, last: Number(r.last), before: Number(r.before) }));
}
