/**
 * The band rollup of the origin map (issue 19 item 4): viewport clusters filtered by scale, product and market period
 * read `origin_cell_band` and must equal a direct aggregate over the records, for filters on band and month edges and
 * for filters that cut a band or a month; the statement triggers keep the rollup and its two leaner companions
 * (origin_cell_scale without months, origin_cell_month without bands) exact through inserts, updates (approval, scale,
 * market dates, moves, no-op updates, an upsert) and deletes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { Ctx } from '../src/kernel/context.js';
import { VERB_TABLE } from '../src/modules/index.js';
import { generateRecords, rebuildAllCells } from '../src/modules/originmap/generate.js';
import * as repo from '../src/modules/originmap/repo.js';
import type { MapQuery } from '../src/modules/originmap/schemas.js';
import { filterOf } from '../src/modules/originmap/service/records.js';
import { queryMap } from '../src/modules/originmap/service.js';
import { type TestApp, makeUser, testApp } from './helpers.js';

let t: TestApp;
let ctx: Ctx;

const day = (offset: number) => new Date(Date.now() + offset * 86400_000).toISOString().slice(0, 10);
const firstOfMonth = (offset: number) => `${day(offset).slice(0, 8)}01`;
const lastOfMonth = (offset: number) => {
  const d = new Date(`${day(offset).slice(0, 8)}01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

beforeAll(async () => {
  t = await testApp();
  const db = t.database.db;
  await generateRecords(db, { count: 1500, within: ['4401', '4419', '5101'], keyPrefix: 'band', seed: 3 });
  // Writes after the load: approvals, scale, market and point changes, a no-op update, deletes, a second insert.
  await sql`UPDATE origin_record SET status = 'approved', approved_at = now()
    WHERE approved_at IS NULL AND record_key LIKE 'band-1%'`.execute(db);
  await sql`UPDATE origin_record SET scale = scale * 7 + 0.3 WHERE record_key LIKE 'band-2%'`.execute(db);
  await sql`UPDATE origin_record SET market_start = market_start - 45, market_end = NULL
    WHERE record_key LIKE 'band-3%'`.execute(db);
  await sql`UPDATE origin_record SET longitude = longitude + 0.3, latitude = latitude - 0.2
    WHERE record_key LIKE 'band-4%'`.execute(db);
  await sql`UPDATE origin_record SET collected_at = now() WHERE record_key LIKE 'band-5%'`.execute(db);
  await sql`UPDATE origin_record SET approved_at = NULL, status = 'submitted' WHERE record_key LIKE 'band-6%'`.execute(
    db,
  );
  await sql`DELETE FROM origin_record WHERE record_key LIKE 'band-7%'`.execute(db);
  // The import's upsert (INSERT … ON CONFLICT DO UPDATE) fires the update trigger.
  await sql`INSERT INTO origin_record SELECT * FROM origin_record WHERE record_key LIKE 'band-8%'
    ON CONFLICT (record_key) DO UPDATE SET scale = origin_record.scale + 2, approved_at = now()`.execute(db);
  await generateRecords(db, { count: 300, within: ['4401'], keyPrefix: 'more', seed: 9, approvedShare: 1 });
  ctx = {
    db,
    actor: {
      id: '00000000-0000-4000-8000-000000000000',
      username: 'national',
      displayName: 'national',
      orgId: '00000000-0000-4000-8000-000000000000',
      orgName: '',
      orgKind: 'supervision',
      scope: '',
      roles: ['supervisor'],
      verbs: new Set(Object.keys(VERB_TABLE)),
      mustChangePassword: false,
    },
    ip: null,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
  } as Ctx;
}, 300_000);
afterAll(async () => {
  await t?.close();
});

interface Cell {
  cx: number;
  cy: number;
  n: number;
  lng: number;
  lat: number;
  scale: number;
}

/** The answer the rollup must give: the on-map records of the filter grouped by the viewport's cells. */
async function direct(level: number, q: MapQuery): Promise<Cell[]> {
  const d = 45 / 2 ** level;
  const c = [sql`approved_at IS NOT NULL AND longitude IS NOT NULL AND latitude IS NOT NULL`];
  c.push(sql`floor(longitude / ${d}::float8) BETWEEN ${Math.floor(q.west / d)} AND ${Math.floor(q.east / d)}`);
  c.push(sql`floor(latitude / ${d}::float8) BETWEEN ${Math.floor(q.south / d)} AND ${Math.floor(q.north / d)}`);
  if (q.within) c.push(sql`division_code LIKE ${`${q.within}%`}`);
  if (q.product) c.push(sql`product_code = ANY(${q.product.split(',')}::text[])`);
  if (q.minScale !== undefined) c.push(sql`scale >= ${String(q.minScale)}::numeric`);
  if (q.maxScale !== undefined) c.push(sql`scale <= ${String(q.maxScale)}::numeric`);
  if (q.marketFrom) c.push(sql`market_end >= ${q.marketFrom}::date`);
  if (q.marketTo) c.push(sql`market_start <= ${q.marketTo}::date`);
  const res = await sql<Cell>`
    SELECT floor(longitude / ${d}::float8)::int AS cx, floor(latitude / ${d}::float8)::int AS cy, count(*)::int AS n,
           avg(longitude) AS lng, avg(latitude) AS lat, sum(scale)::float8 AS scale
    FROM origin_record WHERE ${sql.join(c, sql` AND `)} GROUP BY 1, 2`.execute(t.database.db);
  return res.rows;
}

const sorted = (cells: Cell[]) =>
  cells
    .map((c) => ({ ...c, n: Number(c.n), lng: Number(c.lng), lat: Number(c.lat), scale: Number(c.scale) }))
    .sort((a, b) => a.cx - b.cx || a.cy - b.cy);

const CHINA = { west: 73, south: 3, east: 136, north: 54, zoom: 5 };
const GUANGDONG = { west: 109.6, south: 20.2, east: 117.2, north: 25.6, zoom: 8 };
const SICHUAN = { west: 97.3, south: 26, east: 108.6, north: 34.4, zoom: 7 };

const FILTERS: [string, Partial<MapQuery>][] = [
  ['scale from an edge', { minScale: 100 }],
  ['scale up to an edge', { maxScale: 100 }],
  ['scale cutting two bands', { minScale: 37.5, maxScale: 2400 }],
  ['scale between two edges (the map page)', { minScale: 30, maxScale: 3000 }],
  [
    'products, edges and whole months (the map page)',
    { product: 'pig,cowpea', minScale: 30, maxScale: 3000, marketFrom: firstOfMonth(60), marketTo: lastOfMonth(150) },
  ],
  ['scale above the last edge', { minScale: 1_500_000 }],
  ['whole months', { marketFrom: firstOfMonth(60), marketTo: lastOfMonth(120) }],
  ['days inside months', { marketFrom: day(75), marketTo: day(140) }],
  ['only a start month', { marketTo: lastOfMonth(20) }],
  ['products, scale and a cut month', { product: 'pig,cowpea', minScale: 15, marketTo: day(10) }],
  ['all filters', { product: 'bass,leek,pig', minScale: 3, maxScale: 800, marketFrom: day(100), marketTo: day(200) }],
  ['an unknown product', { product: 'nothing', minScale: 1 }],
  ['a province', { within: '44', minScale: 3, marketFrom: firstOfMonth(90) }],
];

describe('origin map band rollup', () => {
  it('is what a full rebuild from the records gives, after inserts, updates and deletes', async () => {
    const db = t.database.db;
    const key = sql`level, cx, cy, product_code, province_code, scale_band, start_month, end_month`;
    const rebuilt = sql`
      SELECT l.level::smallint AS level, floor(longitude / (45.0 / (2 ^ l.level)))::int AS cx,
             floor(latitude / (45.0 / (2 ^ l.level)))::int AS cy, product_code, left(county_code, 2) AS province_code,
             origin_scale_band(scale) AS scale_band, origin_month(market_start, 2147483647) AS start_month,
             origin_month(market_end, -1) AS end_month, count(*)::int AS n
      FROM origin_record CROSS JOIN generate_series(3, 10) AS l(level)
      WHERE approved_at IS NOT NULL AND longitude IS NOT NULL AND latitude IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;
    const diff = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        (SELECT ${key}, n FROM origin_cell_band EXCEPT ALL ${rebuilt})
        UNION ALL (${rebuilt} EXCEPT ALL SELECT ${key}, n FROM origin_cell_band)) x`.execute(db);
    expect(diff.rows[0].n).toBe(0);
    // The leaner companions (migration 202612100201), kept by the same triggers: the band rollup without months
    // (a scale filter alone) and without bands (a market period alone).
    for (const [table, cols] of [
      ['origin_cell_scale', sql`level, cx, cy, product_code, province_code, scale_band`],
      ['origin_cell_month', sql`level, cx, cy, product_code, province_code, start_month, end_month`],
    ] as const) {
      const grouped = sql`SELECT ${cols}, sum(n)::int AS n FROM (${rebuilt}) r GROUP BY ${cols}`;
      const d = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM (
          (SELECT ${cols}, n FROM ${sql.table(table)} EXCEPT ALL ${grouped})
          UNION ALL (${grouped} EXCEPT ALL SELECT ${cols}, n FROM ${sql.table(table)})) x`.execute(db);
      expect(d.rows[0].n, table).toBe(0);
    }
    const total = await sql<{ n: number }>`SELECT sum(n)::int AS n FROM origin_cell_band WHERE level = 3`.execute(db);
    expect(total.rows[0].n).toBeGreaterThan(1000);
    // The band edges of the table are the ones the queries split filters on.
    const edges = await sql<{ e: string[] }>`SELECT origin_scale_band_edges()::text[] AS e`.execute(db);
    expect(edges.rows[0].e.map(Number)).toEqual([...repo.SCALE_BAND_EDGES]);
  });

  for (const [name, filter] of FILTERS)
    it(`answers ${name} exactly as the records do`, async () => {
      for (const view of [CHINA, GUANGDONG, SICHUAN]) {
        const q = { ...view, ...filter } as MapQuery;
        const answer = await queryMap(ctx, q);
        expect(answer.source).toBe('bands');
        const want = sorted(await direct(answer.level, q));
        const got = sorted(
          await repo.clustersFromBands(t.database.db, answer.level, q, q.within ?? '', filterOf(ctx, q, true)),
        );
        expect(got.map((c) => [c.cx, c.cy, c.n])).toEqual(want.map((c) => [c.cx, c.cy, c.n]));
        got.forEach((c, i) => {
          expect(c.lng).toBeCloseTo(want[i].lng, 9);
          expect(c.lat).toBeCloseTo(want[i].lat, 9);
          expect(c.scale).toBeCloseTo(want[i].scale, 4);
        });
        expect(answer.total).toBe(want.reduce((s, c) => s + c.n, 0));
        if (!['an unknown product', 'scale above the last edge'].includes(name) && view !== SICHUAN)
          expect(answer.total).toBeGreaterThan(0);
      }
    });

  it('leaves filters below a province and the status filter to the records', async () => {
    expect((await queryMap(ctx, { ...GUANGDONG, within: '4401', minScale: 3 } as MapQuery)).source).toBe('records');
    expect((await queryMap(ctx, { ...GUANGDONG, status: 'approved', minScale: 3 } as MapQuery)).source).toBe('records');
    expect((await queryMap(ctx, { ...GUANGDONG, overdue: true } as MapQuery)).source).toBe('records');
    expect((await queryMap(ctx, { ...GUANGDONG, product: 'pig' } as MapQuery)).source).toBe('cells');
  });
});

/**
 * Through the API, as a provincial information administrator sees the map: the filtered clusters of `queryOriginMap`
 * (product → `origin_cell`; scale, market period and combined → `origin_cell_band`) equal a direct count over the
 * records before and after a record is created and approved, edited (scale and market months), and retired (deleted:
 * the API has no delete, so SQL, as a purge would).
 */
describe('origin map filters through the API after writes', () => {
  const VIEWS = [
    { west: 73, south: 3, east: 136, north: 54, zoom: 5 },
    { ...GUANGDONG, zoom: 8, within: '44' },
  ];
  const API_FILTERS: [string, Partial<MapQuery>][] = [
    ['none', {}],
    ['product', { product: 'cowpea,pig' }],
    ['scale range', { minScale: 10, maxScale: 37.5 }],
    ['months', { marketFrom: firstOfMonth(0), marketTo: lastOfMonth(60) }],
    ['days', { marketFrom: day(25), marketTo: day(70) }],
    ['combined', { product: 'cowpea', minScale: 10, maxScale: 37.5, marketFrom: day(25), marketTo: day(70) }],
  ];
  let token: string;
  let id: string;

  /** Every filter × view: the API's clusters and total against the records; returns the totals by filter name. */
  async function compareAll() {
    const totals: Record<string, number[]> = {};
    for (const [name, filter] of API_FILTERS)
      for (const view of VIEWS) {
        const q = { ...view, ...filter } as MapQuery;
        const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
        const res = await t.req(token, { method: 'GET', url: `/api/v1/origin/map?${qs}` });
        expect(res.statusCode, res.body).toBe(200);
        const a = res.json() as {
          level: number;
          source: string;
          total: number;
          clusters: { lng: number; lat: number; count: number }[];
        };
        expect(a.source, name).toBe(name === 'none' || name === 'product' ? 'cells' : 'bands');
        // The caller's jurisdiction (Guangdong) bounds every view.
        const want = sorted(await direct(a.level, { ...q, within: q.within ?? '44' }));
        expect(a.total, `${name} ${JSON.stringify(view)}`).toBe(want.reduce((s, c) => s + c.n, 0));
        if (a.clusters.length) {
          const d = 45 / 2 ** a.level;
          const got = a.clusters
            .map((c) => [Math.floor(c.lng / d), Math.floor(c.lat / d), c.count])
            .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
          expect(got, name).toEqual(want.map((c) => [c.cx, c.cy, c.n]));
        }
        totals[name] = [...(totals[name] ?? []), a.total];
      }
    return totals;
  }

  it('answers exactly before and after a create + approve, an edit of scale and months, and a retirement', async () => {
    const admin = await t.login('admin');
    const info = await makeUser(t, admin, {
      username: 'gd_info',
      orgName: '广东省信息中心',
      divisionCode: '44',
      roles: ['info_admin'],
    });
    token = info.token;
    // Nobody reviews their own entry (seed 000 art. 12): a colleague approves the record.
    const colleague = (
      await makeUser(t, admin, {
        username: 'gd_info2',
        orgName: '',
        orgId: info.orgId,
        divisionCode: '44',
        roles: ['info_admin'],
      })
    ).token;
    await rebuildAllCells(t.database.db); // the SQL writes above bypass the services that refresh origin_cell
    const before = await compareAll();

    const created = await t.req(token, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: {
        divisionCode: '440117103',
        subjectName: '从化滤镜测试豇豆合作社',
        subjectType: 'cooperative',
        creditCode: '93440117MA5ABCDE1M',
        productCode: 'cowpea',
        certification: 'green',
        baseAddress: '温泉镇南平村三队',
        longitude: 113.5867,
        latitude: 23.5487,
        contactName: '李四',
        contactPhone: '13800138000',
        scale: 12.5,
        marketStart: day(30),
        marketEnd: day(50),
        productionMethod: 'open_field',
        traceMethods: ['certificate'],
        creditRating: 'A',
        gridWorkerName: '罗芳',
        gridWorkerPhone: '13900139000',
        collectorName: '钟叔',
        collectorPhone: '13700137000',
        geoSource: 'map',
        submit: true,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    const approved = await t.req(colleague, {
      method: 'POST',
      url: `/api/v1/origin/records/${id}/review`,
      payload: { action: 'approve' },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const added = await compareAll();
    // The new record is in every filter (cowpea, scale 12.5, on the market from day 30 to day 50), in both views.
    for (const [name] of API_FILTERS) expect(added[name], name).toEqual(before[name].map((n) => n + 1));

    // Scale out of [10, 37.5] and market months before the filters' periods: it leaves all but none and product.
    const edited = await t.req(token, {
      method: 'PATCH',
      url: `/api/v1/origin/records/${id}`,
      payload: { scale: 45, marketStart: day(-200), marketEnd: day(-150) },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const moved = await compareAll();
    for (const [name] of API_FILTERS)
      expect(moved[name], name).toEqual(name === 'none' || name === 'product' ? added[name] : before[name]);

    await sql`DELETE FROM origin_record WHERE id = ${id}`.execute(t.database.db);
    await repo.refreshCells(t.database.db, ['440117']);
    expect(await compareAll()).toEqual(before);
  });
});
