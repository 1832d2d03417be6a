import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import pg from 'pg';
import { runRetention } from '../src/modules/public/retention.js';
import { withDatabase } from './global-setup.js';
import { type TestApp, freshDatabase, testApp, runJob } from './helpers.js';

// Issue 12, item 6 (retention): query-log rows past QUERY_LOG_RETENTION_DAYS are folded into daily counts and
// deleted; client addresses past QUERY_LOG_ADDRESS_DAYS are cut to their network; per-code scan totals stay.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

/** One query-log row `daysAgo` days back (noon China time), as the flush writes it. */
async function logRow(daysAgo: number, ip: string, net: string, extra: { result?: string; serial?: number } = {}) {
  await sql`
    INSERT INTO query_log (at, code, code_kind, code_serial, result, channel, viewer, division_code, client_ip, client_net, user_agent)
    VALUES (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' - make_interval(days => ${daysAgo}) + interval '4 hours',
            ${`1${String(extra.serial ?? 7).padStart(19, '0')}`}, 1, ${extra.serial ?? 7}, ${extra.result ?? 'active'}, 'html', 'consumer',
            '440117', ${ip}, ${net}, 'Mozilla/5.0')`.execute(t.database.db);
}
/** Queues the retention job and waits for it (run by `drain` or by the app's own job loop, both with the app's config). */
const runRetentionJob = () => runJob(t, 'public.queryLogRetention');

describe('query-log retention', () => {
  it('folds rows past 180 days into daily counts, cuts addresses past 30 days, keeps the rest and the scan totals', async () => {
    expect(t.app.config.queryLogRetentionDays).toBe(180);
    await sql`INSERT INTO query_count (code_kind, code_serial, subject_id, n, first_at, last_at)
              VALUES (1, 7, NULL, 42, now() - interval '200 days', now())`.execute(t.database.db);
    for (const ip of ['198.51.100.1', '198.51.100.2', '203.0.113.9'])
      await logRow(200, ip, `${ip.split('.').slice(0, 3).join('.')}.0/24`);
    await logRow(200, '198.51.100.3', '198.51.100.0/24', { result: 'recalled' });
    await logRow(190, '198.51.100.4', '198.51.100.0/24');
    await logRow(40, '203.0.113.77', '203.0.113.0/24');
    await logRow(40, '2001:db8:1234:5678::1', '2001:db8:1234::/48');
    await logRow(0, '192.0.2.55', '192.0.2.0/24');

    const job = await runRetentionJob();
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    expect(job.result).toEqual({ folded: 5, monthsDropped: 0, truncated: 2, networksExpired: 0 });

    const left = await t.database.db
      .selectFrom('query_log')
      .select(['client_ip', 'client_net', sql<boolean>`at < now() - interval '100 days'`.as('old')])
      .orderBy('at')
      .orderBy('id')
      .execute();
    // Nothing older than the retention period stays: the two 40-day rows and today's.
    expect(left.map((r) => r.old)).toEqual([false, false, false]);
    // Older than 30 days: the address is cut to its network; today's row keeps its address.
    expect(left.map((r) => r.client_ip)).toEqual(['203.0.113.0/24', '2001:db8:1234::/48', '192.0.2.55']);

    const daily = await t.database.db
      .selectFrom('query_log_daily')
      .select(['day', 'code_kind', 'code_serial', 'result', 'division_code', 'n'])
      .orderBy('day')
      .orderBy('result')
      .execute();
    expect(daily.map((d) => [d.code_serial, d.result, d.division_code, Number(d.n)])).toEqual([
      [7, 'active', '440117', 3],
      [7, 'recalled', '440117', 1],
      [7, 'active', '440117', 1],
    ]);
    // The per-code scan total (what producers see and the over-scan signal counts) is untouched.
    const count = await t.database.db
      .selectFrom('query_count')
      .select('n')
      .where('code_serial', '=', 7)
      .executeTakeFirst();
    expect(Number(count?.n)).toBe(42);

    // Run again: nothing more to fold or cut (idempotent).
    expect((await runRetentionJob()).result).toEqual({ folded: 0, monthsDropped: 0, truncated: 0, networksExpired: 0 });
  });

  it('the period is configurable (QUERY_LOG_RETENTION_DAYS): with 30 days the 40-day rows fold into the same counts', async () => {
    // The app's job loop may take a queued job with the app's config, so the other period is run directly, as the
    // job's handler does with the configured values.
    expect(loadConfig({ ...process.env, QUERY_LOG_RETENTION_DAYS: '30' }).queryLogRetentionDays).toBe(30);
    const result = await runRetention(t.database.db, {
      retentionDays: 30,
      addressDays: t.app.config.queryLogAddressDays,
    });
    expect(result).toEqual({ folded: 2, monthsDropped: 0, truncated: 0, networksExpired: 0 });
    const left = await t.database.db.selectFrom('query_log').select('client_ip').execute();
    expect(left.map((r) => r.client_ip)).toEqual(['192.0.2.55']);
    const total = await sql<{ n: number }>`SELECT sum(n)::int AS n FROM query_log_daily`.execute(t.database.db);
    expect(Number(total.rows[0].n)).toBe(7);
  });

  it('is a recurring job of the public module', async () => {
    const { MODULES } = await import('../src/modules/index.js');
    const pub = MODULES.find((m) => m.name === 'public');
    expect(pub?.jobs?.['public.queryLogRetention']?.everyMs).toBe(24 * 3600_000);
  });
});

// Issue 19 item 6: query_log is partitioned by China month. Retention folds and drops each month partition whose
// whole range is past the horizon, and deletes row by row only in the boundary month and in DEFAULT; the daily
// counts are the same as deleting every row one by one.
describe('query-log retention over month partitions', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  const q = async <T>(text: string) => (await sql.raw<T>(text).execute(database.database.db)).rows;
  const CUTOFF = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - interval '180 days') AT TIME ZONE 'Asia/Shanghai'`;
  /** The month partitions of query_log with their bounds, oldest first (DEFAULT apart). */
  const months = () =>
    q<{ name: string; hi: Date; old: boolean; boundary: boolean }>(`
      SELECT name, hi, hi <= ${CUTOFF} AS old, lo <= ${CUTOFF} AND hi > ${CUTOFF} AS boundary FROM (
        SELECT c.relname::text AS name,
               substring(pg_get_expr(c.relpartbound, c.oid) from 'FROM \\(''([^'']+)''\\)')::timestamptz AS lo,
               substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \\(''([^'']+)''\\)')::timestamptz AS hi
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'query_log'::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT') b ORDER BY lo`);
  const daily = () =>
    q(`SELECT day::text AS day, code_kind, code_serial, subject_id, division_code, result, channel, viewer, n::int AS n
       FROM query_log_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`);
  const rowsLeft = () => q<{ id: string; at: Date }>(`SELECT id::text AS id, at FROM query_log ORDER BY id`);
  const retention = (wholeMonths?: boolean) =>
    runRetention(database.database.db, { retentionDays: 180, addressDays: 30 }, { wholeMonths, divisionCode: '44' });

  beforeAll(async () => {
    database = await freshDatabase();
    // The months a platform running for more than a year has (the job creates them as time passes).
    await q(`SELECT partition_months('query_log', 'at', now() - interval '420 days', 3)`);
    // Six scans a day for 420 days, from just after a China midnight to 23:55, varied in every counted column; and
    // three scans from before any month partition (they sit in DEFAULT).
    await q(`
      INSERT INTO query_log (at, code, code_kind, code_serial, result, channel, viewer, subject_id, division_code, client_ip, client_net)
      SELECT (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - make_interval(days => d)) AT TIME ZONE 'Asia/Shanghai'
               + make_interval(mins => k * 287),
             '1' || lpad((d % 4)::text, 19, '0'), 1, d % 4, (ARRAY['active', 'recalled', 'unknown'])[1 + (d + k) % 3],
             (ARRAY['html', 'json'])[1 + k % 2], (ARRAY['consumer', 'regulator'])[1 + (d * k) % 2],
             CASE WHEN k % 2 = 1 THEN ('00000000-0000-4000-8000-00000000000' || (d % 3))::uuid END,
             CASE WHEN k % 5 <> 0 THEN '44011' || (k % 3) END, '198.51.100.' || (k + 1), '198.51.100.0/24'
      FROM generate_series(0, 420) d CROSS JOIN generate_series(0, 5) k`);
    await q(`
      INSERT INTO query_log (at, code, result, channel, viewer)
      SELECT now() - make_interval(years => 3, hours => g), 'X' || g, 'unknown', 'json', 'consumer' FROM generate_series(1, 3) g`);
    await q(`CREATE TABLE query_log_copy AS SELECT * FROM query_log`);
  });
  afterAll(() => database?.drop());

  it('drops the months past the horizon, keeps the boundary month and its rows, folds the same counts', async () => {
    const before = await months();
    const old = before.filter((m) => m.old).map((m) => m.name);
    expect(old.length).toBeGreaterThanOrEqual(7);
    expect(before.filter((m) => m.boundary)).toHaveLength(1);
    const [{ n: defaultRows }] = await q<{ n: number }>('SELECT count(*)::int AS n FROM query_log_default');
    expect(defaultRows).toBe(3);
    const [{ n: past }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM query_log WHERE at < ${CUTOFF}`);

    // The row-by-row path (as before partitioning): every month stays, emptied.
    const byRow = await retention(false);
    expect(byRow).toMatchObject({ folded: past, monthsDropped: 0 });
    const countsByRow = await daily();
    expect((await months()).map((m) => m.name)).toEqual(before.map((m) => m.name));
    const keptByRow = await rowsLeft();

    // The same rows again, retention by whole months.
    await q('DELETE FROM query_log_daily');
    await q('DELETE FROM query_log');
    await q('INSERT INTO query_log OVERRIDING SYSTEM VALUE SELECT * FROM query_log_copy');
    const auditBefore = await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
    const byMonth = await retention();
    expect(byMonth).toEqual({ ...byRow, monthsDropped: old.length });
    // The daily counts are exactly those of the row-by-row path (same days, same groups, same numbers).
    expect(await daily()).toEqual(countsByRow);
    expect(countsByRow.reduce<number>((s, r) => s + Number((r as { n: number }).n), 0)).toBe(past);

    // The months wholly past the horizon are gone (not detached and left behind: no such table is left).
    const after = await months();
    expect(after.map((m) => m.name)).toEqual(before.filter((m) => !m.old).map((m) => m.name));
    expect(await q(`SELECT relname FROM pg_class WHERE relname = ANY(ARRAY['${old.join("','")}'])`)).toEqual([]);
    // The boundary month is still there and keeps exactly its rows inside the horizon; DEFAULT lost its old rows.
    const boundary = before.find((m) => m.boundary) as (typeof before)[number];
    const [kept] = await q<{ here: number; expected: number; early: number }>(`
      SELECT (SELECT count(*)::int FROM ${boundary.name}) AS here,
             (SELECT count(*)::int FROM ${boundary.name} WHERE at < ${CUTOFF}) AS early,
             (SELECT count(*)::int FROM query_log_copy WHERE at >= ${CUTOFF} AND at < '${boundary.hi.toISOString()}') AS expected`);
    expect(kept.early).toBe(0);
    expect(kept.here).toBeGreaterThan(0);
    expect(kept.here).toBe(kept.expected);
    expect(await q('SELECT id FROM query_log_default')).toEqual([]);
    // Every row inside the horizon is kept, the same rows as the row-by-row path kept.
    expect(await rowsLeft()).toEqual(keptByRow);

    // Audited: one row per dropped month (in its transaction, with its row count) and one for the rest of the run.
    const audit = await q<{ verb: string; target_name: string | null; summary: Record<string, unknown> }>(`
      SELECT verb, target_name, summary FROM audit_log WHERE verb = 'querylog.retention' ORDER BY id OFFSET 1`);
    expect(audit).toHaveLength(old.length + 1);
    expect(audit.slice(0, -1).map((a) => a.target_name)).toEqual(old);
    expect(audit.slice(0, -1).every((a) => a.summary.action === 'dropMonth')).toBe(true);
    const inMonths = audit.slice(0, -1).reduce((s, a) => s + Number(a.summary.rows), 0);
    expect(audit.at(-1)?.summary).toEqual({
      action: 'fold',
      rows: past - inMonths,
      truncated: byMonth.truncated,
      networksExpired: 0,
    });
    expect(Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`))[0].n)).toBe(
      auditBefore[0].n + old.length + 1,
    );

    // Nothing is left to fold: a second run drops nothing, deletes nothing and writes no audit row.
    expect(await retention()).toEqual({ folded: 0, monthsDropped: 0, truncated: 0, networksExpired: 0 });
    expect(await daily()).toEqual(countsByRow);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'a month another session holds is left for the next run, not deleted row by row',
    async () => {
      // One more month past the horizon, holding rows, read by a long transaction elsewhere (PostgreSQL only: PGlite
      // has one connection).
      await q(`SELECT partition_months('query_log', 'at', now() - interval '600 days', 3)`);
      await q(`INSERT INTO query_log (at, code, result, channel, viewer)
               SELECT now() - interval '590 days' + make_interval(hours => g), 'L' || g, 'active', 'html', 'consumer'
               FROM generate_series(1, 5) g`);
      const old = (await months()).filter((m) => m.old);
      const month = old[0].name;
      const [{ n: inMonth }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${month}`);
      const [{ d }] = await q<{ d: string }>('SELECT current_database() AS d');
      const reader = new pg.Client({
        connectionString: withDatabase(process.env.TEST_DATABASE_URL as string, d),
      });
      await reader.connect();
      try {
        await reader.query('BEGIN');
        await reader.query(`SELECT count(*) FROM ${month}`);
        const r = await retention();
        expect(r.monthsDropped).toBe(old.length - 1);
        // The held month is still there with its rows; the months the reader did not hold are gone.
        expect(Number((await q<{ n: number }>(`SELECT count(*)::int AS n FROM ${month}`))[0].n)).toBe(inMonth);
        expect((await months()).filter((m) => m.old).map((m) => m.name)).toEqual([month]);
      } finally {
        await reader.query('ROLLBACK');
        await reader.end();
      }
      const [{ n: dailyBefore }] = await q<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM query_log_daily');
      const again = await retention();
      expect(again.monthsDropped).toBe(1);
      expect(again.folded).toBe(inMonth);
      expect((await months()).filter((m) => m.old)).toEqual([]);
      const [{ n: dailyAfter }] = await q<{ n: number }>('SELECT coalesce(sum(n), 0)::int AS n FROM query_log_daily');
      expect(dailyAfter - dailyBefore).toBe(inMonth);
    },
    30_000,
  );
});
