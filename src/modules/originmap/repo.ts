import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  type SqlBool,
  type Updateable,
  sql,
} from 'kysely';
import { likeContains, likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB, OriginRecordTable } from '../../schema.js';
import { type FlagKind, type FlagStatus, type OriginStatus, isProductCode } from './schemas.js';

export type RecordRow = Selectable<OriginRecordTable>;
export type RecordRowWithNames = RecordRow & {
  division_name: string | null;
  unit: string;
  next_due: string;
  overdue: boolean;
  group_scale: string;
  group_plots: number;
};

/**
 * When a record `r` is due for re-collection (seed 004 五(四) 采集频次), as a date: a crop (种植业) at the harvest of
 * its current planting (每茬都要采集: the next planting is collected at its transplanting), else — no planting dates
 * known — its cycle (default 120 days) after the collection; livestock and aquatic products one calendar month after
 * the collection (按月采集和更新). A local cycle (`origin_threshold.cycle_days`, most specific division) replaces
 * the default cycle and the month. Works over `origin_record r` without a join.
 */
const collectedOn = sql`(r.collected_at AT TIME ZONE 'Asia/Shanghai')`;
export const nextDueSql = sql<string>`(SELECT CASE
    WHEN pp.industry = 'planting' THEN COALESCE(r.harvest_on, ${collectedOn}::date + COALESCE(o.cycle_days, pp.cycle_days))
    WHEN o.cycle_days IS NOT NULL THEN ${collectedOn}::date + o.cycle_days
    ELSE (${collectedOn} + interval '1 month')::date END
  FROM origin_product pp
  LEFT JOIN LATERAL (SELECT t.cycle_days FROM origin_threshold t WHERE t.product_code = r.product_code
    AND t.cycle_days IS NOT NULL AND starts_with(r.division_code, t.division_code)
    ORDER BY length(t.division_code) DESC LIMIT 1) o ON true
  WHERE pp.code = r.product_code)`;
/** Today in China (dates of deadlines and due dates are China dates). */
export const todaySql = sql<string>`(now() AT TIME ZONE 'Asia/Shanghai')::date`;
/** Overdue for re-collection: collected (not a draft) and due before today. */
export const overdueSql = sql<boolean>`(r.status <> 'draft' AND ${nextDueSql} < ${todaySql})`;
/**
 * The operator's group of plots (seed 004 五(四) 多个基地或多个地块，总计达到规模标准的，要分别进行采集): records of
 * the same product by the same operator (credit code, else name) in the same county.
 */
const groupOf = sql`g.county_code = r.county_code AND g.product_code = r.product_code
  AND COALESCE(g.credit_code, g.subject_name) = COALESCE(r.credit_code, r.subject_name)`;

// ── reference data ───────────────────────────────────────────────────────────
export function products(db: Kysely<DB>) {
  return db.selectFrom('origin_product').selectAll().orderBy('sort').execute();
}
export function overrides(db: Kysely<DB>) {
  return db.selectFrom('origin_threshold').selectAll().execute();
}
export async function upsertOverride(db: Kysely<DB>, v: Insertable<DB['origin_threshold']>) {
  await db
    .insertInto('origin_threshold')
    .values(v)
    .onConflict((oc) =>
      oc.columns(['division_code', 'product_code']).doUpdateSet({
        threshold: v.threshold,
        facility_threshold: v.facility_threshold,
        cycle_days: v.cycle_days,
        updated_by: v.updated_by,
        updated_at: new Date(),
      }),
    )
    .execute();
}

// ── records ──────────────────────────────────────────────────────────────────
function recordQuery(db: Kysely<DB>) {
  return db
    .selectFrom('origin_record as r')
    .innerJoin('origin_product as p', 'p.code', 'r.product_code')
    .leftJoin('division as d', 'd.code', 'r.division_code')
    .selectAll('r')
    .select(['d.name as division_name', 'p.unit'])
    .select([
      sql<string>`${nextDueSql}::text`.as('next_due'),
      overdueSql.as('overdue'),
      sql<string>`(SELECT sum(g.scale)::text FROM origin_record g WHERE ${groupOf})`.as('group_scale'),
      sql<number>`(SELECT count(*)::int FROM origin_record g WHERE ${groupOf})`.as('group_plots'),
    ]);
}

/** The scale of an operator's other plots of a product in a county (`except`: the record itself). */
export async function groupScaleOf(
  db: Kysely<DB>,
  g: { countyCode: string; productCode: string; creditCode: string | null; subjectName: string; except?: string[] },
) {
  const r = await db
    .selectFrom('origin_record')
    .select(sql<string>`COALESCE(sum(scale), 0)::text`.as('s'))
    .where('county_code', '=', g.countyCode)
    .where('product_code', '=', g.productCode as OriginRecordTable['product_code'])
    .where(sql<boolean>`COALESCE(credit_code, subject_name) = ${g.creditCode ?? g.subjectName}`)
    .$if(!!g.except?.length, (q) => q.where('record_key', 'not in', g.except ?? []))
    .executeTakeFirstOrThrow();
  return Number(r.s);
}

/** Unchanged rows of a re-import confirm their records: the collection date is refreshed. */
export async function confirmRecords(db: Kysely<DB>, ids: string[]) {
  if (!ids.length) return;
  await db
    .updateTable('origin_record')
    .set({ collected_at: sql`now()`, confirmed_at: sql`now()` })
    .where('id', 'in', ids)
    .execute();
}

/** Closes a record's current planting / collection into its history. */
export async function insertSeason(db: Kysely<DB>, v: Insertable<DB['origin_record_season']>) {
  await db.insertInto('origin_record_season').values(v).execute();
}
export function seasonsOf(db: Kysely<DB>, recordId: string) {
  return db
    .selectFrom('origin_record_season')
    .selectAll()
    .where('record_id', '=', recordId)
    .orderBy('season_no', 'desc')
    .execute();
}

export function recordById(db: Kysely<DB>, id: string): Promise<RecordRowWithNames | undefined> {
  return recordQuery(db).where('r.id', '=', id).executeTakeFirst();
}
export function recordByKey(db: Kysely<DB>, key: string) {
  return db.selectFrom('origin_record').selectAll().where('record_key', '=', key).executeTakeFirst();
}
export function recordsByKeys(db: Kysely<DB>, keys: string[]): Promise<RecordRow[]> {
  if (!keys.length) return Promise.resolve([]);
  return db.selectFrom('origin_record').selectAll().where('record_key', 'in', keys).execute();
}

export async function insertRecords(db: Kysely<DB>, rows: Insertable<OriginRecordTable>[]): Promise<string[]> {
  if (!rows.length) return [];
  const out = await db.insertInto('origin_record').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

export async function updateRecord(db: Kysely<DB>, id: string, patch: Updateable<OriginRecordTable>) {
  await db
    .updateTable('origin_record')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Columns an import overwrites when a row's key exists. */
const UPSERTED = [
  'division_code',
  'county_code',
  'subject_name',
  'subject_type',
  'credit_code',
  'subject_id',
  'product_code',
  'alias',
  'certification',
  'base_address',
  'longitude',
  'latitude',
  'geo_check',
  'geo_source',
  'contact_name',
  'contact_phone',
  'scale',
  'market_start',
  'market_end',
  'production_method',
  'trace_methods',
  'credit_rating',
  'grid_worker_name',
  'grid_worker_phone',
  'collector_name',
  'collector_phone',
  'status',
  'collected_at',
  'updated_by',
  'site_pending',
  'submitted_at',
  'review_due',
  'certifications',
] as const;

/** Bulk insert-or-update by key (import): one statement; answers what the review queue needs of each record. */
export async function upsertRecords(db: Kysely<DB>, rows: Insertable<OriginRecordTable>[]) {
  if (!rows.length) return [];
  return db
    .insertInto('origin_record')
    .values(rows)
    .onConflict((oc) =>
      oc.column('record_key').doUpdateSet((eb) => ({
        ...Object.fromEntries(UPSERTED.map((c) => [c, eb.ref(`excluded.${c}`)])),
        updated_at: sql<Date>`now()`,
      })),
    )
    .returning(['id', 'status', 'subject_name', 'entered_by_org', 'created_by', 'division_code', 'review_due'])
    .execute();
}

export interface RecordFilter {
  scope: string;
  within?: string;
  /** Product codes (an unknown code matches nothing). */
  products?: string[];
  status?: OriginStatus[];
  onMap?: boolean;
  minScale?: number;
  maxScale?: number;
  /** Records on the market during [from, to] (market_start ≤ to and market_end ≥ from). */
  marketFrom?: string;
  marketTo?: string;
  q?: string;
  createdBy?: string;
  /** Only this producer's records (a producer, or an agency acting for it, collects its own). */
  subjectId?: string;
  overdue?: boolean;
  sitePending?: boolean;
}

/** The filter of the table, the map, the summary and the export, over `origin_record as r`. */
export function recordFilter(
  eb: ExpressionBuilder<{ r: OriginRecordTable }, 'r'>,
  f: RecordFilter,
): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [scopeFilter(eb, 'r.division_code', f.scope)];
  if (f.within) c.push(scopeFilter(eb, 'r.division_code', f.within));
  if (f.products?.length) {
    const known = f.products.filter(isProductCode);
    c.push(known.length ? eb('r.product_code', 'in', known) : sql<boolean>`false`);
  }
  if (f.status?.length) c.push(eb('r.status', 'in', f.status));
  if (f.onMap) c.push(eb('r.approved_at', 'is not', null));
  if (f.minScale !== undefined) c.push(eb('r.scale', '>=', String(f.minScale)));
  if (f.maxScale !== undefined) c.push(eb('r.scale', '<=', String(f.maxScale)));
  if (f.marketFrom) c.push(eb('r.market_end', '>=', f.marketFrom));
  if (f.marketTo) c.push(eb('r.market_start', '<=', f.marketTo));
  if (f.q)
    c.push(eb.or([eb('r.subject_name', 'like', likeContains(f.q)), eb('r.base_address', 'like', likeContains(f.q))]));
  if (f.createdBy) c.push(eb('r.created_by', '=', f.createdBy));
  if (f.subjectId) c.push(eb('r.subject_id', '=', f.subjectId));
  if (f.overdue !== undefined) c.push(f.overdue ? overdueSql : sql<boolean>`NOT ${overdueSql}`);
  if (f.sitePending !== undefined) c.push(eb('r.site_pending', '=', f.sitePending));
  return eb.and(c);
}

export function listRecords(db: Kysely<DB>, f: RecordFilter, p: PageParams) {
  return paged(
    recordQuery(db)
      .where((eb) => recordFilter(eb, f))
      .orderBy('r.division_code')
      .orderBy('r.subject_name')
      .orderBy('r.id'),
    p,
  );
}

/** Streaming-friendly pages for export (keyset on id). */
export function exportPage(db: Kysely<DB>, f: RecordFilter, after: string | null, limit: number) {
  let q = recordQuery(db).where((eb) => recordFilter(eb, f));
  if (after) q = q.where('r.id', '>', after);
  return q.orderBy('r.id').limit(limit).execute();
}

/** Rows an export of this filter writes (before its cap). */
export async function exportCount(db: Kysely<DB>, f: RecordFilter): Promise<number> {
  const r = await db
    .selectFrom('origin_record as r')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => recordFilter(eb, f))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Counts and scale by division prefix (`groupLen` digits) and product. */
export function summary(db: Kysely<DB>, f: RecordFilter, groupLen: number) {
  const code = sql<string>`substr(r.division_code, 1, ${sql.lit(groupLen)})`;
  return db
    .selectFrom('origin_record as r')
    .select([code.as('code'), 'r.product_code'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string>`sum(r.scale)`.as('scale')])
    .where((eb) => recordFilter(eb, f))
    .groupBy([code, 'r.product_code'])
    .execute();
}

/** Live producers (table `subject`) matching by credit code, or by name (a read of the producers module's table). */
export function liveSubjects(db: Kysely<DB>, creditCodes: string[], names: string[]) {
  return db
    .selectFrom('subject')
    .select(['id', 'name', 'cert_type', 'cert_no', 'division_code'])
    .where('status', 'not in', ['rejected', 'revoked', 'cancelled'])
    .where((eb) =>
      eb.or([
        eb.and([eb('cert_type', '=', 'credit_code'), eb('cert_no', '=', eb.fn.any(eb.val(creditCodes)))]),
        eb('name', '=', eb.fn.any(eb.val(names))),
      ]),
    )
    .execute();
}

// ── map ──────────────────────────────────────────────────────────────────────
export const CELL_LEVELS = [3, 4, 5, 6, 7, 8, 9, 10] as const;
export const cellDeg = (level: number) => 45 / 2 ** level;

/** Rebuilds the grid rollup of the given counties from their on-map records (every level, one statement each). */
export async function refreshCells(db: Kysely<DB>, counties: string[]) {
  if (!counties.length) return;
  await db.deleteFrom('origin_cell').where('county_code', 'in', counties).execute();
  await sql`
    INSERT INTO origin_cell (level, cx, cy, product_code, county_code, n, sum_lng, sum_lat, sum_scale)
    SELECT l.level, floor(r.longitude / (45.0 / (2 ^ l.level)))::int, floor(r.latitude / (45.0 / (2 ^ l.level)))::int,
           r.product_code, r.county_code, count(*), sum(r.longitude), sum(r.latitude), sum(r.scale)::float8
    FROM origin_record r CROSS JOIN unnest(${sql.val([...CELL_LEVELS])}::int[]) AS l(level)
    WHERE r.county_code = ANY(${sql.val(counties)}::text[]) AND r.approved_at IS NOT NULL AND r.longitude IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5`.execute(db);
}

export interface Viewport {
  west: number;
  south: number;
  east: number;
  north: number;
}
export interface ClusterRow {
  cx: number;
  cy: number;
  n: number;
  lng: number;
  lat: number;
  scale: number;
}

/** Clusters from the rollup (filters: products and a division prefix down to the county, within the scope). */
export async function clustersFromCells(
  db: Kysely<DB>,
  level: number,
  v: Viewport,
  divisionPrefix: string,
  productCodes: string[] | undefined,
) {
  const d = cellDeg(level);
  const res = await sql<ClusterRow>`
    SELECT cx, cy, sum(n)::int AS n, sum(sum_lng) / sum(n) AS lng, sum(sum_lat) / sum(n) AS lat, sum(sum_scale) AS scale
    FROM origin_cell
    WHERE level = ${level} AND cx BETWEEN ${Math.floor(v.west / d)} AND ${Math.floor(v.east / d)} AND cy BETWEEN ${Math.floor(v.south / d)} AND ${Math.floor(v.north / d)}
      ${divisionPrefix ? sql`AND county_code LIKE ${likePrefix(divisionPrefix)}` : sql``}
      ${productCodes?.length ? sql`AND product_code = ANY(${sql.val(productCodes)}::text[])` : sql``}
    GROUP BY cx, cy`.execute(db);
  return res.rows;
}

/**
 * Edges of the scale bands of `origin_cell_band` (the same list as `origin_scale_band_edges()` in migration
 * 202612030501): band b (1-based, like `width_bucket`) holds EDGES[b-1] <= scale < EDGES[b]; the last band is open.
 */
export const SCALE_BAND_EDGES = [
  0, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 1000, 2000, 3000, 5000, 10000, 20000, 30000,
  50000, 100000, 200000, 300000, 500000, 1000000,
] as const;
const bandOf = (s: number) => SCALE_BAND_EDGES.filter((e) => e <= s).length;
/** A date's month as stored in `origin_cell_band` (year * 12 + month - 1) and the first day of such a month. */
const monthOf = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
const firstDay = (m: number) => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;

/**
 * Clusters for the scale and market-period filters (with products, within a province or all China) from the band
 * rollup, exactly as grouping the records would give them. The filter is split into what whole bands and months
 * answer (read from `origin_cell_band`) and the records in a band or month the filter cuts (a scale or date that is
 * not an edge): those are grouped from the records, read from the covering range indexes on scale, market_start and
 * market_end (index-only); with filters on edges no record is read.
 */
export async function clustersFromBands(
  db: Kysely<DB>,
  level: number,
  v: Viewport,
  province: string,
  f: RecordFilter,
): Promise<ClusterRow[]> {
  const d = cellDeg(level);
  const [x0, x1, y0, y1] = [
    Math.floor(v.west / d),
    Math.floor(v.east / d),
    Math.floor(v.south / d),
    Math.floor(v.north / d),
  ];
  let bandLo = 0;
  let bandHi = SCALE_BAND_EDGES.length;
  let emLo: number | undefined;
  let smHi: number | undefined;
  // Given the filter, a record is outside the whole bands and months read from the rollup iff one of these holds.
  const cut: Expression<SqlBool>[] = [];
  if (f.minScale !== undefined) {
    const b = bandOf(f.minScale);
    if (SCALE_BAND_EDGES[b - 1] === f.minScale) bandLo = b;
    else {
      bandLo = b + 1;
      cut.push(
        b < SCALE_BAND_EDGES.length ? sql<SqlBool>`r.scale < ${String(SCALE_BAND_EDGES[b])}` : sql<SqlBool>`true`,
      );
    }
  }
  if (f.maxScale !== undefined) {
    const b = bandOf(f.maxScale);
    bandHi = b - 1;
    cut.push(sql<SqlBool>`r.scale >= ${String(SCALE_BAND_EDGES[b - 1])}`);
  }
  if (f.marketFrom) {
    emLo = monthOf(f.marketFrom);
    if (f.marketFrom.slice(8, 10) !== '01') {
      emLo += 1;
      cut.push(sql<SqlBool>`r.market_end < ${firstDay(emLo)}::date`);
    }
  }
  if (f.marketTo) {
    smHi = monthOf(f.marketTo);
    const y = Number(f.marketTo.slice(0, 4));
    const m = Number(f.marketTo.slice(5, 7));
    if (Number(f.marketTo.slice(8, 10)) !== new Date(Date.UTC(y, m, 0)).getUTCDate()) {
      cut.push(sql<SqlBool>`r.market_start >= ${firstDay(smHi)}::date`);
      smHi -= 1;
    }
  }
  const products = f.products?.filter(isProductCode);
  // The leanest rollup the filter needs: without months for a scale filter alone, without bands for a market
  // period alone (both kept by the same triggers), else the band rollup with both.
  const months = emLo !== undefined || smHi !== undefined;
  const scales = bandLo > 0 || bandHi < SCALE_BAND_EDGES.length;
  const table = months && scales ? 'origin_cell_band' : months ? 'origin_cell_month' : 'origin_cell_scale';
  const whole = sql<ClusterRow>`
    SELECT cx, cy, sum(n)::int AS n, sum(sum_lng) AS lng, sum(sum_lat) AS lat, sum(sum_scale) AS scale
    FROM ${sql.table(table)}
    WHERE level = ${level} AND cx BETWEEN ${x0} AND ${x1} AND cy BETWEEN ${y0} AND ${y1}
      ${table === 'origin_cell_month' ? sql`` : sql`AND scale_band BETWEEN ${bandLo} AND ${bandHi}`}
      ${province ? sql`AND province_code = ${province}` : sql``}
      ${f.products?.length ? sql`AND product_code = ANY(${sql.val(products ?? [])}::text[])` : sql``}
      ${emLo !== undefined ? sql`AND end_month >= ${emLo}` : sql``}
      ${smHi !== undefined ? sql`AND start_month <= ${smHi}` : sql``}
    GROUP BY cx, cy`.execute(db);
  // One part per cut, disjoint (a record in several cut ranges counts in the first), so that each part is a range
  // read of one covering index (index-only).
  const parts = cut.map((c, i) =>
    db
      .selectFrom('origin_record as r')
      .select([
        sql<number>`floor(r.longitude / ${d})::int`.as('cx'),
        sql<number>`floor(r.latitude / ${d})::int`.as('cy'),
        'r.longitude',
        'r.latitude',
        'r.scale',
      ])
      .where((eb) =>
        eb.and([
          recordFilter(eb, f),
          c,
          ...cut.slice(0, i).map((e) => sql<SqlBool>`NOT (${e})`),
          // The whole cells of the viewport, as the rollup counts them.
          sql<SqlBool>`r.longitude >= ${x0 * d - 1e-9} AND r.longitude < ${(x1 + 1) * d + 1e-9}`,
          sql<SqlBool>`r.latitude >= ${y0 * d - 1e-9} AND r.latitude < ${(y1 + 1) * d + 1e-9}`,
          sql<SqlBool>`floor(r.longitude / ${d})::int BETWEEN ${x0} AND ${x1}`,
          sql<SqlBool>`floor(r.latitude / ${d})::int BETWEEN ${y0} AND ${y1}`,
        ]),
      ),
  );
  const [rolled, cutRows] = await Promise.all([
    whole,
    parts.length
      ? db
          .selectFrom(parts.reduce((u, p) => u.unionAll(p)).as('x'))
          .select([
            'x.cx',
            'x.cy',
            sql<number>`count(*)::int`.as('n'),
            sql<number>`sum(x.longitude)`.as('lng'),
            sql<number>`sum(x.latitude)`.as('lat'),
            sql<number>`sum(x.scale)::float8`.as('scale'),
          ])
          .groupBy(['x.cx', 'x.cy'])
          .execute()
      : Promise.resolve([]),
  ]);
  const cells = new Map<string, ClusterRow>();
  for (const r of [...rolled.rows, ...cutRows]) {
    const k = `${r.cx},${r.cy}`;
    const c = cells.get(k) ?? { cx: r.cx, cy: r.cy, n: 0, lng: 0, lat: 0, scale: 0 };
    c.n += Number(r.n);
    c.lng += Number(r.lng);
    c.lat += Number(r.lat);
    c.scale += Number(r.scale);
    cells.set(k, c);
  }
  return [...cells.values()].filter((c) => c.n > 0).map((c) => ({ ...c, lng: c.lng / c.n, lat: c.lat / c.n }));
}

const inViewport = (eb: ExpressionBuilder<{ r: OriginRecordTable }, 'r'>, v: Viewport) =>
  eb.and([
    eb('r.longitude', '>=', v.west),
    eb('r.longitude', '<=', v.east),
    eb('r.latitude', '>=', v.south),
    eb('r.latitude', '<=', v.north),
  ]);

/** Clusters straight from the records (filters the rollup cannot answer: scale, market period, township scope). */
export function clustersFromRecords(
  db: Kysely<DB>,
  level: number,
  v: Viewport,
  f: RecordFilter,
): Promise<ClusterRow[]> {
  const d = cellDeg(level);
  return db
    .selectFrom('origin_record as r')
    .select([
      sql<number>`floor(r.longitude / ${d})::int`.as('cx'),
      sql<number>`floor(r.latitude / ${d})::int`.as('cy'),
      sql<number>`count(*)::int`.as('n'),
      sql<number>`avg(r.longitude)`.as('lng'),
      sql<number>`avg(r.latitude)`.as('lat'),
      sql<number>`sum(r.scale)::float8`.as('scale'),
    ])
    .where((eb) => eb.and([inViewport(eb, v), recordFilter(eb, f)]))
    .groupBy([sql`1`, sql`2`])
    .execute();
}

/** Single points in a small viewport. */
export function pointsIn(db: Kysely<DB>, v: Viewport, f: RecordFilter, limit: number) {
  return db
    .selectFrom('origin_record as r')
    .innerJoin('origin_product as p', 'p.code', 'r.product_code')
    .select(['r.id', 'r.longitude', 'r.latitude', 'r.subject_name', 'r.product_code', 'r.scale', 'p.unit', 'r.status'])
    .where((eb) => eb.and([inViewport(eb, v), recordFilter(eb, f)]))
    .limit(limit)
    .execute();
}

// ── flags and notifications ───────────────────────────────────────────────────
export function listFlags(
  db: Kysely<DB>,
  f: { scope: string; within?: string; status?: FlagStatus; kind?: FlagKind },
  p: PageParams,
) {
  let q = db
    .selectFrom('origin_flag as f')
    .innerJoin('origin_record as r', 'r.id', 'f.record_id')
    .leftJoin('division as d', 'd.code', 'f.division_code')
    .where((eb) => scopeFilter(eb, 'f.division_code', f.scope));
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 'f.division_code', within));
  }
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.kind) q = q.where('f.kind', '=', f.kind);
  return paged(
    q
      .select([
        'f.id',
        'f.record_id',
        'f.kind',
        'f.detail',
        'f.division_code',
        'f.status',
        'f.created_at',
        'f.resolved_at',
        'f.resolution',
        'r.subject_name',
        'r.product_code',
        'd.name as division_name',
      ])
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id'),
    p,
  );
}
export function flagById(db: Kysely<DB>, id: string) {
  return db.selectFrom('origin_flag').selectAll().where('id', '=', id).executeTakeFirst();
}
export async function resolveFlag(db: Kysely<DB>, id: string, by: string, resolution: string) {
  await db
    .updateTable('origin_flag')
    .set({ status: 'resolved', resolved_at: new Date(), resolved_by: by, resolution })
    .where('id', '=', id)
    .execute();
}

/** Notifications addressed to an account, or (for reviewers) to their division. */
export function listNotifications(db: Kysely<DB>, to: { accountId: string; division?: string }, p: PageParams) {
  return paged(
    db
      .selectFrom('origin_notification')
      .selectAll()
      .where((eb) =>
        to.division === undefined
          ? eb('account_id', '=', to.accountId)
          : eb.or([eb('account_id', '=', to.accountId), eb('division_code', '=', to.division)]),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id'),
    p,
  );
}

// ── third-party collectors authorised by the county (seed 004 五(三)) ──────────────────────────────────────────
export function liveCollectorGrants(db: Kysely<DB>, agencyOrgId: string) {
  return db
    .selectFrom('origin_collector_grant')
    .select(['id', 'county_code'])
    .where('agency_org_id', '=', agencyOrgId)
    .where('revoked_at', 'is', null)
    .orderBy('county_code')
    .execute();
}

export function collectorGrants(db: Kysely<DB>, scope: string) {
  return db
    .selectFrom('origin_collector_grant as g')
    .innerJoin('organisation as o', 'o.id', 'g.agency_org_id')
    .selectAll('g')
    .select('o.name as agency_name')
    .where((eb) => scopeFilter(eb, 'g.county_code', scope))
    .orderBy('g.granted_at', 'desc')
    .limit(500)
    .execute();
}
export type CollectorGrantRow = Awaited<ReturnType<typeof collectorGrants>>[number];

export function collectorGrant(db: Kysely<DB>, id: string) {
  return db.selectFrom('origin_collector_grant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCollectorGrant(db: Kysely<DB>, v: Insertable<DB['origin_collector_grant']>) {
  return (await db.insertInto('origin_collector_grant').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function revokeCollectorGrant(db: Kysely<DB>, id: string, by: string) {
  await db
    .updateTable('origin_collector_grant')
    .set({ revoked_at: new Date(), revoked_by: by })
    .where('id', '=', id)
    .execute();
}

// ── who a record's notices reach (seed 004 六(四): 通过系统提示当地县乡监管机构和信息采集员) ─────────────────────────
/**
 * The accounts of the collectors named in records (信息采集员姓名及联系方式): an active account whose phone is the
 * record's collector phone (digits compared), inside the record's county; else one whose display name is the
 * collector's name in an organisation of the record's township. Returns record id → account ids.
 */
export async function namedCollectors(
  db: Kysely<DB>,
  rows: { id: string; division_code: string; collector_name: string | null; collector_phone: string | null }[],
) {
  const out = new Map<string, string[]>();
  const wanted = rows.filter((r) => r.collector_name || r.collector_phone);
  if (!wanted.length) return out;
  const digits = (s: string | null) => (s ?? '').replace(/\D/g, '');
  const phones = [...new Set(wanted.map((r) => digits(r.collector_phone)).filter(Boolean))];
  const names = [...new Set(wanted.map((r) => r.collector_name).filter((x): x is string => !!x))];
  const counties = [...new Set(wanted.map((r) => r.division_code.slice(0, 6)))];
  const accounts = await db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.phone', 'a.display_name', 'o.division_code'])
    .where('a.status', '=', 'active')
    .where('o.status', '=', 'active')
    .where(sql<boolean>`substr(o.division_code, 1, 6) = ANY(${sql.val(counties)}::text[])`)
    .where((eb) =>
      eb.or([
        eb(sql`regexp_replace(coalesce(a.phone, ''), '\\D', '', 'g')`, '=', eb.fn.any(eb.val(phones))),
        eb('a.display_name', '=', eb.fn.any(eb.val(names))),
      ]),
    )
    .execute();
  for (const r of wanted) {
    const byPhone = accounts.filter(
      (a) =>
        digits(r.collector_phone) &&
        digits(a.phone) === digits(r.collector_phone) &&
        r.division_code.startsWith(a.division_code.slice(0, 6)),
    );
    const byName = accounts.filter(
      (a) => a.display_name === r.collector_name && a.division_code.startsWith(r.division_code.slice(0, 9)),
    );
    const ids = [...new Set((byPhone.length ? byPhone : byName).map((a) => a.id))];
    if (ids.length) out.set(r.id, ids);
  }
  return out;
}

/** Review and correction deadlines per township (the collecting unit), inside the scope. */
export async function deadlinesByTown(db: Kysely<DB>, scope: string, within: string | undefined) {
  const town = sql<string>`substr(r.division_code, 1, 9)`;
  return db
    .selectFrom('origin_record as r')
    .select([
      town.as('code'),
      sql<number>`count(*) FILTER (WHERE r.status = 'submitted')::int`.as('submitted'),
      sql<number>`count(*) FILTER (WHERE r.status = 'submitted' AND r.review_due < ${todaySql})::int`.as(
        'reviews_overdue',
      ),
      sql<number>`count(*) FILTER (WHERE r.status = 'returned')::int`.as('returned'),
      sql<number>`count(*) FILTER (WHERE r.status = 'returned' AND r.correction_due < ${todaySql})::int`.as(
        'corrections_overdue',
      ),
      sql<number>`count(*) FILTER (WHERE r.corrected_late)::int`.as('corrected_late'),
      sql<number>`count(*) FILTER (WHERE r.site_pending)::int`.as('site_pending'),
      sql<number>`count(*) FILTER (WHERE ${overdueSql})::int`.as('recollect_overdue'),
    ])
    .where((eb) => recordFilter(eb, { scope, within }))
    .groupBy(town)
    .orderBy(town)
    .execute();
}
