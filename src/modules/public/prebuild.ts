import { type Kysely, sql } from 'kysely';
import { yieldToRequests } from '../../kernel/jobs.js';
import type { DB } from '../../schema.js';
import { renderPublicDoc } from './visibility.js';

/**
 * Public projections built ahead of the first scan (issue 19 item 6). Batches become due in the database
 * (`public_trace_due`, migration 202612100401: codes issued, a certificate, any invalidation of the projection); the
 * primary process builds them here in the background, so a consumer's first scan of a batch reads one stored
 * document instead of building it — the cost the scale bench found growing with the data (a build reads the batch's
 * events and lineage, from disk once the database outgrows memory).
 *
 * Never a stale document: before reading, the builder stores a placeholder projection (JSON null, empty ETag; every
 * reader builds on demand when it meets one, as for a missing row) or notes the ETag of the document already there.
 * Any change to the batch during the build deletes that row — every invalidation trigger is such a delete — and the
 * delete queues the batch again with a new number (`gen`). The document is then stored only if the row is still the
 * one the build started from and the batch still holds its number; otherwise the batch stays queued for the next
 * round. A document already there is rebuilt too when its batch is due: a scan's own build can race a change to a
 * batch that had no row (the change then deletes nothing), so what a scan stored is only trusted once the queue no
 * longer holds its batch; a scan never overwrites a document, only a placeholder (visibility.ts `publicDocOf`).
 * A batch that no longer exists leaves the queue.
 */
const PAGE = 50;
type Due = { batch_id: string; gen: string };

/**
 * Takes the batch's projection slot before reading: '' when it holds a placeholder (stored now, or left by an
 * earlier round), a document's ETag when one is there, null when there is no row (the batch does not exist, or the
 * row went in between).
 */
export async function takeSlot(db: Kysely<DB>, due: Due): Promise<string | null> {
  const held = await sql`INSERT INTO public_trace (batch_id, doc, etag)
                         SELECT id, 'null', '' FROM batch WHERE id = ${due.batch_id}::uuid
                         ON CONFLICT (batch_id) DO NOTHING RETURNING batch_id`.execute(db);
  if (held.rows.length) return '';
  const row = await db
    .selectFrom('public_trace')
    .select('etag')
    .where('batch_id', '=', due.batch_id)
    .executeTakeFirst();
  return row ? row.etag : null;
}

/**
 * Stores a built document in the slot if the slot still holds what the build started from (`held`: '' for the
 * placeholder, else the ETag of the document there) and the batch is still due with the same number — one statement
 * takes the queue row and fills the slot; true when stored. A replaced document is announced to every process's
 * resolver (the notification a delete sends). Otherwise a placeholder goes (its delete queues the batch again,
 * harmlessly) and the batch waits for the next round.
 */
export async function storeIfStillDue(
  db: Kysely<DB>,
  due: Due,
  built: { text: string; etag: string },
  held: string,
): Promise<boolean> {
  const r = await sql<{ batch_id: string }>`
    WITH claimed AS (DELETE FROM public_trace_due WHERE batch_id = ${due.batch_id}::uuid AND gen = ${due.gen}::bigint
                     RETURNING batch_id)
    UPDATE public_trace p SET doc = ${built.text}::jsonb, etag = ${built.etag}, built_at = now()
    FROM claimed c WHERE p.batch_id = c.batch_id AND p.etag = ${held} RETURNING p.batch_id`.execute(db);
  if (r.rows.length) {
    if (held !== '' && held !== built.etag)
      await sql`SELECT pg_notify('suyuan_public', ${`b${due.batch_id}`})`.execute(db);
    return true;
  }
  if (held === '') await sql`DELETE FROM public_trace WHERE batch_id = ${due.batch_id}::uuid AND etag = ''`.execute(db);
  return false;
}

/**
 * Batches whose build failed, each left alone for a while before the next try: 2 s after the first failure, doubling
 * up to an hour. One broken batch then costs a build and a log line an hour, not one every round (`PUBLIC_PREBUILD_MS`);
 * a scan of it still builds on demand meanwhile. In memory: a restart tries every batch again.
 */
export class FailedBuilds {
  private held = new Map<string, { fails: number; until: number }>();
  constructor(
    private firstMs = 2_000,
    private maxMs = 3_600_000,
    private now: () => number = Date.now,
  ) {}

  /** Whether the batch failed recently enough to be skipped now. */
  waiting(batchId: string): boolean {
    const f = this.held.get(batchId);
    return f !== undefined && f.until > this.now();
  }

  /** Notes a failure; answers how many in a row, and the delay before the next try (ms). */
  failed(batchId: string): { fails: number; retryMs: number } {
    const f = this.held.get(batchId) ?? { fails: 0, until: 0 };
    f.fails++;
    const retryMs = Math.min(this.maxMs, this.firstMs * 2 ** (f.fails - 1));
    f.until = this.now() + retryMs;
    this.held.delete(batchId);
    this.held.set(batchId, f);
    // Bounded: the oldest failure is forgotten first (it is then simply tried again).
    if (this.held.size > 100_000) this.held.delete(this.held.keys().next().value as string);
    return { fails: f.fails, retryMs };
  }

  built(batchId: string) {
    this.held.delete(batchId);
  }
}

/** A failed build, as the loop logs it. */
export interface BuildFailure {
  batchId: string;
  err: string;
  fails: number;
  retryMs: number;
}

export async function buildDue(
  db: Kysely<DB>,
  opts: {
    budgetMs?: number;
    stopped?: () => boolean;
    failures?: FailedBuilds;
    /** What builds a document (tests make it fail). */
    render?: typeof renderPublicDoc;
  } = {},
): Promise<{ built: number; skipped: number; failed: number; waiting: number; failures: BuildFailure[] }> {
  const t0 = performance.now();
  const budget = opts.budgetMs ?? Number.POSITIVE_INFINITY;
  const over = () => performance.now() - t0 >= budget || !!opts.stopped?.();
  const render = opts.render ?? renderPublicDoc;
  const done = { built: 0, skipped: 0, failed: 0, waiting: 0, failures: [] as BuildFailure[] };
  let after = '0';
  while (!over()) {
    const page = await db
      .selectFrom('public_trace_due')
      .select(['batch_id', 'gen'])
      .where('gen', '>', after)
      .orderBy('gen')
      .limit(PAGE)
      .execute();
    if (!page.length) break;
    after = page[page.length - 1].gen;
    for (const due of page) {
      if (over()) break;
      if (opts.failures?.waiting(due.batch_id)) {
        done.waiting++;
        continue;
      }
      try {
        const held = await takeSlot(db, due);
        if (held !== null) {
          if (await storeIfStillDue(db, due, await render(db, due.batch_id), held)) {
            done.built++;
            opts.failures?.built(due.batch_id);
          }
        } else if (!(await db.selectFrom('batch').select('id').where('id', '=', due.batch_id).executeTakeFirst())) {
          // No such batch: it leaves the queue (a row that went in between leaves it queued).
          await db
            .deleteFrom('public_trace_due')
            .where('batch_id', '=', due.batch_id)
            .where('gen', '=', due.gen)
            .execute();
          done.skipped++;
        }
      } catch (err) {
        // Left queued (a scan still builds it on demand); tried again once its delay has passed.
        done.failed++;
        const next = opts.failures?.failed(due.batch_id) ?? { fails: 1, retryMs: 0 };
        if (done.failures.length < 20)
          done.failures.push({ batchId: due.batch_id, err: err instanceof Error ? err.message : String(err), ...next });
      }
      await yieldToRequests();
    }
  }
  return done;
}

/**
 * The primary's loop: every `everyMs`, builds what is due (a round gives way after 10 s and resumes at the next
 * tick). Returns a stop function that waits for the build in progress (one batch).
 */
export function startPrebuild(
  db: Kysely<DB>,
  everyMs: number,
  log: { warn(o: object, msg: string): void; info(o: object, msg: string): void },
): () => Promise<void> {
  if (everyMs <= 0) return async () => {};
  let stopped = false;
  let round: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const failures = new FailedBuilds();
  const tick = () => {
    round = buildDue(db, { budgetMs: 10_000, stopped: () => stopped, failures })
      .then(({ failures: failed, ...r }) => {
        for (const f of failed) log.warn(f, 'public document could not be built ahead; retried later');
        if (r.built >= 1000) log.info(r, 'public documents built ahead of their first scan');
      })
      .catch((err) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'public prebuild failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await round;
  };
}
