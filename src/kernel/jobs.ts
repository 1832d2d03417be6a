import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';

/**
 * Background jobs. A module registers a handler per job kind; `enqueue` adds a row in the caller's transaction (so
 * a job exists only if the write that asked for it commits); the runner claims due jobs with SKIP LOCKED, reports
 * progress (shown as a progress bar through `getJob`), and stores the result or the error. Recurring work
 * (`every`) is enqueued on a timer unless one of the kind is already queued or running.
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
export type JobHandler = (job: JobContext) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();
const recurring = new Map<string, number>();

export function registerJob(kind: string, handler: JobHandler, opts: { everyMs?: number } = {}): void {
  handlers.set(kind, handler);
  if (opts.everyMs) recurring.set(kind, opts.everyMs);
}

export async function enqueue(ctx: Ctx<Actor | null>, kind: string, payload: Record<string, unknown>, opts: { runAt?: Date; divisionCode?: string } = {}) {
  if (!handlers.has(kind)) throw new Error(`no handler registered for job kind ${kind}`);
  return ctx.db
    .insertInto('job')
    .values({ kind, payload: JSON.stringify(payload), run_at: opts.runAt ?? new Date(), created_by: ctx.actor?.id ?? null, division_code: opts.divisionCode ?? ctx.actor?.scope ?? '', total: null, result: null, error: null })
    .returning(['id', 'kind', 'status'])
    .executeTakeFirstOrThrow();
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
      .where('run_at', '<=', new Date())
      .where('kind', 'in', kinds)
      .orderBy('run_at')
      .limit(1)
      .forUpdate()
      .skipLocked()
      .executeTakeFirst();
    if (!row) return undefined;
    await trx.updateTable('job').set({ status: 'running', attempts: row.attempts + 1, updated_at: new Date() }).where('id', '=', row.id).execute();
    return row;
  });
  if (!job) return false;
  const handler = handlers.get(job.kind) as JobHandler;
  try {
    const result = await handler({
      db,
      config,
      payload: job.payload as Record<string, unknown>,
      jobId: job.id,
      createdBy: job.created_by,
      progress: async (done, total) => {
        await db.updateTable('job').set({ progress: done, ...(total !== undefined ? { total } : {}), updated_at: new Date() }).where('id', '=', job.id).execute();
      },
    });
    await db.updateTable('job').set({ status: 'done', result: JSON.stringify(result ?? null), updated_at: new Date() }).where('id', '=', job.id).execute();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db.updateTable('job').set({ status: 'failed', error: message.slice(0, 2000), updated_at: new Date() }).where('id', '=', job.id).execute();
  }
  return true;
}

/** Runs due jobs until none is left (tests and the CLI use this to run jobs synchronously). */
export async function drain(db: Kysely<DB>, config: Config): Promise<number> {
  let n = 0;
  while (await runOne(db, config)) n++;
  return n;
}

/** Starts the polling worker and recurring schedules; returns a stop function that waits for the running job. */
export function startWorker(db: Kysely<DB>, config: Config, log: { error: (o: object, m: string) => void }, pollMs = 1000): () => Promise<void> {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    while (!stopped && (await runOne(db, config))) {}
  };
  const timer = setInterval(() => {
    current = current.then(tick).catch((err) => log.error({ err }, 'job runner failed'));
  }, pollMs);
  const timers = [...recurring].map(([kind, every]) =>
    setInterval(() => {
      current = current
        .then(async () => {
          const pending = await db.selectFrom('job').select('id').where('kind', '=', kind).where('status', 'in', ['queued', 'running']).executeTakeFirst();
          if (!pending) await db.insertInto('job').values({ kind, payload: '{}', total: null, result: null, error: null, created_by: null }).execute();
        })
        .catch((err) => log.error({ err, kind }, 'could not schedule recurring job'));
    }, every),
  );
  return async () => {
    stopped = true;
    clearInterval(timer);
    for (const t of timers) clearInterval(t);
    await current;
  };
}

export async function getJob(db: Kysely<DB>, id: string) {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}

export const jobDto = (j: NonNullable<Awaited<ReturnType<typeof getJob>>>) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  progress: j.progress,
  total: j.total,
  result: j.result,
  error: j.error,
  createdAt: j.created_at.toISOString(),
  updatedAt: j.updated_at.toISOString(),
});

