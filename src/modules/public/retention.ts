import { type Kysely, type RawBuilder, sql } from 'kysely';
import { auditOutsideRequest } from '../../kernel/audit.js';
import { type MonthPartition, dropPartition, isLockConflict, monthsEndingBy } from '../../kernel/db/partitions.js';
import { yieldToRequests } from '../../kernel/jobs.js';
import type { DB } from '../../schema.js';
import { WINDOW } from './querylog.js';

/** Rows per page: each page is one short statement, so lookups waiting for the connection get their turn. */
const PAGE = 5000;

/**
 * Folds the query-log rows of `rows` (a relation with query_log's columns) into `query_log_daily`: one count per
 * China day, code, owner, division, result, channel and viewer, added to what a day already holds. The one fold of
 * both paths (a page of deleted rows, a whole month before it is dropped), so their counts cannot differ.
 */
const fold = (rows: RawBuilder<unknown>) => sql`
  INSERT INTO query_log_daily (day, code_kind, code_serial, subject_id, division_code, result, channel, viewer, n)
  SELECT (at AT TIME ZONE 'Asia/Shanghai')::date, code_kind, code_serial, subject_id, division_code, result, channel, viewer, count(*)
  FROM ${rows} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT ON CONSTRAINT query_log_daily_key DO UPDATE SET n = query_log_daily.n + EXCLUDED.n`;

/**
 * Query-log retention (issue 12 item 6), run daily as the recurring job `public.queryLogRetention`:
 *  1. rows older than `retentionDays` (counted from the start of today, China time, so whole days go together) are
 *     folded into `query_log_daily` — one count per China day, code, owner, division, result, channel and viewer —
 *     and removed: a month partition whose whole range is older (query_log is partitioned by China month, issue 19
 *     item 6) is folded in one statement, detached and dropped, in one transaction with its audit row; the rest —
 *     the boundary month and the DEFAULT partition — is deleted row by row in pages, matched by the key (id, at);
 *  2. client addresses of rows older than `addressDays` are cut to their network (`client_net`: IPv4 /24, IPv6 /48);
 *  3. `query_net` rows (a code's client networks) whose latest scan left the counterfeit window (7 days) are deleted:
 *     they no longer count, and a network scanning again is then simply new.
 * A month whose locks cannot be had within 5 s (a long report reading it) is left for the next day's run; its rows
 * are not deleted row by row meanwhile. One audit row sums up the rest of a run that changed anything.
 * What the scan counts need is kept: per-code totals and verdicts live in `query_count`, which this never touches;
 * the counterfeit signal reads `query_net` and the last 7 days of reported locations in `query_log` (retention is at
 * least one day and counts whole days back from today, so those 7 days are still there when it is set to 7 or more).
 * `wholeMonths: false` deletes every row one by one as before partitioning (the comparison in the tests).
 */
export async function runRetention(
  db: Kysely<DB>,
  days: { retentionDays: number; addressDays: number },
  opts: { wholeMonths?: boolean; divisionCode?: string } = {},
): Promise<{ folded: number; monthsDropped: number; truncated: number; networksExpired: number }> {
  const cutoff = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - make_interval(days => ${days.retentionDays})) AT TIME ZONE 'Asia/Shanghai'`;
  const audited = { actor: null, verb: 'querylog.retention', targetType: 'query_log', divisionCode: opts.divisionCode };
  let folded = 0;
  let rowsFolded = 0;
  let monthsDropped = 0;
  const kept: MonthPartition[] = [];
  for (const month of opts.wholeMonths === false ? [] : await monthsEndingBy(db, 'query_log', cutoff)) {
    try {
      folded += await db.transaction().execute(async (tx) => {
        // No row enters or leaves the month while it is counted (rows arrive with the time of their scan, so none
        // is expected; a row that tries waits for the drop and then lands in DEFAULT, to be folded the next day).
        await sql`SET LOCAL lock_timeout = '5s'`.execute(tx);
        await sql`LOCK TABLE ${sql.table(month.name)} IN SHARE MODE`.execute(tx);
        const r = await sql<{ n: string }>`WITH daily AS (${fold(sql.table(month.name))})
          SELECT count(*)::text AS n FROM ${sql.table(month.name)}`.execute(tx);
        const n = Number(r.rows[0]?.n ?? 0);
        await dropPartition(tx, 'query_log', month);
        await auditOutsideRequest(tx, {
          ...audited,
          targetName: month.name,
          summary: { action: 'dropMonth', from: month.from.toISOString(), to: month.to.toISOString(), rows: n },
        });
        return n;
      });
      monthsDropped++;
    } catch (e) {
      if (!isLockConflict(e)) throw e;
      kept.push(month);
    }
    await yieldToRequests();
  }
  // What is left past the horizon: the boundary month and DEFAULT (and any month kept above, left alone).
  const notKept = kept.length
    ? sql`AND NOT (${sql.join(
        kept.map((m) => sql`(at >= ${m.from} AND at < ${m.to})`),
        sql` OR `,
      )})`
    : sql``;
  for (;;) {
    const r = await sql<{ n: number }>`
      WITH old AS (SELECT id, at FROM query_log WHERE at < ${cutoff} ${notKept} ORDER BY at LIMIT ${PAGE}),
      gone AS (DELETE FROM query_log q USING old WHERE q.id = old.id AND q.at = old.at
               RETURNING q.at, q.code_kind, q.code_serial, q.subject_id, q.division_code, q.result, q.channel, q.viewer),
      daily AS (${fold(sql`gone`)})
      SELECT count(*) AS n FROM gone`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    folded += n;
    rowsFolded += n;
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
  if (rowsFolded + truncated + networksExpired > 0)
    await db.transaction().execute((tx) =>
      auditOutsideRequest(tx, {
        ...audited,
        summary: { action: 'fold', rows: rowsFolded, truncated, networksExpired },
      }),
    );
  return { folded, monthsDropped, truncated, networksExpired };
}
