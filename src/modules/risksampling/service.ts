import { childLength, countyOf, inScope, parentCode, provinceOf } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import {
  type Cell,
  type RatedCell,
  SEASON_LABELS,
  type Season,
  allocateQuotas,
  seasonOf,
  shrinkRates,
} from './risk.js';
import type { QuotaQuery, QuotaSuggestion } from './schemas.js';

/**
 * Risk-based sampling (风险分级抽检, issue 18 item 5) over the platform's own sampling history: tested samples of the
 * last three years, by product × region × season, shrunk toward the parent region's rate (risk.ts). It steers the
 * double-random draws (weights per producer, `subjectRisks`) and splits monitoring quotas (`suggestQuotas`).
 * History is read for the area's province (the whole country for a national area) so that the parent and product
 * rates have data; only aggregate counts leave this module.
 */
export const PRIOR_K = 20;
const HISTORY_DAYS = 3 * 365;
const DAY = 86_400_000;
const CHINA = 8 * 3600_000;
const chinaDay = (d: Date) => new Date(d.getTime() + CHINA).toISOString().slice(0, 10);
/** The season of a moment, China time. */
export const seasonAt = (d: Date): Season => seasonOf(new Date(d.getTime() + CHINA).getUTCMonth() + 1);
/** All products together: the rate used for a producer that lists no product. */
const ANY = '*';

interface Estimates {
  season: Season;
  historyFrom: string;
  historyTo: string;
  rate: (product: string, region: string) => RatedCell;
}

/**
 * Shrunk rates of `season` for cells at `len` digits in `area`'s history, including the asked `wanted` cells
 * (product, region) that have no history (they take their parent's rate).
 */
async function estimates(
  ctx: Ctx,
  area: string,
  len: number,
  season: Season,
  wanted: readonly { product: string; region: string }[],
): Promise<Estimates> {
  const now = new Date();
  const since = new Date(now.getTime() - HISTORY_DAYS * DAY);
  const rows = await repo.history(ctx.db, area, len, since);
  const cells = new Map<string, Cell>();
  const add = (product: string, region: string, s: Season, samples: number, failed: number) => {
    const key = `${product}|${region}|${s}`;
    const c = cells.get(key) ?? { product, region, parent: parentCode(region) ?? '', season: s, samples: 0, failed: 0 };
    c.samples += samples;
    c.failed += failed;
    cells.set(key, c);
  };
  for (const r of rows) {
    add(r.product, r.region, seasonOf(r.month), r.samples, r.failed);
    add(ANY, r.region, seasonOf(r.month), r.samples, r.failed);
  }
  for (const w of wanted) add(w.product, w.region, season, 0, 0);
  const rated = new Map(
    shrinkRates([...cells.values()], PRIOR_K).map((c) => [`${c.product}|${c.region}|${c.season}`, c]),
  );
  return {
    season,
    historyFrom: chinaDay(since),
    historyTo: chinaDay(now),
    rate: (product, region) => {
      const c = rated.get(`${product}|${region}|${season}`);
      if (!c) throw new Error(`no estimate for ${product} ${region}`);
      return c;
    },
  };
}

/** Weights are stored with a draw and re-used to re-run it: rounded so the stored value is the value used. */
const roundWeight = (x: number) => Math.max(Math.round(x * 1e6) / 1e6, 1e-6);

export interface SubjectRisks {
  season: Season;
  historyFrom: string;
  historyTo: string;
  k: number;
  /** Aligned with the asked ids: the weight (shrunk failure rate of the producer's riskiest product) and its basis. */
  weights: number[];
  basis: { product: string | null; region: string; samples: number; failed: number }[];
}

/**
 * The risk weight of each producer for a draw in `area`: the highest shrunk failure rate among its catalogue products
 * in its county this season (the all-products rate of its county when it lists none).
 */
export async function subjectRisks(
  ctx: Ctx,
  ids: readonly string[],
  area: string,
  at = new Date(),
): Promise<SubjectRisks> {
  const rows = await repo.subjectProducts(ctx.db, ids);
  const bySubject = new Map<string, { region: string; products: string[] }>();
  for (const r of rows) {
    const s = bySubject.get(r.id) ?? { region: countyOf(r.division_code) ?? r.division_code, products: [] };
    if (r.product) s.products.push(r.product);
    bySubject.set(r.id, s);
  }
  const subjects = ids.map((id) => bySubject.get(id) ?? { region: '', products: [] });
  const wanted = subjects.flatMap((s) =>
    s.products.length
      ? s.products.map((product) => ({ product, region: s.region }))
      : [{ product: ANY, region: s.region }],
  );
  const est = await estimates(ctx, provinceOf(area) ?? '', 6, seasonAt(at), wanted);
  const weights: number[] = [];
  const basis: SubjectRisks['basis'] = [];
  for (const s of subjects) {
    const cands = s.products.length ? [...new Set(s.products)] : [ANY];
    const best = cands.map((p) => est.rate(p, s.region)).reduce((a, b) => (b.rate > a.rate ? b : a));
    weights.push(roundWeight(best.rate));
    basis.push({
      product: best.product === ANY ? null : best.product,
      region: s.region,
      samples: best.samples,
      failed: best.failed,
    });
  }
  return { season: est.season, historyFrom: est.historyFrom, historyTo: est.historyTo, k: PRIOR_K, weights, basis };
}

const pct = (x: number) => Math.round(x * 10000) / 100;

/**
 * A monitoring sample quota split across the area's child regions × products in proportion to the shrunk failure
 * rate of each cell this season (largest remainders; every cell at least one sample while the total allows). The
 * cells: the asked products (or the 20 most sampled in the area) in every child region with producers or history.
 */
export async function suggestQuotas(ctx: Ctx, q: QuotaQuery): Promise<QuotaSuggestion> {
  const within = q.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, within)) throw problems.outOfJurisdiction('分配范围', 'quota area');
  if (q.within) await regions.assertExists(ctx, within, 'within');
  const len = within.length >= 9 ? within.length : (childLength(within) ?? within.length);
  const season = q.season ?? seasonAt(new Date());
  const since = new Date(Date.now() - HISTORY_DAYS * DAY);
  const [hist, producers] = await Promise.all([
    repo.history(ctx.db, within, len, since),
    repo.producersByRegion(ctx.db, within, len),
  ]);
  const sampled = new Map<string, number>();
  for (const h of hist) sampled.set(h.product, (sampled.get(h.product) ?? 0) + h.samples);
  const products =
    q.products?.map((p) => p.trim()).filter(Boolean) ??
    [...sampled.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 20)
      .map(([p]) => p);
  if (!products.length)
    throw problems.invalid(
      'products',
      '辖区内没有抽检记录，请指定产品',
      'no sampling history in the area: name the products',
    );
  const regionCodes = [...new Set([...hist.map((h) => h.region), ...producers.map((p) => p.region)])]
    .filter((r) => r.length === len)
    .sort();
  if (!regionCodes.length)
    throw problems.invalid(
      'within',
      '该地区没有生产经营主体或抽检记录',
      'the area has no producers and no sampling history',
    );
  const cells = regionCodes.flatMap((region) => products.map((product) => ({ product, region })));
  const est = await estimates(ctx, within.length >= 2 ? (provinceOf(within) ?? '') : '', len, season, cells);
  const rated = cells.map((c) => est.rate(c.product, c.region));
  const quotas = allocateQuotas(
    rated.map((c, i) => ({ code: String(i), weight: c.rate })),
    q.total,
  );
  const names = await regions.namesOf(ctx, [within, ...regionCodes]);
  const count = new Map(producers.map((p) => [`${p.region}|${p.product}`, p.producers]));
  return {
    divisionCode: within,
    divisionName: names.get(within) ?? (within === '' ? '全国' : within),
    season,
    seasonLabel: SEASON_LABELS[season],
    total: q.total,
    k: PRIOR_K,
    historyFrom: est.historyFrom,
    historyTo: est.historyTo,
    rows: rated
      .map((c, i) => ({
        region: c.region,
        regionName: names.get(c.region) ?? c.region,
        product: c.product,
        producers: count.get(`${c.region}|${c.product}`) ?? 0,
        samples: c.samples,
        failed: c.failed,
        rawRate: c.raw == null ? null : pct(c.raw),
        rate: pct(c.rate),
        quota: quotas[i].quota,
      }))
      .sort((a, b) => b.quota - a.quota || b.rate - a.rate || a.region.localeCompare(b.region)),
  };
}
