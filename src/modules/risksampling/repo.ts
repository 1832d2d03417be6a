import { type Kysely, sql } from 'kysely';
import { likePrefix } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';

/**
 * Read-only aggregates over the monitoring module's sampling sheets and the producers' catalogue (risksampling owns
 * no table). Every query is limited to an area by division prefix.
 */

/** Tested samples and failures by product × region (first `len` digits) × calendar month (China time), since `since`. */
export async function history(db: Kysely<DB>, area: string, len: number, since: Date) {
  const res = await sql<{ product: string; region: string; month: number; samples: string; failed: string }>`
    SELECT t.product_name AS product, left(t.division_code, ${len}) AS region,
      extract(month FROM t.sampled_at AT TIME ZONE 'Asia/Shanghai')::int AS month,
      count(*) AS samples, count(*) FILTER (WHERE t.status = 'failed') AS failed
    FROM sampling_sheet t
    WHERE t.status IN ('passed', 'failed') AND t.sampled_at >= ${since} AND t.division_code LIKE ${likePrefix(area)}
    GROUP BY 1, 2, 3`.execute(db);
  return res.rows.map((r) => ({ ...r, month: Number(r.month), samples: Number(r.samples), failed: Number(r.failed) }));
}

/** Each subject's division and the names of its catalogue products (one row per product; product null if none). */
export async function subjectProducts(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return [];
  const res = await sql<{ id: string; division_code: string; product: string | null }>`
    SELECT s.id, s.division_code, p.name AS product
    FROM subject s LEFT JOIN product p ON p.subject_id = s.id
    WHERE s.id = ANY(${[...ids]}::uuid[])`.execute(db);
  return res.rows;
}

/** Approved producers of the area by region (first `len` digits) and product name (null: no product listed). */
export async function producersByRegion(db: Kysely<DB>, area: string, len: number) {
  const res = await sql<{ region: string; product: string | null; producers: string }>`
    SELECT left(s.division_code, ${len}) AS region, p.name AS product, count(DISTINCT s.id) AS producers
    FROM subject s LEFT JOIN product p ON p.subject_id = s.id
    WHERE s.status IN ('approved', 'change_pending') AND s.division_code LIKE ${likePrefix(area)}
      AND length(s.division_code) >= ${len}
    GROUP BY 1, 2`.execute(db);
  return res.rows.map((r) => ({ ...r, producers: Number(r.producers) }));
}
