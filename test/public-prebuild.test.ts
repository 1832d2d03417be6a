import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortCode } from '../src/kernel/codes.js';
import { demoEnv } from '../src/demo.js';
import { traceDemo } from '../src/modules/certificates/demo.js';
import { platformOfConfig } from '../src/modules/codes/service.js';
import { DIGIT_KIND } from '../src/modules/public/lookup.js';
import { FailedBuilds, buildDue, storeIfStillDue, takeSlot } from '../src/modules/public/prebuild.js';
import { publicDocOf, renderPublicDoc } from '../src/modules/public/visibility.js';
import { type TestApp, makeProducer, testApp } from './helpers.js';

/**
 * Issue 19 item 6: public documents built ahead of the first scan. Batches become due when their codes are issued
 * (or a certificate, or any invalidation of their projection), the builder stores their projection, a change during
 * a build leaves the batch queued instead of storing a stale document, and a lookup then reads what was built.
 */
let t: TestApp;
const count = async (q: ReturnType<typeof sql<{ n: string }>>) => Number((await q.execute(t.database.db)).rows[0].n);
/** Batches with an issued code or a certificate. */
const scannable = sql`(SELECT batch_id FROM trace_code WHERE batch_id IS NOT NULL
                       UNION SELECT batch_id FROM certificate WHERE batch_id IS NOT NULL)`;

/** An active code of a batch (the first or the last issued) and its public lookup URL. */
async function activeCode(order: 'asc' | 'desc' = 'asc') {
  const code = await t.database.db
    .selectFrom('trace_code')
    .select(['kind', 'serial', 'batch_id'])
    .where('batch_id', 'is not', null)
    .where('status', '=', 'A')
    .orderBy('serial', order)
    .executeTakeFirstOrThrow();
  const text = shortCode({
    kind: DIGIT_KIND[code.kind],
    platform: platformOfConfig(t.app.config),
    serial: Number(code.serial),
  });
  return { batchId: code.batch_id as string, url: `/api/v1/public/trace/${text}` };
}

beforeAll(async () => {
  t = await testApp({ PUBLIC_RATE_LIMIT: '1000000' });
  await makeProducer(t, { username: 'demo_farmer', name: '演示合作社', divisionCode: '440117' });
  await traceDemo.run(demoEnv(t.database, t.app.config, () => {}));
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('public documents built ahead of the first scan', () => {
  it('queues every scannable batch without a projection, builds them all, and a lookup reads what was built', async () => {
    const unqueued = sql<{ n: string }>`SELECT count(*) AS n FROM ${scannable} s (batch_id)
      WHERE NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = s.batch_id)
        AND NOT EXISTS (SELECT 1 FROM public_trace_due d WHERE d.batch_id = s.batch_id)`;
    expect(await count(unqueued)).toBe(0);
    const due = await count(sql`SELECT count(*) AS n FROM public_trace_due`);
    expect(due).toBeGreaterThan(0);

    const r = await buildDue(t.database.db);
    expect(r.failed).toBe(0);
    expect(r.built).toBeGreaterThan(0);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace_due`)).toBe(0);
    const missing = sql<{ n: string }>`SELECT count(*) AS n FROM ${scannable} s (batch_id)
      WHERE NOT EXISTS (SELECT 1 FROM public_trace p WHERE p.batch_id = s.batch_id)`;
    expect(await count(missing)).toBe(0);

    // What was stored is what a build now gives, and the public answer carries its ETag (no build on this scan).
    const stored = await t.database.db.selectFrom('public_trace').select(['batch_id', 'etag']).execute();
    for (const p of stored.slice(0, 5)) expect((await renderPublicDoc(t.database.db, p.batch_id)).etag).toBe(p.etag);
    const { batchId, url } = await activeCode();
    const before = await t.database.db
      .selectFrom('public_trace')
      .select(['etag', 'built_at'])
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    const res = await t.req(null, { method: 'GET', url });
    expect(res.statusCode).toBe(200);
    // The answer's ETag is the code's status and the projection's ETag.
    expect(res.headers.etag).toBe(`W/"j-A${before.etag}"`);
    const after = await t.database.db
      .selectFrom('public_trace')
      .select('built_at')
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    expect(after.built_at).toEqual(before.built_at);
  });

  it('queues a batch again when its projection is invalidated, and rebuilds it', async () => {
    const { batch_id } = await t.database.db.selectFrom('public_trace').select('batch_id').executeTakeFirstOrThrow();
    // A change as another process would make it: the batch row's trigger deletes the projection.
    await sql`UPDATE batch SET quantity = quantity + 1 WHERE id = ${batch_id}::uuid`.execute(t.database.db);
    const queued = await t.database.db
      .selectFrom('public_trace_due')
      .select('batch_id')
      .where('batch_id', '=', batch_id)
      .execute();
    expect(queued).toHaveLength(1);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${batch_id}::uuid`)).toBe(0);
    const r = await buildDue(t.database.db);
    expect(r).toMatchObject({ built: 1, failed: 0 });
    expect(await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${batch_id}::uuid`)).toBe(1);
  });

  it('does not store a build when the batch changed while it was being built', async () => {
    const { batch_id } = await t.database.db.selectFrom('public_trace').select('batch_id').executeTakeFirstOrThrow();
    await sql`UPDATE batch SET quantity = quantity + 1 WHERE id = ${batch_id}::uuid`.execute(t.database.db);
    const claimed = await t.database.db
      .selectFrom('public_trace_due')
      .select(['batch_id', 'gen'])
      .where('batch_id', '=', batch_id)
      .executeTakeFirstOrThrow();
    // The builder takes the slot and reads the batch ...
    expect(await takeSlot(t.database.db, claimed)).toBe('');
    const built = await renderPublicDoc(t.database.db, batch_id);
    // ... meanwhile the batch changes (its invalidation trigger deletes the placeholder, which queues it again) ...
    await sql`UPDATE batch SET quantity = quantity + 1 WHERE id = ${batch_id}::uuid`.execute(t.database.db);
    // ... so what was read before the change is not stored.
    expect(await storeIfStillDue(t.database.db, claimed, built, '')).toBe(false);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${batch_id}::uuid`)).toBe(0);
    const again = await t.database.db
      .selectFrom('public_trace_due')
      .select('gen')
      .where('batch_id', '=', batch_id)
      .executeTakeFirstOrThrow();
    expect(Number(again.gen)).toBeGreaterThan(Number(claimed.gen));
    // The same when only the queue records the change (codes issued meanwhile), and the slot is given back.
    expect(await takeSlot(t.database.db, { batch_id, gen: again.gen })).toBe('');
    await sql`SELECT public_trace_enqueue(ARRAY[${batch_id}::uuid])`.execute(t.database.db);
    expect(await storeIfStillDue(t.database.db, { batch_id, gen: again.gen }, built, '')).toBe(false);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${batch_id}::uuid`)).toBe(0);
    // The next round builds it from the current state, which a fresh build agrees with.
    expect(await buildDue(t.database.db)).toMatchObject({ built: 1, failed: 0 });
    const stored = await t.database.db
      .selectFrom('public_trace')
      .select('etag')
      .where('batch_id', '=', batch_id)
      .executeTakeFirstOrThrow();
    expect(stored.etag).toBe((await renderPublicDoc(t.database.db, batch_id)).etag);
  });

  it('answers a lookup while a build holds the slot (the placeholder is never served)', async () => {
    const { batchId, url: lookupUrl } = await activeCode('desc');
    const want = await t.req(null, { method: 'GET', url: lookupUrl });
    await sql`DELETE FROM public_trace WHERE batch_id = ${batchId}::uuid`.execute(t.database.db);
    const due = await t.database.db
      .selectFrom('public_trace_due')
      .select(['batch_id', 'gen'])
      .where('batch_id', '=', batchId)
      .executeTakeFirstOrThrow();
    expect(await takeSlot(t.database.db, due)).toBe('');
    const got = await t.req(null, { method: 'GET', url: lookupUrl });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual(want.json());
    expect(got.headers.etag).toBe(want.headers.etag);
    // The scan built the real document in the slot; the builder keeps it and leaves the queue.
    expect(await buildDue(t.database.db)).toMatchObject({ failed: 0 });
    expect(await count(sql`SELECT count(*) AS n FROM public_trace_due`)).toBe(0);
    expect(
      await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${batchId}::uuid AND etag <> ''`),
    ).toBe(1);
  });

  it('replaces a document a scan stored from before a change once its batch is due, and tells the resolver', async () => {
    const { batchId, url } = await activeCode();
    const fresh = await t.req(null, { method: 'GET', url });
    // What a scan racing a change would leave: a document from before it (here: no origins), the batch still due.
    const stale = JSON.stringify({ ...(await renderPublicDoc(t.database.db, batchId)).doc, origins: [] });
    await sql`UPDATE public_trace SET doc = ${stale}::jsonb, etag = 'stale-etag' WHERE batch_id = ${batchId}::uuid`.execute(
      t.database.db,
    );
    await sql`SELECT public_trace_enqueue(ARRAY[${batchId}::uuid])`.execute(t.database.db);
    // Every process's memory drops the batch's document (as after a delete) and the next scan serves the stale one.
    await sql`SELECT pg_notify('suyuan_public', ${`b${batchId}`})`.execute(t.database.db);
    const before = await t.req(null, { method: 'GET', url });
    expect(before.headers.etag).toContain('stale-etag');
    // A scan's build does not overwrite a document; the builder does, and the resolver drops what it held.
    await publicDocOf(t.database.db, batchId, null);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace WHERE etag = 'stale-etag'`)).toBe(1);
    expect(await buildDue(t.database.db)).toMatchObject({ built: 1, failed: 0 });
    const got = await t.req(null, { method: 'GET', url });
    expect(got.headers.etag).toBe(fresh.headers.etag);
    expect(got.json()).toEqual(fresh.json());
  });

  it('drops a queued batch that no longer exists and builds nothing for it', async () => {
    await sql`INSERT INTO public_trace_due (batch_id) VALUES ('00000000-0000-4000-8000-00000000dead')`.execute(
      t.database.db,
    );
    expect(await buildDue(t.database.db)).toEqual({ built: 0, skipped: 1, failed: 0, waiting: 0, failures: [] });
    expect(await count(sql`SELECT count(*) AS n FROM public_trace_due`)).toBe(0);
  });

  it('leaves a batch whose build fails alone for a growing while, builds the others, and builds it once it can', async () => {
    const batches = (
      await t.database.db.selectFrom('public_trace').select('batch_id').orderBy('batch_id').limit(3).execute()
    ).map((b) => b.batch_id);
    expect(batches).toHaveLength(3);
    const [broken] = batches;
    await sql`DELETE FROM public_trace WHERE batch_id = ANY(${batches}::uuid[])`.execute(t.database.db);
    let now = 1_000_000;
    const failures = new FailedBuilds(2_000, 3_600_000, () => now);
    const render: typeof renderPublicDoc = async (db, id) => {
      if (id === broken) throw new Error('批次数据损坏 batch data damaged');
      return renderPublicDoc(db, id);
    };
    const first = await buildDue(t.database.db, { failures, render });
    expect(first).toMatchObject({ built: 2, failed: 1, waiting: 0 });
    expect(first.failures).toEqual([
      { batchId: broken, err: '批次数据损坏 batch data damaged', fails: 1, retryMs: 2_000 },
    ]);
    // The next rounds, before its delay has passed: not tried (no build, no log line); it stays queued.
    expect(await buildDue(t.database.db, { failures, render })).toMatchObject({ built: 0, failed: 0, waiting: 1 });
    expect(await count(sql`SELECT count(*) AS n FROM public_trace_due WHERE batch_id = ${broken}::uuid`)).toBe(1);
    now += 2_000;
    expect((await buildDue(t.database.db, { failures, render })).failures).toMatchObject([
      { fails: 2, retryMs: 4_000 },
    ]);
    now += 3_999;
    expect(await buildDue(t.database.db, { failures, render })).toMatchObject({ failed: 0, waiting: 1 });
    // Repaired: tried once its delay is over, built, and forgotten.
    now += 1;
    expect(await buildDue(t.database.db, { failures })).toMatchObject({ built: 1, failed: 0, waiting: 0 });
    expect(failures.waiting(broken)).toBe(false);
    expect(
      await count(sql`SELECT count(*) AS n FROM public_trace WHERE batch_id = ${broken}::uuid AND etag <> ''`),
    ).toBe(1);
  });

  it('doubles the delay after each failure in a row, up to an hour', () => {
    let now = 0;
    const f = new FailedBuilds(2_000, 3_600_000, () => now);
    const delays = Array.from({ length: 13 }, () => f.failed('b').retryMs);
    expect(delays).toEqual([2e3, 4e3, 8e3, 16e3, 32e3, 64e3, 128e3, 256e3, 512e3, 1024e3, 2048e3, 3600e3, 3600e3]);
    expect(f.waiting('b')).toBe(true);
    now = 3_600_000;
    expect(f.waiting('b')).toBe(false);
    expect(f.waiting('other')).toBe(false);
    f.failed('b');
    f.built('b');
    expect(f.waiting('b')).toBe(false);
    expect(f.failed('b').fails).toBe(1);
  });

  it('queues the batch of newly issued codes', async () => {
    const { batch_id, subject_id } = await t.database.db
      .selectFrom('trace_code')
      .select(['batch_id', 'subject_id'])
      .where('batch_id', 'is not', null)
      .executeTakeFirstOrThrow();
    await sql`DELETE FROM public_trace WHERE batch_id = ${batch_id}::uuid`.execute(t.database.db);
    await buildDue(t.database.db);
    await sql`DELETE FROM public_trace WHERE batch_id = ${batch_id}::uuid`.execute(t.database.db);
    await sql`DELETE FROM public_trace_due`.execute(t.database.db);
    const next = await count(sql`SELECT coalesce(max(serial), 0) + 1 AS n FROM trace_code WHERE kind = 1`);
    await sql`INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, activated_at)
              VALUES (1, ${next}, 'A', ${subject_id}::uuid, ${batch_id}::uuid, now())`.execute(t.database.db);
    expect(await count(sql`SELECT count(*) AS n FROM public_trace_due WHERE batch_id = ${batch_id}::uuid`)).toBe(1);
  });
});
