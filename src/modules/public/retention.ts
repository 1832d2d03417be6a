import { type Kysely, sql } from 'kysely';
import { yieldToRequests } from '../../kernel/jobs.js';
import type { DB } from '../../schema.js';
import { WINDOW } from './querylog.js';

/** Rows per page: each page is one short statement, so lookups waiting for the connection get their turn. */
const PAGE = 5000;

/**
 * Query-log retention (issue 12 item 6), run daily as the recurring job `public.queryLogRetention`:
 *  1. rows older than `retentionDays` (counted from the start of today, China time, so whole days go together) are
 *     folded into `query_log_daily` — one count per China day, code, owner, division, result, channel and viewer —
 *     and deleted, in pages;
 *  2. client addresses of rows older than `addressDays` are cut to their network (`client_net`: IPv4 /24, IPv6 /48);
 *  3. `query_net` rows (a code's client networks) whose latest scan left the counterfeit window (7 days) are deleted:
 *     they no longer count, and a network scanning again is then simply new.
 * query_log is partitioned by China month (issue 19 item 6): rows are matched by its key (id, at), so each page
 * touches only the months it deletes from.
 * What the scan counts need is kept: per-code totals and verdicts live in `query_count`, which this never touches;
 * the counterfeit signal reads `query_net` and the last 7 days of reported locations in `query_log` (retention is at
 * least one day and counts whole days back from today, so those 7 days are still there when it is set to 7 or more).
 */
export async function runRetention(
  db: Kysely<DB>,
  days: { retentionDays: number; addressDays: number },
): Promise<{ folded: number; truncated: number; networksExpired: number }> {
  const cutoff = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - make_interval(days => ${days.retentionDays})) AT TIME ZONE 'Asia/Shanghai'`;
  let folded = 0;
  for (;;) {
    const r = await sql<{ n: number }>`
      WITH old AS (SELECT id, at FROM query_log WHERE at < ${cutoff} ORDER BY at LIMIT ${PAGE}),
      gone AS (DELETE FROM query_log q USING old WHERE q.id = old.id AND q.at = old.at
               RETURNING q.at, q.code_kind, q.code_serial, q.subject_id, q.division_code, q.result, q.channel, q.viewer),
      daily AS (
        INSERT INTO query_log_daily (day, code_kind, code_serial, subject_id, division_code, result, channel, viewer, n)
        SELECT (at AT TIME ZONE 'Asia/Shanghai')::date, code_kind, code_serial, subject_id, division_code, result, channel, viewer, count(*)
        FROM gone GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ON CONFLICT ON CONSTRAINT query_log_daily_key DO UPDATE SET n = query_log_daily.n + EXCLUDED.n)
      SELECT count(*) AS n FROM gone`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    folded += n;
    if (n < PAGE) break;
    await yieldToRequests();
  }
  let truncated = 0;
  for (;;) {
    const r = await sql`
      UPDATE query_log SET client_ip = client_net
      WHERE (id, at) IN (SELECT id, at FROM query_log
                   WHERE at < now() - make_interval(days => ${days.addressDays})
                     AND client_ip IS NOT NULL AND client_ip IS DISTINCT FROM client_net
                   LIMIT ${PAGE})`.execute(db);
    const n = Number(r.numAffectedRows ?? 0);
    truncated += n;
    if (n < PAGE) break;
    await yieldToRequests();
  }
  let networksExpired = 0;
  for (;;) {
    const r = await sql`
      DELETE FROM query_net WHERE ctid IN (SELECT ctid FROM query_net WHERE last_at <= now() - ${WINDOW} LIMIT ${PAGE})`.execute(
      db,
    );
    const n = Number(r.numAffectedRows ?? 0);
    networksExpired += n;
    if (n < PAGE) break;
    await yieldToRequests();
  }
  return { folded, truncated, networksExpired };
}
