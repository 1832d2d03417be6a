import { type Kysely, type RawBuilder, sql } from 'kysely';
import { likePrefix } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import type { Metric } from './schemas.js';

/**
 * Read-only queries over other modules' tables, each filtered by the caller's jurisdiction (division prefix) and the
 * time range. The dashboard never writes. Months are China time.
 */
export interface Range {
  scope: string;
  from: Date;
  to: Date;
  /** Length of the child-region prefix the counts are grouped by. */
  childLen: number;
}

interface Source {
  from: RawBuilder<unknown>;
  div: string;
  at: string | null;
  where?: RawBuilder<unknown>;
}

/** Where each metric is counted: its table, its division column, its time column (null: a stock, not ranged). */
const SOURCES: Record<Metric, Source> = {
  directory: { from: sql`directory_entry t`, div: 't.division_code', at: null },
  registered: { from: sql`directory_entry t`, div: 't.division_code', at: null, where: sql`t.subject_id IS NOT NULL` },
  approved: { from: sql`subject t`, div: 't.division_code', at: null, where: sql`t.status = 'approved'` },
  certificates: { from: sql`certificate t`, div: 't.division_code', at: 't.issued_at' },
  codes: { from: sql`trace_code t JOIN subject s ON s.id = t.subject_id`, div: 's.division_code', at: 't.issued_at' },
  scans: { from: sql`query_log t`, div: 't.division_code', at: 't.at' },
  sales: { from: sql`sale t`, div: 't.division_code', at: 't.sold_at', where: sql`t.status <> 'refused'` },
  patrols: { from: sql`patrol t`, div: 't.division_code', at: 't.submitted_at' },
  samples: {
    from: sql`sampling_sheet t`,
    div: 't.division_code',
    at: 't.sampled_at',
    where: sql`t.status <> 'sampled'`,
  },
  failed: { from: sql`sampling_sheet t`, div: 't.division_code', at: 't.sampled_at', where: sql`t.status = 'failed'` },
  recalls: { from: sql`recall t`, div: 't.division_code', at: 't.opened_at' },
  complaints: { from: sql`complaint t`, div: 't.division_code', at: 't.created_at' },
  originRecords: { from: sql`origin_record t`, div: 't.division_code', at: null, where: sql`t.status = 'approved'` },
};

const month = (col: string) => sql<string>`to_char(${sql.ref(col)} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;

function conditions(s: Source, r: Range, extra?: RawBuilder<unknown>) {
  const parts: RawBuilder<unknown>[] = [];
  if (r.scope) parts.push(sql`${sql.ref(s.div)} LIKE ${likePrefix(r.scope)}`);
  if (s.at) parts.push(sql`${sql.ref(s.at)} >= ${r.from} AND ${sql.ref(s.at)} < ${r.to}`);
  if (s.where) parts.push(s.where);
  if (extra) parts.push(extra);
  return parts.length ? sql`WHERE ${sql.join(parts, sql` AND `)}` : sql``;
}

/** Counts of one metric by child region and month (month '' for stocks). */
export async function countMetric(db: Kysely<DB>, metric: Metric, r: Range) {
  const s = SOURCES[metric];
  const m = s.at ? month(s.at) : sql<string>`''`;
  const res = await sql<{ region: string; month: string; n: string }>`
    SELECT left(${sql.ref(s.div)}, ${r.childLen}) AS region, ${m} AS month, count(*) AS n
    FROM ${s.from} ${conditions(s, r)} GROUP BY 1, 2`.execute(db);
  return res.rows.map((x) => ({ region: x.region, month: x.month, n: Number(x.n) }));
}

/** Tested samples and failures by product × child region × month. */
export async function failuresByProduct(db: Kysely<DB>, r: Range) {
  const s = SOURCES.samples;
  const res = await sql<{ product: string; region: string; month: string; samples: string; failed: string }>`
    SELECT t.product_name AS product, left(t.division_code, ${r.childLen}) AS region, ${month('t.sampled_at')} AS month,
      count(*) AS samples, count(*) FILTER (WHERE t.status = 'failed') AS failed
    FROM sampling_sheet t ${conditions(s, r)} GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`.execute(db);
  return res.rows.map((x) => ({ ...x, samples: Number(x.samples), failed: Number(x.failed) }));
}

/**
 * Trades (not refused) with the seller or the buyer in the area — out of it, into it, or inside it — grouped at `len`
 * digits on both sides; the 200 largest.
 */
export async function flows(db: Kysely<DB>, r: Range, len: number) {
  const s = SOURCES.sales;
  const touches = r.scope
    ? sql`(t.division_code LIKE ${likePrefix(r.scope)} OR t.buyer_division LIKE ${likePrefix(r.scope)})`
    : sql`TRUE`;
  const res = await sql<{ from: string; to: string; n: string }>`
    SELECT left(t.division_code, ${len}) AS "from", left(t.buyer_division, ${len}) AS "to", count(*) AS n
    FROM sale t ${conditions(s, { ...r, scope: '' }, sql`t.buyer_division IS NOT NULL AND ${touches}`)}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 200`.execute(db);
  return res.rows.map((x) => ({ from: x.from, to: x.to, trades: Number(x.n) }));
}

/** The records behind one metric (drill-down), newest first. */
export async function records(
  db: Kysely<DB>,
  metric: Metric,
  r: Range,
  opts: { product?: string; limit: number; offset: number },
) {
  const s = SOURCES[metric];
  const product =
    opts.product && (metric === 'samples' || metric === 'failed') ? sql`t.product_name = ${opts.product}` : undefined;
  const { title, status, id } = DRILL[metric];
  const at = s.at ? sql`${sql.ref(s.at)}` : sql`NULL::timestamptz`;
  const where = conditions(s, r, product);
  const [rows, total] = await Promise.all([
    sql<{ id: string; title: string; division_code: string; at: Date | null; status: string | null }>`
      SELECT ${id} AS id, ${title} AS title, ${sql.ref(s.div)} AS division_code, ${at} AS at, ${status} AS status
      FROM ${s.from} ${where} ORDER BY 4 DESC NULLS LAST, 1 LIMIT ${opts.limit} OFFSET ${opts.offset}`.execute(db),
    sql<{ n: string }>`SELECT count(*) AS n FROM ${s.from} ${where}`.execute(db),
  ]);
  return { items: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

const DRILL: Record<Metric, { id: RawBuilder<unknown>; title: RawBuilder<unknown>; status: RawBuilder<unknown> }> = {
  directory: {
    id: sql`t.id::text`,
    title: sql`t.name`,
    status: sql`CASE WHEN t.subject_id IS NULL THEN 'unregistered' ELSE 'registered' END`,
  },
  registered: { id: sql`t.id::text`, title: sql`t.name`, status: sql`'registered'` },
  approved: { id: sql`t.id::text`, title: sql`t.name`, status: sql`t.status::text` },
  certificates: {
    id: sql`t.id::text`,
    title: sql`t.number || ' ' || t.product_name || ' · ' || t.subject_name`,
    status: sql`NULL`,
  },
  codes: { id: sql`t.kind || '-' || t.serial`, title: sql`s.name`, status: sql`t.status::text` },
  scans: { id: sql`t.id::text`, title: sql`t.code`, status: sql`t.result` },
  sales: { id: sql`t.id::text`, title: sql`t.buyer_name`, status: sql`t.status::text` },
  patrols: { id: sql`t.id::text`, title: sql`t.inspector_name`, status: sql`t.result::text` },
  samples: { id: sql`t.id::text`, title: sql`t.sample_code || ' ' || t.product_name`, status: sql`t.status::text` },
  failed: { id: sql`t.id::text`, title: sql`t.sample_code || ' ' || t.product_name`, status: sql`t.status::text` },
  recalls: { id: sql`t.id::text`, title: sql`t.reason`, status: sql`t.status::text` },
  complaints: { id: sql`t.id::text`, title: sql`t.number`, status: sql`t.status::text` },
  originRecords: { id: sql`t.id::text`, title: sql`t.subject_name`, status: sql`t.status::text` },
};
