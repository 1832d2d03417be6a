import { type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { type Area, type LngLat, areaOf, randomPointIn, ringsOf } from './geo.js';
import { CELL_LEVELS } from './repo.js';

/**
 * Realistic origin records for the demo and the benchmarks. Townships have no coordinates in the division data, so
 * each township gets an anchor drawn at random inside its county's polygon (bundled boundaries); its records lie
 * within ~2 km of the anchor and inside the polygon. Deterministic for a given seed. Rows go in with `unnest`
 * arrays, 5,000 per statement.
 */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文玉兰福林海生荣春梅德华永成'];
/** Products and weights by province (Guangdong: bass, snakehead and cowpea country; Sichuan: pigs, leeks, celery). */
const MIX: Record<string, [string, number][]> = {
  '44': [
    ['cowpea', 18],
    ['bass', 16],
    ['snakehead', 8],
    ['pig', 18],
    ['black_chicken', 8],
    ['egg', 10],
    ['leek', 8],
    ['celery', 6],
    ['bream', 4],
    ['croaker', 2],
    ['beef_cattle', 2],
  ],
  '51': [
    ['pig', 30],
    ['leek', 12],
    ['celery', 12],
    ['cowpea', 10],
    ['egg', 10],
    ['beef_cattle', 6],
    ['mutton_sheep', 8],
    ['bream', 6],
    ['black_chicken', 4],
    ['snakehead', 2],
  ],
};
const DEFAULT_MIX: [string, number][] = [
  ['pig', 25],
  ['cowpea', 15],
  ['leek', 10],
  ['celery', 10],
  ['egg', 10],
  ['beef_cattle', 8],
  ['mutton_sheep', 8],
  ['bream', 6],
  ['bass', 4],
  ['snakehead', 4],
];
const SCALE: Record<string, [number, number]> = {
  cowpea: [0.5, 60],
  leek: [0.5, 40],
  celery: [0.5, 40],
  egg: [500, 50000],
  black_chicken: [1000, 30000],
  beef_cattle: [5, 300],
  mutton_sheep: [50, 1500],
  pig: [30, 5000],
  bass: [10, 300],
  snakehead: [10, 200],
  bream: [10, 300],
  croaker: [10, 500],
};
const CROP = new Set(['cowpea', 'leek', 'celery']);
/** Products whose scale is a number of animals (no fractions). */
export const ANIMALS = new Set(['egg', 'black_chicken', 'beef_cattle', 'mutton_sheep', 'pig']);
const TRACE: Record<string, string> = {
  crop: 'certificate,trace_code',
  livestock: 'ear_tag,quarantine,certificate',
  fish: 'certificate,package_label',
};
const pick = <T>(r: () => number, xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
function weighted(r: () => number, mix: [string, number][]) {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [k, w] of mix) if ((x -= w) < 0) return k;
  return mix[0][0];
}
const ymd = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The polygon edges that cross a horizontal band around a township's anchor: the even-odd test of a point in the
 * band only ever looks at those, so testing against them is exact and ~30× cheaper than against the whole county.
 */
function bandEdges(rings: LngLat[][], lat: number, half: number): Float64Array {
  const out: number[] = [];
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (Math.max(yi, yj) >= lat - half && Math.min(yi, yj) <= lat + half) out.push(xi, yi, xj, yj);
    }
  return Float64Array.from(out);
}
function insideEdges(e: Float64Array, p: LngLat): boolean {
  let inside = false;
  for (let k = 0; k < e.length; k += 4) {
    const xi = e[k],
      yi = e[k + 1],
      xj = e[k + 2],
      yj = e[k + 3];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export interface GenerateOptions {
  count: number;
  /** Division prefixes to spread over (e.g. ['44', '51']); townships of these with a county polygon are used. */
  within: string[];
  seed?: number;
  keyPrefix?: string;
  createdBy?: string | null;
  /** Share of records approved (on the map); default 0.85. */
  approvedShare?: number;
  onProgress?: (done: number) => void;
}

export async function generateRecords(
  db: Kysely<DB>,
  o: GenerateOptions,
): Promise<{ inserted: number; townships: number; counties: string[] }> {
  const r = rng(o.seed ?? 20261122);
  const towns = await db
    .selectFrom('division')
    .select(['code', 'name'])
    .where('level', '=', 4)
    .where((eb) => eb.or(o.within.map((w) => eb('code', 'like', `${w}%`))))
    .orderBy('code')
    .execute();
  const usable: { code: string; name: string; area: Area; anchor: LngLat; edges: Float64Array }[] = [];
  for (const t of towns) {
    const area = areaOf(t.code);
    if (!area || area.code.length !== 6 || !area.code.startsWith(t.code.slice(0, 6))) continue; // county polygon only
    const anchor = randomPointIn(area, r);
    usable.push({ ...t, area, anchor, edges: bandEdges(ringsOf(area), anchor[1], 0.021) });
  }
  if (!usable.length) throw new Error(`no township with a county polygon in ${o.within.join(',')}`);
  const prefix = o.keyPrefix ?? 'demo';
  const now = Date.now();
  const BATCH = 5000;
  let inserted = 0;
  const counties = new Set<string>();
  for (let start = 0; start < o.count; start += BATCH) {
    const n = Math.min(BATCH, o.count - start);
    const cols: Record<string, unknown[]> = {
      key: [],
      div: [],
      county: [],
      name: [],
      type: [],
      credit: [],
      product: [],
      cert: [],
      addr: [],
      lng: [],
      lat: [],
      contact: [],
      phone: [],
      scale: [],
      ms: [],
      me: [],
      method: [],
      trace: [],
      rating: [],
      gw: [],
      gwp: [],
      cn: [],
      cp: [],
      status: [],
      approved: [],
      collected: [],
    };
    for (let i = 0; i < n; i++) {
      const k = start + i;
      const t = usable[Math.floor(r() * usable.length)];
      counties.add(t.code.slice(0, 6));
      const product = weighted(r, MIX[t.code.slice(0, 2)] ?? DEFAULT_MIX);
      const [lo, hi] = SCALE[product];
      // Livestock and poultry are counted in whole animals (头/只/羽); crop and water areas in tenths of a mu.
      const raw = lo + (hi - lo) * r() ** 3;
      const scale = ANIMALS.has(product) ? Math.round(raw) : Math.round(raw * 10) / 10;
      let p: LngLat = [t.anchor[0] + (r() - 0.5) * 0.04, t.anchor[1] + (r() - 0.5) * 0.04];
      if (!insideEdges(t.edges, p)) p = [t.anchor[0] + (r() - 0.5) * 0.004, t.anchor[1] + (r() - 0.5) * 0.004];
      if (!insideEdges(t.edges, p)) p = t.anchor;
      const person = pick(r, SURNAMES) + pick(r, GIVEN) + (r() < 0.5 ? pick(r, GIVEN) : '');
      const typeRoll = r();
      const type =
        typeRoll < 0.55
          ? 'farmer'
          : typeRoll < 0.75
            ? 'family_farm'
            : typeRoll < 0.92
              ? 'cooperative'
              : typeRoll < 0.98
                ? 'enterprise'
                : 'broker';
      const town = t.name.replace(/(镇|乡|街道|地区办事处)$/, '');
      const kind = CROP.has(product)
        ? '种植'
        : ['bass', 'snakehead', 'bream', 'croaker'].includes(product)
          ? '水产养殖'
          : '养殖';
      const name =
        type === 'cooperative'
          ? `${town}${person}${kind}专业合作社`
          : type === 'enterprise'
            ? `${town}${pick(r, ['绿源', '丰华', '鑫农', '金穗', '康源', '田园'])}农业有限公司`
            : type === 'family_farm'
              ? `${person}家庭农场`
              : person;
      const collectedDaysAgo = Math.floor(r() * 60);
      const cycle = CROP.has(product) ? 90 + Math.floor(r() * 60) : 0;
      const start0 = new Date(now - collectedDaysAgo * 86400_000 + 30 * 86400_000);
      const roll = r();
      const status = roll < (o.approvedShare ?? 0.85) ? 'approved' : roll < 0.95 ? 'submitted' : 'returned';
      cols.key.push(`${prefix}-${k}`);
      cols.div.push(t.code);
      cols.county.push(t.code.slice(0, 6));
      cols.name.push(name);
      cols.type.push(type);
      cols.credit.push(
        type === 'cooperative' || type === 'enterprise'
          ? `93${t.code.slice(0, 6)}MA${String(k).padStart(8, '0')}`
          : null,
      );
      cols.product.push(product);
      cols.cert.push(r() < 0.8 ? 'none' : pick(r, ['green', 'organic', 'gi', 'gap']));
      cols.addr.push(
        `${t.name}${pick(r, ['东', '西', '南', '北', '新', '大', '上', '下'])}${pick(r, ['坑', '岭', '田', '塘', '湾', '坪', '坝', '桥'])}村${1 + Math.floor(r() * 12)}组`,
      );
      cols.lng.push(Math.round(p[0] * 1e6) / 1e6);
      cols.lat.push(Math.round(p[1] * 1e6) / 1e6);
      cols.contact.push(person);
      cols.phone.push(`1${pick(r, ['3', '5', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`);
      cols.scale.push(scale);
      cols.ms.push(ymd(start0));
      cols.me.push(ymd(new Date(start0.getTime() + (cycle || 365) * 86400_000)));
      cols.method.push(r() < 0.7 ? 'open_field' : 'facility');
      cols.trace.push(CROP.has(product) ? TRACE.crop : kind === '养殖' ? TRACE.livestock : TRACE.fish);
      cols.rating.push(pick(r, ['A', 'A', 'B', 'B', 'B', 'C', 'none', 'none']));
      cols.gw.push(`${pick(r, SURNAMES)}${pick(r, GIVEN)}`);
      cols.gwp.push(`13${String(Math.floor(r() * 1e9)).padStart(9, '0')}`);
      cols.cn.push(`${pick(r, SURNAMES)}${pick(r, GIVEN)}`);
      cols.cp.push(`15${String(Math.floor(r() * 1e9)).padStart(9, '0')}`);
      cols.status.push(status);
      cols.approved.push(status === 'approved' ? new Date(now - collectedDaysAgo * 86400_000).toISOString() : null);
      cols.collected.push(new Date(now - collectedDaysAgo * 86400_000).toISOString());
    }
    const a = (name: string, type: string) => sql`${sql.val(cols[name])}::${sql.raw(type)}[]`;
    await sql`
      INSERT INTO origin_record (record_key, division_code, county_code, subject_name, subject_type, credit_code, product_code, certification, base_address,
        longitude, latitude, geo_check, geo_source, contact_name, contact_phone, scale, market_start, market_end, production_method, trace_methods, credit_rating,
        grid_worker_name, grid_worker_phone, collector_name, collector_phone, status, approved_at, reviewed_at, collected_at, created_by)
      SELECT key, div, county, name, type, credit, product, cert, addr, lng, lat, 'inside', 'import', contact, phone, scale, ms::date, me::date, method,
             string_to_array(trace, ','), rating, gw, gwp, cn, cp, status, approved, approved, collected, ${o.createdBy ?? null}::uuid
      FROM unnest(${a('key', 'text')}, ${a('div', 'text')}, ${a('county', 'text')}, ${a('name', 'text')}, ${a('type', 'text')}, ${a('credit', 'text')},
                  ${a('product', 'text')}, ${a('cert', 'text')}, ${a('addr', 'text')}, ${a('lng', 'float8')}, ${a('lat', 'float8')}, ${a('contact', 'text')},
                  ${a('phone', 'text')}, ${a('scale', 'numeric')}, ${a('ms', 'text')}, ${a('me', 'text')}, ${a('method', 'text')}, ${a('trace', 'text')},
                  ${a('rating', 'text')}, ${a('gw', 'text')}, ${a('gwp', 'text')}, ${a('cn', 'text')}, ${a('cp', 'text')}, ${a('status', 'text')},
                  ${a('approved', 'timestamptz')}, ${a('collected', 'timestamptz')})
        AS u(key, div, county, name, type, credit, product, cert, addr, lng, lat, contact, phone, scale, ms, me, method, trace, rating, gw, gwp, cn, cp, status, approved, collected)
      ON CONFLICT (record_key) DO NOTHING`.execute(db);
    inserted += n;
    o.onProgress?.(inserted);
  }
  return { inserted, townships: usable.length, counties: [...counties] };
}

/** Rebuilds the whole grid rollup (after bulk generation). */
export async function rebuildAllCells(db: Kysely<DB>) {
  await sql`DELETE FROM origin_cell`.execute(db);
  for (const level of CELL_LEVELS) {
    await sql`
      INSERT INTO origin_cell (level, cx, cy, product_code, county_code, n, sum_lng, sum_lat, sum_scale)
      SELECT ${level}::smallint, floor(longitude / ${45 / 2 ** level}::float8)::int, floor(latitude / ${45 / 2 ** level}::float8)::int, product_code, county_code,
             count(*), sum(longitude), sum(latitude), sum(scale)::float8
      FROM origin_record WHERE approved_at IS NOT NULL AND longitude IS NOT NULL
      GROUP BY 2, 3, 4, 5`.execute(db);
  }
}

/**
 * Bulk load for the benchmarks (set-based, one `INSERT … SELECT … generate_series` per copy): each existing record
 * whose key starts with `keyPrefix-` is copied `copies` times, each copy moved by up to ~0.002° (~200 m, the township's spread stays), its scale varied
 * by ±30 % (whole animals stay whole) and its market period shifted by −30..+30 days. Deterministic (hash of the key).
 * The statement triggers keep `origin_cell_band` current as for any insert; call `rebuildAllCells` after it.
 */
export async function replicateRecords(
  db: Kysely<DB>,
  o: { copies: number; keyPrefix: string; onProgress?: (copy: number) => void },
) {
  const { copies, keyPrefix, onProgress } = o;
  const animals = sql.val([...ANIMALS]);
  for (let g = 1; g <= copies; g++) {
    const u = (salt: string) => sql`((hashtext(record_key || ${`~${g}${salt}`}) & 65535) / 65536.0)`;
    await sql`
      INSERT INTO origin_record (record_key, division_code, county_code, subject_name, subject_type, credit_code,
        product_code, certification, base_address, longitude, latitude, geo_check, geo_source, contact_name,
        contact_phone, scale, market_start, market_end, production_method, trace_methods, credit_rating,
        grid_worker_name, grid_worker_phone, collector_name, collector_phone, status, approved_at, reviewed_at,
        collected_at, created_by)
      SELECT record_key || ${`~${g}`}, division_code, county_code, subject_name, subject_type, credit_code, product_code,
        certification, base_address, least(135.9, greatest(73.1, longitude + (${u('x')} - 0.5) * 0.004)),
        least(53.9, greatest(3.1, latitude + (${u('y')} - 0.5) * 0.004)), geo_check, geo_source, contact_name,
        contact_phone,
        CASE WHEN product_code = ANY(${animals}::text[]) THEN round(scale * (0.7 + 0.6 * ${u('s')}))
             ELSE round(scale * (0.7 + 0.6 * ${u('s')}), 1) END,
        market_start + (${u('m')} * 60)::int - 30, market_end + (${u('m')} * 60)::int - 30, production_method,
        trace_methods, credit_rating, grid_worker_name, grid_worker_phone, collector_name, collector_phone, status,
        approved_at, reviewed_at, collected_at, created_by
      FROM origin_record WHERE record_key LIKE ${`${keyPrefix}-%`} AND record_key NOT LIKE '%~%'`.execute(db);
    onProgress?.(g);
  }
}
