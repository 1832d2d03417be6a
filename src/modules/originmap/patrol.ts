import { type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { FLAG_KINDS } from './reference.js';

/**
 * Frequency and quality patrol (seed 004 五(四) 采集频次, 六(四) 建立长效机制): one pass over the records in SQL.
 *  - stale: not re-collected within the product's cycle (crops: a planting cycle, default 120 days; livestock and
 *    aquatic: monthly, 31 days; overridable per division like the thresholds);
 *  - incomplete: a required field is empty, or a draft/returned record was left for more than 7 days;
 *  - far: the point lies outside the polygon of its county (geo_check near/far, set when the point was written);
 *  - scale: above the product's plausible maximum for one base, or below the threshold in force now;
 *  - duplicate: another record with the same product, subject (credit code, else name), township and point (to ~10 m).
 * New flags are inserted, open flags whose condition no longer holds are resolved automatically, and each collector
 * and each county gets one notification listing its new flags. Returns counts.
 */
export async function runPatrol(db: Kysely<DB>): Promise<{ opened: number; autoResolved: number; notifications: number; open: number }> {
  return db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP TABLE origin_patrol_hit (record_id uuid, kind text, detail text, division_code text) ON COMMIT DROP`.execute(trx);
    await sql`
      WITH eff AS (
        SELECT r.id, r.division_code, r.status, r.scale, r.updated_at, r.collected_at, r.geo_check, r.longitude, r.market_start, r.market_end, r.trace_methods,
               r.grid_worker_name, r.collector_name, p.name AS product_name, p.max_plausible, p.unit,
               COALESCE((SELECT t.cycle_days FROM origin_threshold t WHERE t.product_code = r.product_code AND t.cycle_days IS NOT NULL
                           AND r.division_code LIKE t.division_code || '%' ORDER BY length(t.division_code) DESC LIMIT 1), p.cycle_days) AS cycle_days,
               COALESCE((SELECT t.threshold FROM origin_threshold t WHERE t.product_code = r.product_code
                           AND r.division_code LIKE t.division_code || '%' ORDER BY length(t.division_code) DESC LIMIT 1), p.threshold) AS threshold,
               p.facility_threshold, r.production_method, p.industry
        FROM origin_record r JOIN origin_product p ON p.code = r.product_code
      )
      INSERT INTO origin_patrol_hit (record_id, kind, detail, division_code)
      SELECT id, 'stale', '上次采集于 ' || to_char(collected_at, 'YYYY-MM-DD') || '，已超过 ' || cycle_days || ' 天未更新', division_code
        FROM eff WHERE status <> 'draft' AND collected_at < now() - make_interval(days => cycle_days)
      UNION ALL
      SELECT id, 'incomplete',
             CASE WHEN longitude IS NULL OR market_start IS NULL OR market_end IS NULL OR cardinality(trace_methods) = 0 OR grid_worker_name IS NULL OR collector_name IS NULL
                  THEN '缺少必填信息（经纬度、上下市时间、追溯方式、网格员或采集员）' ELSE '草稿或退回记录超过 7 天未提交' END, division_code
        FROM eff WHERE longitude IS NULL OR market_start IS NULL OR market_end IS NULL OR cardinality(trace_methods) = 0 OR grid_worker_name IS NULL OR collector_name IS NULL
                    OR (status IN ('draft', 'returned') AND updated_at < now() - interval '7 days')
      UNION ALL
      SELECT id, 'far', '点位不在所属区县边界内，请现场核对经纬度', division_code FROM eff WHERE geo_check IN ('near', 'far')
      UNION ALL
      SELECT id, 'scale',
             CASE WHEN scale > max_plausible THEN '规模 ' || scale || ' 超过单个基地的合理上限 ' || max_plausible
                  ELSE '规模 ' || scale || ' 低于现行采集标准 ' || threshold END, division_code
        FROM eff WHERE scale > max_plausible
                    OR scale < CASE WHEN industry = 'fishery' AND production_method = 'facility' AND facility_threshold IS NOT NULL THEN facility_threshold ELSE threshold END
      UNION ALL
      SELECT id, 'duplicate', '与其他 ' || (n - 1) || ' 条记录的主体、品种、乡镇和点位相同', division_code FROM (
        SELECT id, division_code, count(*) OVER (PARTITION BY product_code, COALESCE(credit_code, subject_name), division_code, round(longitude::numeric, 4), round(latitude::numeric, 4)) AS n
        FROM origin_record WHERE longitude IS NOT NULL) d WHERE n > 1`.execute(trx);
    const resolved = await sql`
      UPDATE origin_flag f SET status = 'resolved', resolved_at = now(), resolution = '已自动解除：巡查时问题已不存在'
      WHERE f.status = 'open' AND NOT EXISTS (SELECT 1 FROM origin_patrol_hit h WHERE h.record_id = f.record_id AND h.kind = f.kind)`.execute(trx);
    const opened = await sql<{ id: string; record_id: string; kind: string; division_code: string }>`
      INSERT INTO origin_flag (record_id, kind, detail, division_code)
      SELECT record_id, kind, detail, division_code FROM origin_patrol_hit
      ON CONFLICT (record_id, kind) WHERE status = 'open' DO NOTHING
      RETURNING id, record_id, kind, division_code`.execute(trx);
    let notifications = 0;
    if (opened.rows.length) {
      const kindsText = (rows: { kind: string }[]) => {
        const by = new Map<string, number>();
        for (const r of rows) by.set(r.kind, (by.get(r.kind) ?? 0) + 1);
        return [...by].map(([k, n]) => `${FLAG_KINDS[k as keyof typeof FLAG_KINDS][0]} ${n} 条`).join('，');
      };
      // The collector: whoever created each record.
      const owners = await sql<{ created_by: string | null; kind: string }>`
        SELECT r.created_by, f.kind FROM origin_flag f JOIN origin_record r ON r.id = f.record_id WHERE f.id = ANY(${sql.val(opened.rows.map((r) => r.id))}::uuid[])`.execute(trx);
      const byOwner = new Map<string, { kind: string }[]>();
      for (const o of owners.rows) if (o.created_by) byOwner.set(o.created_by, [...(byOwner.get(o.created_by) ?? []), o]);
      const byCounty = new Map<string, { kind: string }[]>();
      for (const o of opened.rows) byCounty.set(o.division_code.slice(0, 6), [...(byCounty.get(o.division_code.slice(0, 6)) ?? []), o]);
      const values = [
        ...[...byOwner].map(([account, rows]) => ({ account_id: account, division_code: null, title: `您采集的记录有 ${rows.length} 条需要处理`, body: `${kindsText(rows)}。请在“巡查提示”中查看并修改。`, flag_count: rows.length })),
        ...[...byCounty].map(([county, rows]) => ({ account_id: null, division_code: county, title: `本县新增 ${rows.length} 条巡查提示`, body: `${kindsText(rows)}。请督促信息采集员及时修改（限期内未修改的纳入绩效考核）。`, flag_count: rows.length })),
      ];
      await trx.insertInto('origin_notification').values(values).execute();
      notifications = values.length;
    }
    const open = await trx.selectFrom('origin_flag').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
    return { opened: opened.rows.length, autoResolved: Number(resolved.numAffectedRows ?? 0), notifications, open: Number(open.n) };
  });
}
