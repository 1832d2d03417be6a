import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { drain } from '../src/kernel/jobs.js';
import { runRetention } from '../src/modules/public/retention.js';
import { type TestApp, testApp } from './helpers.js';

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
const runRetentionJob = async () => {
  const { id } = await t.database.db
    .insertInto('job')
    .values({
      kind: 'public.queryLogRetention',
      payload: '{}',
      total: null,
      result: null,
      error: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await drain(t.database.db, t.app.config);
  // The app's own job loop may have taken this job first (PostgreSQL runs two at once): wait until it is finished.
  for (let i = 0; ; i++) {
    const job = await t.database.db
      .selectFrom('job')
      .select(['status', 'result', 'error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if ((job.status !== 'queued' && job.status !== 'running') || i >= 600) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
};

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
    expect(job.result).toEqual({ folded: 5, truncated: 2, networksExpired: 0 });

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
    expect((await runRetentionJob()).result).toEqual({ folded: 0, truncated: 0, networksExpired: 0 });
  });

  it('the period is configurable (QUERY_LOG_RETENTION_DAYS): with 30 days the 40-day rows fold into the same counts', async () => {
    // The app's job loop may take a queued job with the app's config, so the other period is run directly, as the
    // job's handler does with the configured values.
    expect(loadConfig({ ...process.env, QUERY_LOG_RETENTION_DAYS: '30' }).queryLogRetentionDays).toBe(30);
    const result = await runRetention(t.database.db, {
      retentionDays: 30,
      addressDays: t.app.config.queryLogAddressDays,
    });
    expect(result).toEqual({ folded: 2, truncated: 0, networksExpired: 0 });
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
