import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/kernel/db/connect.js';
import { PublicResolver, type Run } from '../src/modules/public/resolver.js';
import { freshDatabase } from './helpers.js';
import { oldRuns } from './public-resolver-old-load.js';

/**
 * Issue 19 items 1 and 6: the public resolver's start-up load reads the issued codes chunk by chunk (a grouping per
 * chunk, the window query only over spans with gaps) instead of one window query over every code. Its runs must be
 * exactly those the old query gave — compared here on codes with voided and activated codes in the middle of runs,
 * several kinds and batches, batches interleaved, a batch issued over two days, gaps in the serials, and runs across
 * chunk boundaries (chunks of 7, 500 and the default) — and while it loads, memory answers only for what is loaded
 * (the rest reads the database) and a change made meanwhile is seen once loaded. On PGlite (default) and PostgreSQL
 * (TEST_DATABASE_URL).
 */
const S1 = '00000000-0000-4000-8000-0000000000a1';
const S2 = '00000000-0000-4000-8000-0000000000a2';
const B = (n: number) => `00000000-0000-4000-8000-0000000000b${n}`;
const D0 = '2026-11-01T10:00:00+08:00';
const D1 = '2026-11-02T09:00:00+08:00';

const plain = (kind: number, runs: Run[]) => runs.map((r) => ({ kind, ...r, issuedAt: r.issuedAt.toISOString() }));

let database: Database;
let drop: () => Promise<void>;
let want: Awaited<ReturnType<typeof oldRuns>>;
const resolvers: PublicResolver[] = [];

/** What the old runs say of a code: its status, or null when never issued. */
function truth(kind: number, serial: number) {
  return want.find((r) => r.kind === kind && r.lo <= serial && serial <= r.hi)?.status ?? null;
}

async function until(ok: () => boolean, ms = 20_000) {
  const t0 = Date.now();
  while (!ok() && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

function resolver(chunk?: number) {
  const r = new PublicResolver(database, { runs: 100_000, docs: 10, chunk });
  resolvers.push(r);
  return r;
}

beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
  const ins = (
    kind: number,
    lo: number,
    hi: number,
    status: string,
    subject: string,
    batch: string | null,
    at: string,
  ) =>
    sql`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, issued_at)
        SELECT ${kind}, s, ${status}, ${subject}::uuid, ${batch}::uuid, ${at}::timestamptz + (s % 7) * interval '1 minute'
        FROM generate_series(${lo}::bigint, ${hi}::bigint) s`.execute(database.db);
  await ins(1, 1, 100, 'A', S1, B(1), D0);
  await ins(1, 101, 150, 'A', S1, B(2), D0); // the next batch, adjacent
  // 151..160 never issued
  await ins(1, 161, 260, 'I', S2, B(3), D0); // printed, not activated
  await ins(1, 261, 300, 'I', S2, B(3), D1); // the same batch, the next day
  await ins(1, 301, 400, 'A', S2, B(4), D0);
  await ins(1, 950, 1050, 'A', S2, B(4), D0); // across the boundary of 500-serial chunks
  await ins(1, 5000, 5009, 'A', S1, B(2), D0); // after a gap of several chunks
  await ins(2, 1, 50, 'I', S1, null, D0);
  await ins(5, 1, 10, 'A', S1, null, D0);
  await sql`UPDATE trace_code SET subject_id = ${S2}::uuid WHERE kind = 5 AND serial % 2 = 0`.execute(database.db);
  await sql`UPDATE trace_code SET status = 'V' WHERE kind = 1 AND serial IN (60, 1000, 1001)`.execute(database.db);
  await sql`UPDATE trace_code SET status = 'A' WHERE kind = 1 AND serial IN (170, 171, 200)`.execute(database.db);
  await sql`UPDATE trace_code SET status = 'A', batch_id = ${B(1)}::uuid WHERE kind = 2 AND serial = 25`.execute(
    database.db,
  );
  // Two batches interleaved (odd serials to another batch): no run longer than one code.
  await sql`UPDATE trace_code SET batch_id = ${B(1)}::uuid WHERE kind = 1 AND serial BETWEEN 301 AND 400 AND serial % 2 = 1`.execute(
    database.db,
  );
  want = await oldRuns(database.db);
}, 120_000);

afterAll(async () => {
  for (const r of resolvers) await r.close();
  await drop();
});

describe('the public resolver loads its runs chunk by chunk', () => {
  it('holds exactly the runs of the old single query, whatever the chunk size', async () => {
    // The data is what it means to be: over a hundred runs of every shape, not one per batch.
    expect(want.length).toBeGreaterThan(100);
    expect(want.filter((r) => r.kind === 1 && r.lo <= 1000 && r.hi >= 950)).toHaveLength(2); // 950..999, 1000..1001 void
    for (const chunk of [7, 500, undefined]) {
      const r = resolver(chunk);
      await r.start();
      expect(await r.ready()).toBe(true);
      const got = [1, 2, 3, 4, 5].flatMap((k) => plain(k, r.runsOf(k)));
      expect(got, `chunk ${chunk ?? 'default'}`).toEqual(want);
      expect(r.stats().complete).toEqual([1, 2, 3, 4, 5]);
      // Never issued: in a gap, past the last code, in an empty kind.
      expect(r.status(1, 155)).toBeNull();
      expect(r.status(1, 2000)).toBeNull();
      expect(r.status(1, 9_999_999)).toBeNull();
      expect(r.status(3, 1)).toBeNull();
      await r.close();
    }
  });

  it('answers from memory only what is loaded while loading, and sees changes made meanwhile', async () => {
    const r = resolver(7);
    const probes = [...Array.from({ length: 1100 }, (_, i) => i + 1), 4999, 5000, 5005, 5010];
    let answered = 0;
    let unknownWhileLoading = 0;
    let changed = false;
    let changedFar = false;
    await r.start();
    while (r.stats().state === 'loading') {
      for (const s of probes) {
        const m = r.status(1, s);
        if (m === undefined) unknownWhileLoading++;
        else if (!(changed && s === 30) && !(changedFar && s === 5005)) {
          answered++;
          expect({ s, status: m?.status ?? null }).toEqual({ s, status: truth(1, s) });
        }
      }
      // Once serial 30 is answered from memory, void it (as another process would): memory must follow.
      if (!changed && r.status(1, 30)) {
        changed = true;
        changedFar = true;
        await sql`UPDATE trace_code SET status = 'V' WHERE kind = 1 AND serial IN (30, 5005)`.execute(database.db);
      }
      await new Promise((res) => setImmediate(res));
    }
    expect(await r.ready()).toBe(true);
    expect(answered, 'memory answered during the load').toBeGreaterThan(0);
    expect(unknownWhileLoading, 'codes not yet loaded were left to the database').toBeGreaterThan(0);
    expect(changed).toBe(true);
    expect(await until(() => r.status(1, 30)?.status === 'V' && r.status(1, 5005)?.status === 'V')).toBe(true);
    expect(await until(() => r.stats().holes === 0)).toBe(true);
    want = await oldRuns(database.db);
    for (const s of probes) expect({ s, status: r.status(1, s)?.status ?? null }).toEqual({ s, status: truth(1, s) });
    // A fresh load after the change: the old query's runs again.
    const again = resolver(500);
    await again.start();
    expect(await again.ready()).toBe(true);
    expect([1, 2, 3, 4, 5].flatMap((k) => plain(k, again.runsOf(k)))).toEqual(want);
  });
});
