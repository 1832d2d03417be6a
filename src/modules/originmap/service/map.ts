import { assertInScope, childLength, divisionLevel, inScope, isAtOrBelow } from '../../../kernel/auth/scope.js';
import { chinaDate } from '../../../kernel/calendar.js';
import type { Ctx } from '../../../kernel/context.js';
import { problems } from '../../../kernel/problems.js';
import * as regions from '../../regions/service.js';
import { areaOf, boundariesOf } from '../geo.js';
import * as repo from '../repo.js';
import { type Deadlines, type FilterQuery, type MapAnswer, type MapQuery, PRODUCT_LABELS } from '../schemas.js';
import { CORRECTION_DAYS, REVIEW_DAYS, filterOf } from './records.js';

/** "一张图": clustered points and boundaries; the summary charts. */

/** Points are sent one by one below this many in the viewport (and at level > 10). */
const POINT_LIMIT = 500;

/**
 * Grid clustering. The level (cell = 45/2^level degrees) is the smaller of the client's zoom and the level at which
 * the viewport is about 48 cells wide, so the work is bounded whatever the client asks. Filters the rollup can
 * answer (product, division down to county, jurisdiction down to county, on-map records) read `origin_cell`; with a
 * scale or market-period filter over all China or a province, `origin_cell_band` (`repo.clustersFromBands`, the same
 * answer as the records give); others (status, text, township, deeper divisions with those filters) group the records.
 */
const scaleEdges = [...repo.SCALE_BAND_EDGES];

export async function queryMap(ctx: Ctx, q: MapQuery): Promise<MapAnswer> {
  if (q.west >= q.east) throw problems.invalid('east', '须大于 west', 'must be greater than west');
  if (q.south >= q.north) throw problems.invalid('north', '须大于 south', 'must be greater than south');
  const width = Math.max(q.east - q.west, (q.north - q.south) * 1.5);
  const byViewport = Math.max(3, Math.floor(Math.log2((45 * 48) / width)));
  const level = Math.min(q.zoom ?? byViewport, byViewport);
  const f = filterOf(ctx, q, q.status ? undefined : true);
  const scope = ctx.actor.scope;
  // The deeper of the asked division and the caller's jurisdiction (nothing when they do not meet).
  const within = q.within && divisionLevel(q.within) > divisionLevel(scope) ? q.within : scope;
  if (q.within && !inScope(scope, q.within) && !inScope(q.within, scope))
    return { level, cellDeg: repo.cellDeg(level), source: 'none', scaleEdges, clusters: [], points: [], total: 0 };
  // Filters no rollup answers: status, text, own records, overdue, awaiting a visit, and townships.
  const rollups =
    level <= 10 && !f.status?.length && !q.q && !q.mine && q.overdue === undefined && q.sitePending === undefined;
  const banded = q.minScale !== undefined || q.maxScale !== undefined || !!q.marketFrom || !!q.marketTo;
  let clusters: repo.ClusterRow[];
  let source: 'cells' | 'bands' | 'records';
  if (level > 10) {
    clusters = [];
    source = 'records';
  } else if (rollups && !banded && !isAtOrBelow(within, 'township')) {
    clusters = await repo.clustersFromCells(ctx.db, level, q, within, f.products);
    source = 'cells';
  } else if (rollups && banded && within.length <= 2) {
    // Scale and market-period filters over all China or a province: the band rollup (below a province the records
    // in view are few enough to group directly).
    clusters = await repo.clustersFromBands(ctx.db, level, q, within, f);
    source = 'bands';
  } else {
    clusters = await repo.clustersFromRecords(ctx.db, level, q, f);
    source = 'records';
  }
  const total = clusters.reduce((s, c) => s + c.n, 0);
  let points: Awaited<ReturnType<typeof repo.pointsIn>> = [];
  if (level > 10 || total <= POINT_LIMIT) points = await repo.pointsIn(ctx.db, q, f, POINT_LIMIT + 1);
  return {
    level,
    cellDeg: repo.cellDeg(level),
    source,
    scaleEdges,
    total: level > 10 ? points.length : total,
    truncated: points.length > POINT_LIMIT,
    clusters: points.length
      ? []
      : clusters.map((c) => ({ lng: Number(c.lng), lat: Number(c.lat), count: Number(c.n), scale: Number(c.scale) })),
    points: points.slice(0, POINT_LIMIT).flatMap((p) =>
      p.longitude === null || p.latitude === null
        ? []
        : [
            {
              id: p.id,
              lng: p.longitude,
              lat: p.latitude,
              subjectName: p.subject_name,
              productCode: p.product_code,
              productName: PRODUCT_LABELS[p.product_code].zh,
              productNameEn: PRODUCT_LABELS[p.product_code].en,
              scale: Number(p.scale),
              unit: p.unit,
              status: p.status,
            },
          ],
    ),
  };
}

export function boundaries(_ctx: Ctx, code: string) {
  const fc = boundariesOf(code);
  if (!fc) throw problems.notFound(`区划 ${code} 的边界数据`, `Boundary data of ${code}`);
  return fc;
}

/**
 * The centre [lng, lat] of a division in the bundled boundaries (the data set's label point; below county level,
 * the county's), or null when the data has no area for it. Used by the dashboard's flow map.
 */
export function centreOf(code: string): [number, number] | null {
  const a = code ? areaOf(code) : null;
  return a ? [a.cp[0], a.cp[1]] : null;
}

/** Counts and scale by child division and product, for the summary charts. */
export async function summarise(ctx: Ctx, q: FilterQuery) {
  const scope = ctx.actor.scope;
  const base = q.within && divisionLevel(q.within) >= divisionLevel(scope) ? q.within : scope;
  const rows = await repo.summary(ctx.db, filterOf(ctx, q), childLength(base) ?? base.length);
  const names = await regions.namesOf(ctx, [...new Set(rows.map((r) => r.code))]);
  return {
    within: base,
    rows: rows.map((r) => ({
      divisionCode: r.code,
      divisionName: names.get(r.code) ?? r.code,
      productCode: r.product_code,
      productName: PRODUCT_LABELS[r.product_code].zh,
      productNameEn: PRODUCT_LABELS[r.product_code].en,
      count: Number(r.n),
      scale: Number(r.scale),
    })),
  };
}

/** Review and correction deadlines and overdue work per township (the "一张表" statistics of 六(三)). */
export async function deadlines(ctx: Ctx, within: string | undefined): Promise<Deadlines> {
  const scope = ctx.actor.scope;
  if (within) assertInScope(scope, within, '行政区划', 'within');
  const rows = await repo.deadlinesByTown(ctx.db, scope, within);
  const names = await regions.namesOf(
    ctx,
    rows.map((r) => r.code),
  );
  return {
    within: within ?? scope,
    today: chinaDate(),
    reviewDays: REVIEW_DAYS,
    correctionDays: CORRECTION_DAYS,
    rows: rows.map((r) => ({
      divisionCode: r.code,
      divisionName: names.get(r.code) ?? r.code,
      submitted: r.submitted,
      reviewsOverdue: r.reviews_overdue,
      returned: r.returned,
      correctionsOverdue: r.corrections_overdue,
      correctedLate: r.corrected_late,
      sitePending: r.site_pending,
      recollectOverdue: r.recollect_overdue,
    })),
  };
}
