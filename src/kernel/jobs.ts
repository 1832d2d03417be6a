import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { TSchema } from 'typebox';
import type { Config } from '../config.js';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';

/**
 * Background jobs. A module registers a handler per job kind; `enqueue` adds a row in the caller's transaction (so
 * a job exists only if the write that asked for it commits); the runner claims due jobs with SKIP LOCKED, reports
 * progress (shown as a progress bar through `getJob`), and stores the result or the error. Recurring work
 * (`every`) is enqueued on a timer unless one of the kind is already queued or running.
 *
 * Long work and the embedded database (issue 12 item 13): on PGlite every request shares one connection, so
 *  - asking again for the same job (same kind, parameters and requester) while it is queued or running returns the
 *    job already there (`dedupe_key`, a partial unique index) — ten clicks make one patrol, not ten;
 *  - at most `config.jobConcurrency` jobs run at once in a process (default 1 on PGlite, 2 on PostgreSQL);
 *  - handlers work in pages, each a short query or transaction, and call `job.yield()` between pages, so health
 *    checks and public lookups waiting for the connection get their turn (see the origin patrol and the exports).
 */
export interface JobContext {
  db: Kysely<DB>;
  config: Config;
  payload: Record<string, unknown>;
  jobId: string;
  createdBy: string | null;
  /** Records progress (units done of total). Cheap enough to call every few hundred units. */
  progress(done: number, total?: number): Promise<void>;
}

/** Lets queries queued behind a job's page (health, public lookups) have the connection before the next page. */
export function yieldToRequests(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

let running = 0;
/** Jobs running now in this process (health answers from its last probe while one holds the connection). */
export function runningJobs(): number {
  return running;
}

/** JSON with sorted keys: the same parameters make the same key whatever their order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
export function dedupeKey(kind: string, createdBy: string | null, payload: Record<string, unknown>): string {
  return createHash('sha256')
    .update(`${kind}\n${createdBy ?? ''}\n${canonical(payload)}`)
    .digest('hex');
}
export type JobHandler = (job: JobContext) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();
const recurring = new Map<string, number>();
const results = new Map<string, TSchema>();

export interface JobDef {
  run: JobHandler;
  /** Recurring: enqueued on a timer every this many milliseconds. */
  everyMs?: number;
  /** Schema of what `run` returns: types the kind's `result` in `getJob` and the OpenAPI document. */
  result?: TSchema;
}

/** Kernel-internal: modules declare jobs in their ModuleDef (`jobs`), and only `installModules` calls this. */
export function registerJob(
  kind: string,
  handler: JobHandler,
  opts: { everyMs?: number; result?: TSchema } = {},
): void {
  handlers.set(kind, handler);
  if (opts.everyMs) recurring.set(kind, opts.everyMs);
  if (opts.result) results.set(kind, opts.result);
}

/** Result schemas of the registered job kinds that declare one. */
export function jobResultSchemas(): ReadonlyMap<string, TSchema> {
  return results;
}

/**
 * Queues a job. Unless `dedupe: false`, the same kind with the same parameters by the same requester while one is
 * queued or running returns that job (`deduplicated: true`) instead of queueing another.
 */
export async function enqueue(
  ctx: Ctx<Actor | null>,
  kind: string,
  payload: Record<string, unknown>,
  opts: { runAt?: Date; divisionCode?: string; dedupe?: boolean } = {},
): Promise<{ id: string; kind: string; status: string; deduplicated: boolean }> {
  if (!handlers.has(kind)) throw new Error(`no handler registered for job kind ${kind}`);
  const createdBy = ctx.actor?.id ?? null;
  const key = opts.dedupe === false ? null : dedupeKey(kind, createdBy, payload);
  return insertJob(ctx.db, {
    kind,
    payload,
    runAt: opts.runAt ?? new Date(),
    createdBy,
    divisionCode: opts.divisionCode ?? ctx.actor?.scope ?? '',
    key,
  });
}

async function insertJob(
  db: Kysely<DB>,
  j: {
    kind: string;
    payload: Record<string, unknown>;
    runAt: Date;
    createdBy: string | null;
    divisionCode: string;
    key: string | null;
  },
): Promise<{ id: string; kind: string; status: string; deduplicated: boolean }> {
  // Twice at most: the job found by its key may finish between the refused insert and the read.
  for (let attempt = 0; ; attempt++) {
    const row = await db
      .insertInto('job')
      .values({
        kind: j.kind,
        payload: JSON.stringify(j.payload),
        run_at: j.runAt,
        created_by: j.createdBy,
        division_code: j.divisionCode,
        total: null,
        result: null,
        error: null,
        dedupe_key: j.key,
      })
      .onConflict((oc) => oc.column('dedupe_key').where('status', 'in', ['queued', 'running']).doNothing())
      .returning(['id', 'kind', 'status'])
      .executeTakeFirst();
    if (row) return { ...row, deduplicated: false };
    const existing = await db
      .selectFrom('job')
      .select(['id', 'kind', 'status'])
      .where('dedupe_key', '=', j.key)
      .where('status', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (existing) return { ...existing, deduplicated: true };
    if (attempt > 2) throw new Error(`could not queue job ${j.kind}`);
  }
}

/** Claims and runs one due job; returns false when none is due. */
export async function runOne(db: Kysely<DB>, config: Config): Promise<boolean> {
  const kinds = [...handlers.keys()];
  if (!kinds.length) return false;
  const job = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('job')
      .selectAll()
      .where('status', '=', 'queued')
      // Due by the database's clock: a job queued by SQL (default now(), microseconds) could otherwise look a
      // fraction of a millisecond in the future to this process's millisecond clock and be skipped by `drain`.
      .where('run_at', '<=', sql<Date>`now()`)
      .where('kind', 'in', kinds)
      .orderBy('run_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return undefined;
    await trx
      .updateTable('job')
      .set({ status: 'running', attempts: row.attempts + 1, updated_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    return row;
  });
  if (!job) return false;
  const handler = handlers.get(job.kind) as JobHandler;
  running++;
  try {
    const result = await handler({
      db,
      config,
      payload: job.payload as Record<string, unknown>,
      jobId: job.id,
      createdBy: job.created_by,
      progress: async (done, total) => {
        await db
          .updateTable('job')
          .set({ progress: done, ...(total !== undefined ? { total } : {}), updated_at: new Date() })
          .where('id', '=', job.id)
          .execute();
      },
    });
    await db
      .updateTable('job')
      .set({ status: 'done', result: JSON.stringify(result ?? null), updated_at: new Date() })
      .where('id', '=', job.id)
      .execute();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db
      .updateTable('job')
      .set({ status: 'failed', error: message.slice(0, 2000), updated_at: new Date() })
      .where('id', '=', job.id)
      .execute();
  } finally {
    running--;
  }
  return true;
}

/** Runs due jobs until none is left (tests and the CLI use this to run jobs synchronously). */
export async function drain(db: Kysely<DB>, config: Config): Promise<number> {
  let n = 0;
  while (await runOne(db, config)) n++;
  return n;
}

/**
 * Starts the polling worker — `config.jobConcurrency` lanes, each running due jobs one after another — and the
 * recurring schedules; returns a stop function that waits for the running jobs.
 */
export function startWorker(
  db: Kysely<DB>,
  config: Config,
  log: { error: (o: object, m: string) => void },
  pollMs = 1000,
): () => Promise<void> {
  let stopped = false;
  const lanes: (Promise<unknown> | null)[] = Array.from({ length: Math.max(1, config.jobConcurrency) }, () => null);
  let scheduling: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    lanes.forEach((lane, i) => {
      if (lane || stopped) return;
      lanes[i] = (async () => {
        while (!stopped && (await runOne(db, config))) {}
      })()
        .catch((err) => log.error({ err }, 'job runner failed'))
        .finally(() => {
          lanes[i] = null;
        });
    });
  }, pollMs);
  const timers = [...recurring].map(([kind, every]) =>
    setInterval(() => {
      scheduling = scheduling
        .then(() =>
          insertJob(db, {
            kind,
            payload: {},
            runAt: new Date(),
            createdBy: null,
            divisionCode: '',
            key: `recurring:${kind}`,
          }),
        )
        .catch((err) => log.error({ err, kind }, 'could not schedule recurring job'));
    }, every),
  );
  return async () => {
    stopped = true;
    clearInterval(timer);
    for (const t of timers) clearInterval(t);
    await Promise.all([scheduling, ...lanes]);
  };
}

/** One job row (the job table is the kernel's; imports read their own job's progress and result through this). */
export async function getJob(db: Kysely<DB>, id: string) {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}
