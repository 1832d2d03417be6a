/**
 * Risk-based sampling (风险分级抽检), pure: failure rates by product × region × season shrunk toward the parent
 * region's rate (which is itself shrunk toward the product's overall rate), so a cell with three samples and one
 * failure is not taken for a 33% hot spot; quotas in proportion to risk. The seeded weighted draw without replacement
 * is the double-random draw's own (randomchecks/draw.ts `pickWeighted`, algorithm `sha256-ctr/es-weighted/v1`).
 */
export const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;
export type Season = (typeof SEASONS)[number];
export const SEASON_LABELS: Record<Season, { zh: string; en: string }> = {
  spring: { zh: '春季', en: 'spring' },
  summer: { zh: '夏季', en: 'summer' },
  autumn: { zh: '秋季', en: 'autumn' },
  winter: { zh: '冬季', en: 'winter' },
};
/** Season of a month (1–12): spring 3–5, summer 6–8, autumn 9–11, winter 12–2. */
export const seasonOf = (month: number): Season => SEASONS[Math.floor(((month + 9) % 12) / 3)];

export interface Cell {
  product: string;
  region: string;
  parent: string;
  season: Season;
  samples: number;
  failed: number;
}
export interface RatedCell extends Cell {
  raw: number | null;
  rate: number;
  parentRate: number;
}

/**
 * Empirical-Bayes shrinkage with prior strength `k` (pseudo-samples): product rate p0 (with a floor prior), parent
 * rate (failed + k·p0)/(samples + k) over the parent's cells of the product and season, cell rate likewise toward
 * its parent's rate.
 */
export function shrinkRates(cells: readonly Cell[], k = 20, floor = 0.01): RatedCell[] {
  const sum = (xs: readonly Cell[]) => xs.reduce((a, c) => ({ s: a.s + c.samples, f: a.f + c.failed }), { s: 0, f: 0 });
  const byProduct = new Map<string, Cell[]>();
  const byParent = new Map<string, Cell[]>();
  for (const c of cells) {
    byProduct.set(c.product, [...(byProduct.get(c.product) ?? []), c]);
    const key = `${c.product}|${c.parent}|${c.season}`;
    byParent.set(key, [...(byParent.get(key) ?? []), c]);
  }
  const productRate = new Map(
    [...byProduct].map(([p, xs]) => {
      const t = sum(xs);
      return [p, (t.f + k * floor) / (t.s + k)];
    }),
  );
  return cells.map((c) => {
    const p0 = productRate.get(c.product) ?? floor;
    const par = sum(byParent.get(`${c.product}|${c.parent}|${c.season}`) ?? []);
    const parentRate = (par.f + k * p0) / (par.s + k);
    return {
      ...c,
      raw: c.samples ? c.failed / c.samples : null,
      rate: (c.failed + k * parentRate) / (c.samples + k),
      parentRate,
    };
  });
}

/** `total` split over regions in proportion to weight (largest remainders), each region at least `min`. */
export function allocateQuotas(regions: readonly { code: string; weight: number }[], total: number, min = 1) {
  if (!regions.length) return [];
  const base = Math.min(min, Math.floor(total / regions.length));
  const rest = total - base * regions.length;
  const sumW = regions.reduce((a, r) => a + Math.max(r.weight, 0), 0) || regions.length;
  const exact = regions.map((r) => (rest * (sumW === regions.length && !r.weight ? 1 : Math.max(r.weight, 0))) / sumW);
  const out = exact.map((x) => Math.floor(x));
  let left = rest - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac);
  for (const o of order) {
    if (left <= 0) break;
    out[o.i]++;
    left--;
  }
  return regions.map((r, i) => ({ code: r.code, quota: base + out[i] }));
}
