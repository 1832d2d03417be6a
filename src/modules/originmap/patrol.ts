import { type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { countyOf } from '../../kernel/auth/scope.js';
import { yieldToRequests } from '../../kernel/jobs.js';
import { nextDueSql, todaySql } from './repo.js';
import { noticeRecords } from './service/notices.js';
import { FLAG_KIND_LABELS, type FlagKind } from './schemas.js';

/**
 * Frequency and quality patrol (seed 004 五(四) 采集频次, 六(四) 建立长效机制): one pass over the records in SQL.
 *  - stale: not re-collected when due (`repo.nextDueSql`: crops at the harvest of the current planting, else after
 *    their cycle; livestock and aquatic one month after the collection; overridable per division);
 *  - incomplete: a required field is empty, or a draft/returned record was left for more than 7 days;
 *  - far: the point lies outside the polygon of its county (geo_check near/far, set when the point was written);
 *  - scale: above the product's plausible maximum for one base, or the operator's plots together below the threshold;
 *  - duplicate: another record with the same product, subject (credit code, else name), township and point (to ~10 m).
 * New flags are inserted, open flags whose condition no longer holds are resolved automatically, and each collector
 * and each county gets one notification listing its new flags. Returns counts.
 *
 * The patrol works county by county, each county one short transaction, yielding between counties: on PGlite a
 * single national pass held the only connection for seconds and stopped every request (issue 12 item 13). Every
 * condition above lies within one township, so a county's pass sees everything it needs. A collector working in
 * two counties gets one notification per county.
 */
export async function runPatrol(
  db: Kysely<DB>,
  progress: (done: number, total: number) => Promise<void> = async () => {},
): Promise<{ opened: number; autoResolved: number; notifications: number; open: number }> {
  const counties = await sql<{ county: string }>`
    SELECT DISTINCT left(division_code, 6) AS county FROM origin_record
    UNION SELECT DISTINCT left(division_code, 6) FROM origin_flag WHERE status = 'open'
    ORDER BY 1`.execute(db);
  const sum = { opened: 0, autoResolved: 0, notifications: 0 };
  for (const [i, { county }] of counties.rows.entries()) {
    const r = await patrolCounty(db, county);
    sum.opened += r.opened;
    sum.autoResolved += r.autoResolved;
    sum.notifications += r.notifications;
    await progress(i + 1, counties.rows.length);
    await yieldToRequests();
  }
  const open = await db
    .selectFrom('origin_flag')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return { ...sum, open: Number(open.n) };
}

async function patrolCounty(
  db: Kysely<DB>,
  county: string,
): Promise<{ opened: number; autoResolved: number; notifications: number }> {
  const inCounty = sql`starts_with(r.division_code, ${county})`;
  return db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP TABLE origin_patrol_hit (record_id uuid, kind text, detail text, division_code text) ON COMMIT DROP`.execute(
      trx,
    );
    await sql`
      WITH eff AS (
        SELECT r.id, r.division_code, r.status, r.scale, r.updated_at, r.collected_at, r.geo_check, r.longitude, r.market_start, r.market_end, r.trace_methods,
               r.grid_worker_name, r.collector_name, p.name AS product_name, p.max_plausible, p.unit, r.site_pending,
               ${nextDueSql} AS next_due,
               (SELECT sum(g.scale) FROM origin_record g WHERE g.county_code = r.county_code AND g.product_code = r.product_code
                  AND COALESCE(g.credit_code, g.subject_name) = COALESCE(r.credit_code, r.subject_name)) AS group_scale,
               COALESCE((SELECT t.cycle_days FROM origin_threshold t WHERE t.product_code = r.product_code AND t.cycle_days IS NOT NULL
                           AND starts_with(r.division_code, t.division_code) ORDER BY length(t.division_code) DESC LIMIT 1), p.cycle_days) AS cycle_days,
               COALESCE((SELECT t.threshold FROM origin_threshold t WHERE t.product_code = r.product_code
                           AND starts_with(r.division_code, t.division_code) ORDER BY length(t.division_code) DESC LIMIT 1), p.threshold) AS threshold,
               p.facility_threshold, r.production_method, p.industry
        FROM origin_record r JOIN origin_product p ON p.code = r.product_code
        WHERE ${inCounty}
      )
      INSERT INTO origin_patrol_hit (record_id, kind, detail, division_code)
      SELECT id, 'stale', '上次采集于 ' || to_char(collected_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') || '，应于 ' || next_due::text || ' 前重新采集（种植业每茬、畜禽和水产品每月）', division_code
        FROM eff WHERE status <> 'draft' AND next_due < ${todaySql}
      UNION ALL
      SELECT id, 'incomplete',
             CASE WHEN site_pending THEN '导入时缺少经纬度，待现场走访补充点位'
                  WHEN longitude IS NULL OR market_start IS NULL OR market_end IS NULL OR cardinality(trace_methods) = 0 OR grid_worker_name IS NULL OR collector_name IS NULL
                  THEN '缺少必填信息（经纬度、上下市时间、追溯方式、网格员或采集员）' ELSE '草稿或退回记录超过 7 天未提交' END, division_code
        FROM eff WHERE longitude IS NULL OR market_start IS NULL OR market_end IS NULL OR cardinality(trace_methods) = 0 OR grid_worker_name IS NULL OR collector_name IS NULL
                    OR (status IN ('draft', 'returned') AND updated_at < now() - interval '7 days')
      UNION ALL
      SELECT id, 'far', '点位不在所属区县边界内，请现场核对经纬度', division_code FROM eff WHERE geo_check IN ('near', 'far')
      UNION ALL
      SELECT id, 'scale',
             CASE WHEN scale > max_plausible THEN '规模 ' || scale || ' 超过单个基地的合理上限 ' || max_plausible
                  ELSE '规模 ' || scale || '（该主体本县同品种合计 ' || group_scale || '）低于现行采集标准 ' || threshold END, division_code
        FROM eff WHERE scale > max_plausible
                    OR group_scale < CASE WHEN industry = 'fishery' AND production_method = 'facility' AND facility_threshold IS NOT NULL THEN facility_threshold ELSE threshold END
      UNION ALL
      SELECT id, 'duplicate', '与其他 ' || (n - 1) || ' 条记录的主体、品种、乡镇和点位相同', division_code FROM (
        SELECT id, division_code, count(*) OVER (PARTITION BY product_code, COALESCE(credit_code, subject_name), division_code, round(longitude::numeric, 4), round(latitude::numeric, 4)) AS n
        FROM origin_record r WHERE longitude IS NOT NULL AND ${inCounty}) d WHERE n > 1`.execute(trx);
    const resolved = await sql`
      UPDATE origin_flag f SET status = 'resolved', resolved_at = now(), resolution = '已自动解除：巡查时问题已不存在'
      WHERE f.status = 'open' AND starts_with(f.division_code, ${county}) AND NOT EXISTS (SELECT 1 FROM origin_patrol_hit h WHERE h.record_id = f.record_id AND h.kind = f.kind)`.execute(
      trx,
    );
    const opened = await sql<{ id: string; record_id: string; kind: FlagKind; division_code: string }>`
      INSERT INTO origin_flag (record_id, kind, detail, division_code)
      SELECT record_id, kind, detail, division_code FROM origin_patrol_hit
      ON CONFLICT (record_id, kind) WHERE status = 'open' DO NOTHING
      RETURNING id, record_id, kind, division_code`.execute(trx);
    let notifications = 0;
    if (opened.rows.length) {
      const kindsText = (rows: { kind: FlagKind }[]) => {
        const by = new Map<FlagKind, number>();
        for (const r of rows) by.set(r.kind, (by.get(r.kind) ?? 0) + 1);
        return [...by].map(([k, n]) => `${FLAG_KIND_LABELS[k].zh} ${n} 条`).join('，');
      };
      // The collector: whoever created each record.
      const owners = await sql<{ created_by: string | null; kind: FlagKind }>`
        SELECT r.created_by, f.kind FROM origin_flag f JOIN origin_record r ON r.id = f.record_id WHERE f.id = ANY(${sql.val(opened.rows.map((r) => r.id))}::uuid[])`.execute(
        trx,
      );
      const byOwner = new Map<string, { kind: FlagKind }[]>();
      for (const o of owners.rows)
        if (o.created_by) byOwner.set(o.created_by, [...(byOwner.get(o.created_by) ?? []), o]);
      const byCounty = new Map<string, { kind: FlagKind }[]>();
      for (const o of opened.rows) {
        const county = countyOf(o.division_code) ?? o.division_code;
        byCounty.set(county, [...(byCounty.get(county) ?? []), o]);
      }
      const values = [
        ...[...byOwner].map(([account, rows]) => ({
          account_id: account,
          division_code: null,
          title: `您采集的记录有 ${rows.length} 条需要处理`,
          body: `${kindsText(rows)}。请在“巡查提示”中查看并修改。`,
          flag_count: rows.length,
        })),
        ...[...byCounty].map(([county, rows]) => ({
          account_id: null,
          division_code: county,
          title: `本县新增 ${rows.length} 条巡查提示`,
          body: `${kindsText(rows)}。请督促信息采集员及时修改（限期内未修改的纳入绩效考核）。`,
          flag_count: rows.length,
        })),
      ];
      await trx.insertInto('origin_notification').values(values).execute();
      notifications = values.length;
      // The platform inbox: the township agency and the collector named in each record (and its creator).
      const recs = await trx
        .selectFrom('origin_record')
        .select(['id', 'division_code', 'collector_name', 'collector_phone', 'created_by'])
        .where('id', 'in', [...new Set(opened.rows.map((r) => r.record_id))])
        .execute();
      notifications += await noticeRecords(
        trx,
        recs,
        (n) => ({
          titleZh: `产地溯源记录巡查提示 ${n} 条，请及时修改`,
          titleEn: `${n} origin record(s) flagged by the patrol: please correct them`,
          body: '请在“巡查提示”中查看并修改（限期内未修改的纳入绩效考核）。',
        }),
        () => '/origin/flags',
      );
    }
    return { opened: opened.rows.length, autoResolved: Number(resolved.numAffectedRows ?? 0), notifications };
  });
}
