/**
 * Risk-based sampling (issue 18): replays generated sampling history with a known ground truth and reports failures
 * found per sample for risk-weighted draws against uniform ones (a figure, not a timing).
 *
 * World: 6 products × 40 counties (in 8 cities) × 4 seasons; each cell has a true failure rate (mostly 0.5–3%, a
 * few hot cells 10–30%, and seasonal swings); 30 producers per county. History: three years of uniform sampling at
 * 3 samples per cell-season-year (sparse, as in practice). Each round draws 600 producer-samples for one season by
 *   - uniform: every producer equally likely;
 *   - raw: weight = the cell's raw historic failure rate (+ a small floor);
 *   - shrunk: weight = the cell's rate shrunk toward its city's (shrinkRates, the module's estimator);
 * and counts failures using the true rates. 25 rounds with different seeds; median and range per strategy.
 */
import { SeededRandom, weightedDraw } from '../src/modules/randomchecks/draw.js';
import { type Cell, SEASONS, shrinkRates } from '../src/modules/risksampling/risk.js';

const PRODUCTS = ['豇豆', '韭菜', '芹菜', '鸡蛋', '生猪', '大黄鱼'];
const CITIES = 8;
const COUNTIES_PER_CITY = 5;
const PRODUCERS = 30;
const SAMPLES = 600;
const ROUNDS = 25;

function world(seed: string) {
  const rng = new SeededRandom(seed);
  const u = () => (rng.below(1_000_000) + 0.5) / 1_000_000;
  const truth = new Map<string, number>();
  const cityHot = new Map<string, number>();
  for (const p of PRODUCTS) for (let c = 0; c < CITIES; c++) cityHot.set(`${p}|${c}`, u() < 0.15 ? 3 + 4 * u() : 1);
  for (const p of PRODUCTS)
    for (let c = 0; c < CITIES; c++)
      for (let k = 0; k < COUNTIES_PER_CITY; k++)
        for (const [si, s] of SEASONS.entries()) {
          let r = 0.005 + 0.025 * u();
          r *= cityHot.get(`${p}|${c}`) ?? 1;
          if (u() < 0.04) r = 0.1 + 0.2 * u(); // a hot cell
          if (si === 1 && (p === '豇豆' || p === '韭菜')) r *= 1.8; // summer pests
          truth.set(`${p}|${c}-${k}|${s}`, Math.min(r, 0.6));
        }
  return { truth, u };
}

function history(truth: Map<string, number>, u: () => number): Cell[] {
  const cells: Cell[] = [];
  for (const [key, rate] of truth) {
    const [product, region, season] = key.split('|');
    let failed = 0;
    const samples = 9; // 3 a year for three years
    for (let i = 0; i < samples; i++) if (u() < rate) failed++;
    cells.push({ product, region, parent: region.split('-')[0], season: season as Cell['season'], samples, failed });
  }
  return cells;
}

function round(seed: string) {
  const { truth, u } = world(`world-${seed}`);
  const cells = history(truth, u);
  const rated = new Map(shrinkRates(cells).map((c) => [`${c.product}|${c.region}|${c.season}`, c]));
  const season = SEASONS[Number(seed) % 4];
  const producers: { cell: string }[] = [];
  for (const key of truth.keys())
    if (key.endsWith(`|${season}`)) for (let i = 0; i < PRODUCERS; i++) producers.push({ cell: key });
  const found = (picked: { cell: string }[], s: string) => {
    const rng = new SeededRandom(`outcome-${s}`);
    return picked.filter((p) => rng.below(1_000_000) / 1_000_000 < (truth.get(p.cell) ?? 0)).length / picked.length;
  };
  const uniform = weightedDraw(producers, () => 1, SAMPLES, `u-${seed}`);
  const raw = weightedDraw(producers, (p) => (rated.get(p.cell)?.raw ?? 0) + 0.005, SAMPLES, `r-${seed}`);
  const shrunk = weightedDraw(producers, (p) => rated.get(p.cell)?.rate ?? 0.01, SAMPLES, `s-${seed}`);
  const truthMean =
    [...truth.entries()].filter(([k]) => k.endsWith(`|${season}`)).reduce((a, [, r]) => a + r, 0) / (truth.size / 4);
  return { uniform: found(uniform, seed), raw: found(raw, seed), shrunk: found(shrunk, seed), truthMean };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const range = (xs: number[]) => `${Math.min(...xs).toFixed(4)}–${Math.max(...xs).toFixed(4)}`;

export default async function risksampling() {
  const rs = Array.from({ length: ROUNDS }, (_, i) => round(String(i)));
  const col = (k: 'uniform' | 'raw' | 'shrunk') => rs.map((r) => r[k]);
  const ratio = rs.map((r) => r.shrunk / Math.max(r.uniform, 1e-9));
  return {
    'rounds × samples per round': `${ROUNDS} × ${SAMPLES}`,
    'failures per sample, uniform (median)': median(col('uniform')),
    'failures per sample, uniform (range)': range(col('uniform')),
    'failures per sample, raw-rate weighted (median)': median(col('raw')),
    'failures per sample, raw-rate weighted (range)': range(col('raw')),
    'failures per sample, shrunk-rate weighted (median)': median(col('shrunk')),
    'failures per sample, shrunk-rate weighted (range)': range(col('shrunk')),
    'shrunk ÷ uniform (median)': median(ratio),
    'shrunk ÷ uniform (range)': range(ratio),
  };
}
