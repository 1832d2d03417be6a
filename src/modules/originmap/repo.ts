import { type Insertable, type Kysely, type Selectable, type Updateable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB, OriginRecordTable } from '../../schema.js';
import type { Rule } from './validate.js';

export type RecordRow = Selectable<OriginRecordTable>;
export type RecordRowWithNames = RecordRow & { division_name: string | null; product_name: string; unit: string };

// ── reference data ───────────────────────────────────────────────────────────
export async function products(db: Kysely<DB>) {
  return db.selectFrom('origin_product').selectAll().orderBy('sort').execute();
}
export async function overrides(db: Kysely<DB>) {
  return db.selectFrom('origin_threshold').selectAll().execute();
}
export async function upsertOverride(db: Kysely<DB>, v: Insertable<DB['origin_threshold']>) {
  await db
    .insertInto('origin_threshold')
    .values(v)
    .onConflict((oc) => oc.columns(['division_code', 'product_code']).doUpdateSet({ threshold: v.threshold, facility_threshold: v.facility_threshold, cycle_days: v.cycle_days, updated_by: v.updated_by, updated_at: new Date() }))
    .execute();
}

/** Reference data loaded once per request/job: the effective rule of a product at a division. */
export class Rules {
  constructor(
    private readonly base: Awaited<ReturnType<typeof products>>,
    private readonly over: Awaited<ReturnType<typeof overrides>>,
  ) {}
  static async load(db: Kysely<DB>) {
    return new Rules(await products(db), await overrides(db));
  }
  get productCodes() {
    return this.base.map((p) => p.code);
  }
  at(productCode: string, divisionCode: string): Rule | undefined {
    const p = this.base.find((x) => x.code === productCode);
    if (!p) return undefined;
    // The most specific override on the division path (e.g. 440117103 → 440117 → 4401 → 44) wins.
    const o = this.over.filter((x) => x.product_code === productCode && divisionCode.startsWith(x.division_code)).sort((a, b) => b.division_code.length - a.division_code.length)[0];
    return {
      code: p.code,
      name: p.name,
      industry: p.industry,
      unit: p.unit,
      threshold: Number(o?.threshold ?? p.threshold),
      facilityThreshold: o?.facility_threshold != null ? Number(o.facility_threshold) : p.facility_threshold != null ? Number(p.facility_threshold) : null,
      cycleDays: o?.cycle_days ?? p.cycle_days,
      maxPlausible: Number(p.max_plausible),
    };
  }
  product(code: string) {
    return this.base.find((x) => x.code === code);
  }
}

// ── records ──────────────────────────────────────────────────────────────────
function recordQuery(db: Kysely<DB>) {
  return db
    .selectFrom('origin_record as r')
    .innerJoin('origin_product as p', 'p.code', 'r.product_code')
    .leftJoin('division as d', 'd.code', 'r.division_code')
    .selectAll('r')
    .select(['d.name as division_name', 'p.name as product_name', 'p.unit']);
}

export function recordById(db: Kysely<DB>, id: string): Promise<RecordRowWithNames | undefined> {
  return recordQuery(db).where('r.id', '=', id).executeTakeFirst() as Promise<RecordRowWithNames | undefined>;
}
export function recordByKey(db: Kysely<DB>, key: string) {
  return db.selectFrom('origin_record').selectAll().where('record_key', '=', key).executeTakeFirst();
}
export function recordsByKeys(db: Kysely<DB>, keys: string[]) {
  if (!keys.length) return Promise.resolve([] as RecordRow[]);
  return db.selectFrom('origin_record').selectAll().where('record_key', 'in', keys).execute();
}

export async function insertRecords(db: Kysely<DB>, rows: Insertable<OriginRecordTable>[]): Promise<string[]> {
  if (!rows.length) return [];
  const out = await db.insertInto('origin_record').values(rows).returning('id').execute();
  return out.map((r) => r.id);
}

export async function updateRecord(db: Kysely<DB>, id: string, patch: Updateable<OriginRecordTable>) {
  await db.updateTable('origin_record').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
}

/** Bulk update by key (import): the changed columns of each row, in one statement. */
export async function upsertRecords(db: Kysely<DB>, rows: Insertable<OriginRecordTable>[]) {
  if (!rows.length) return;
  await db
    .insertInto('origin_record')
    .values(rows)
    .onConflict((oc) =>
      oc.column('record_key').doUpdateSet((eb) => {
        const cols = [
          'division_code', 'county_code', 'subject_name', 'subject_type', 'credit_code', 'subject_id', 'product_code', 'alias', 'certification', 'base_address',
          'longitude', 'latitude', 'geo_check', 'geo_source', 'contact_name', 'contact_phone', 'scale', 'market_start', 'market_end', 'production_method',
          'trace_methods', 'credit_rating', 'grid_worker_name', 'grid_worker_phone', 'collector_name', 'collector_phone', 'status', 'collected_at', 'updated_by',
        ] as const;
        const set: Record<string, unknown> = {};
        for (const c of cols) set[c] = eb.ref(`excluded.${c}`);
        set.updated_at = sql`now()`;
        return set as never;
      }),
    )
    .execute();
}

export interface RecordFilter {
  scope: string;
  within?: string;
  products?: string[];
  status?: string[];
  onMap?: boolean;
  minScale?: number;
  maxScale?: number;
  /** Records on the market during [from, to] (market_start ≤ to and market_end ≥ from). */
  marketFrom?: string;
  marketTo?: string;
  q?: string;
  createdBy?: string;
}

export function applyFilter<Q extends { where: (...a: never[]) => Q }>(q0: Q, f: RecordFilter, alias = 'r'): Q {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's generic builder types are not expressible here
  let q = q0 as any;
  q = q.where((eb: never) => scopeFilter(eb, `${alias}.division_code`, f.scope));
  if (f.within) q = q.where((eb: never) => scopeFilter(eb, `${alias}.division_code`, f.within as string));
  if (f.products?.length) q = q.where(`${alias}.product_code`, 'in', f.products);
  if (f.status?.length) q = q.where(`${alias}.status`, 'in', f.status);
  if (f.onMap) q = q.where(`${alias}.approved_at`, 'is not', null);
  if (f.minScale !== undefined) q = q.where(`${alias}.scale`, '>=', String(f.minScale));
  if (f.maxScale !== undefined) q = q.where(`${alias}.scale`, '<=', String(f.maxScale));
  if (f.marketFrom) q = q.where(`${alias}.market_end`, '>=', f.marketFrom);
  if (f.marketTo) q = q.where(`${alias}.market_start`, '<=', f.marketTo);
  if (f.q) q = q.where((eb: { or: (x: unknown[]) => unknown; (a: string, op: string, v: string): unknown }) => eb.or([eb(`${alias}.subject_name`, 'like', `%${f.q}%`), eb(`${alias}.base_address`, 'like', `%${f.q}%`)]));
  if (f.createdBy) q = q.where(`${alias}.created_by`, '=', f.createdBy);
  return q as Q;
}

export async function listRecords(db: Kysely<DB>, f: RecordFilter, limit: number, offset: number) {
  const rows = (await applyFilter(recordQuery(db), f).orderBy('r.division_code').orderBy('r.subject_name').orderBy('r.id').limit(limit).offset(offset).execute()) as RecordRowWithNames[];
  const total = await applyFilter(db.selectFrom('origin_record as r').select((eb) => eb.fn.countAll<number>().as('n')), f).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** Streaming-friendly pages for export (keyset on id). */
export async function exportPage(db: Kysely<DB>, f: RecordFilter, after: string | null, limit: number) {
  let q = applyFilter(recordQuery(db), f);
  if (after) q = q.where('r.id', '>', after);
  return (await q.orderBy('r.id').limit(limit).execute()) as RecordRowWithNames[];
}

export async function summary(db: Kysely<DB>, f: RecordFilter, groupLen: number) {
  return applyFilter(
    db
      .selectFrom('origin_record as r')
      .select([sql<string>`substr(r.division_code, 1, ${sql.lit(groupLen)})`.as('code'), 'r.product_code'])
      .select((eb) => [eb.fn.countAll<number>().as('n'), sql<string>`sum(r.scale)`.as('scale')]),
    f,
  )
    .groupBy([sql`substr(r.division_code, 1, ${sql.lit(groupLen)})`, 'r.product_code'])
    .execute();
}

export function divisionNames(db: Kysely<DB>, codes: string[]) {
  if (!codes.length) return Promise.resolve([] as { code: string; name: string }[]);
  return db.selectFrom('division').select(['code', 'name']).where('code', 'in', codes).execute();
}
export async function existingDivisions(db: Kysely<DB>, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('division').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
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

/** Clusters from the rollup (filters: products and a division prefix of ≤ 6 digits, already intersected with scope). */
export async function clustersFromCells(db: Kysely<DB>, level: number, v: Viewport, divisionPrefix: string, productCodes: string[] | undefined) {
  const d = cellDeg(level);
  const res = await sql<ClusterRow>`
    SELECT cx, cy, sum(n)::int AS n, sum(sum_lng) / sum(n) AS lng, sum(sum_lat) / sum(n) AS lat, sum(sum_scale) AS scale
    FROM origin_cell
    WHERE level = ${level} AND cx BETWEEN ${Math.floor(v.west / d)} AND ${Math.floor(v.east / d)} AND cy BETWEEN ${Math.floor(v.south / d)} AND ${Math.floor(v.north / d)}
      ${divisionPrefix ? sql`AND county_code LIKE ${`${divisionPrefix}%`}` : sql``}
      ${productCodes?.length ? sql`AND product_code = ANY(${sql.val(productCodes)}::text[])` : sql``}
    GROUP BY cx, cy`.execute(db);
  return res.rows;
}

/** Clusters straight from the records (filters the rollup cannot answer: scale, market period, township scope). */
export async function clustersFromRecords(db: Kysely<DB>, level: number, v: Viewport, f: RecordFilter) {
  const d = cellDeg(level);
  const q = applyFilter(
    db
      .selectFrom('origin_record as r')
      .select([
        sql<number>`floor(r.longitude / ${d})::int`.as('cx'),
        sql<number>`floor(r.latitude / ${d})::int`.as('cy'),
        sql<number>`count(*)::int`.as('n'),
        sql<number>`avg(r.longitude)`.as('lng'),
        sql<number>`avg(r.latitude)`.as('lat'),
        sql<number>`sum(r.scale)::float8`.as('scale'),
      ])
      .where('r.longitude', '>=', v.west)
      .where('r.longitude', '<=', v.east)
      .where('r.latitude', '>=', v.south)
      .where('r.latitude', '<=', v.north),
    f,
  ).groupBy([sql`1`, sql`2`]);
  return (await q.execute()) as ClusterRow[];
}

/** Single points in a small viewport. */
export async function pointsIn(db: Kysely<DB>, v: Viewport, f: RecordFilter, limit: number) {
  return applyFilter(
    db
      .selectFrom('origin_record as r')
      .innerJoin('origin_product as p', 'p.code', 'r.product_code')
      .select(['r.id', 'r.longitude', 'r.latitude', 'r.subject_name', 'r.product_code', 'p.name as product_name', 'r.scale', 'p.unit', 'r.status'])
      .where('r.longitude', '>=', v.west)
      .where('r.longitude', '<=', v.east)
      .where('r.latitude', '>=', v.south)
      .where('r.latitude', '<=', v.north),
    f,
  )
    .limit(limit)
    .execute();
}

// ── imports ──────────────────────────────────────────────────────────────────
export function importById(db: Kysely<DB>, id: string) {
  return db.selectFrom('origin_import').selectAll().where('id', '=', id).executeTakeFirst();
}

// ── flags and notifications ───────────────────────────────────────────────────
export async function listFlags(db: Kysely<DB>, f: { scope: string; within?: string; status?: string; kind?: string; limit: number; offset: number }) {
  let q = db
    .selectFrom('origin_flag as f')
    .innerJoin('origin_record as r', 'r.id', 'f.record_id')
    .leftJoin('division as d', 'd.code', 'f.division_code')
    .where((eb) => scopeFilter(eb, 'f.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'f.division_code', f.within as string));
  if (f.status) q = q.where('f.status', '=', f.status as 'open');
  if (f.kind) q = q.where('f.kind', '=', f.kind as 'stale');
  const rows = await q
    .select(['f.id', 'f.record_id', 'f.kind', 'f.detail', 'f.division_code', 'f.status', 'f.created_at', 'f.resolved_at', 'f.resolution', 'r.subject_name', 'r.product_code', 'd.name as division_name'])
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}
export function flagById(db: Kysely<DB>, id: string) {
  return db.selectFrom('origin_flag').selectAll().where('id', '=', id).executeTakeFirst();
}
