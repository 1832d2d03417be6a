import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { Database } from '../../kernel/db/connect.js';
import { publicCtxOf, readOf } from '../../kernel/http.js';
import type { DB } from '../../schema.js';
import type { CachedDoc, LookupSource } from './lookup.js';

/**
 * The public resolver off the database path (issue 19 item 1): what a public lookup needs of a batch code, held in
 * process and kept current by notifications from the database (migration 202612090501_public_resolver_notify.sql).
 *
 * - **Runs of issued codes** (码段): per code kind, sorted runs of consecutive serials sharing status, owner, batch
 *   and issue date — a batch's codes are one run, however many. Built at start by one set-based query (in the
 *   background: until it is done every lookup reads the database); a serial outside every run of a fully loaded kind
 *   was never issued, answered without a query.
 * - **Changes** (notification `c kind:lo:hi`): the runs over lo..hi are cut out at once — that range becomes a hole
 *   whose lookups read the database — and re-read from the database; the runs read replace the hole. A code whose
 *   state differs from its run's (one voided, one activated) is thus a run of its own.
 * - **Documents**: each batch's public projection (`public_trace`), parsed, with its serialised JSON and rendered
 *   HTML, in an LRU of `resolverDocs` batches; dropped when the projection row is deleted (notification `b`), which is
 *   how every invalidation trigger works (recall, risk case, event, edge, certificate, owner, product, base).
 * - **Owners' divisions** (for the query log): filled by cold misses, dropped on notification `s`.
 *
 * Bounded: at most `resolverRuns` runs (beyond, a kind is not fully loaded and a code missing from memory is read
 * from the database and then remembered while there is room) and `resolverDocs` documents.
 *
 * Freshness: PGlite delivers a notification before the committing statement returns, so a write is seen by the
 * next lookup. On PostgreSQL the notification arrives on the listening connection shortly after the commit; within
 * this process, a lookup after a write (a pooled connection handed back after a non-SELECT statement) first waits
 * for a notification it sends itself, which arrives after every notification of earlier commits. Other processes
 * see a change when its notification arrives (milliseconds). A lost listening connection turns the resolver off
 * (every lookup reads the database) and it is rebuilt.
 */

/** What the lookup reads for a code (the database path's `repo.lookup` row, less the projection etag). */
export interface CodeRow {
  status: string;
  issued_at: Date;
  subject_id: string;
  batch_id: string | null;
  division_code: string | null;
}

interface Run {
  lo: number;
  hi: number;
  status: string;
  /** Null for a subject identity code's run (kind 5): consecutive identity codes of different subjects share it. */
  subjectId: string | null;
  batchId: string | null;
  issuedAt: Date;
}

const CHANNEL = 'suyuan_public';
/**
 * Batch code kinds (production, circulation, voucher, temporary), and subject identity codes (5). An identity code's
 * lookup reads its subject's card from the database anyway, so for kind 5 the runs hold only existence, status and
 * issue date (consecutive identity codes of different subjects are one run): enough for a never-issued identity code,
 * the suggestions for a mistyped code (one of whose candidates is often an identity code) and resolveTraceCode.
 */
const KINDS = [1, 2, 3, 4, 5];
const IDENTITY = 5;
const SUBJECTS_MAX = 100_000;
const SYNC_TIMEOUT_MS = 2000;
/** After a failed listen or load: first retry delay, doubled up to the last. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;

/** Runs of consecutive serials with the same state, owner, batch and Beijing issue date, set-based (one scan). */
async function readRuns(
  db: Kysely<DB>,
  kinds: number[],
  lo: number,
  hi: number,
  limit: number,
): Promise<(Run & { kind: number })[]> {
  const r = await sql<{
    kind: number;
    lo: string;
    hi: string;
    status: string;
    subject_id: string;
    batch_id: string | null;
    issued_at: Date;
  }>`
    SELECT min(kind) AS kind, min(serial) AS lo, max(serial) AS hi, min(status) AS status,
           min(subject_id::text) AS subject_id, min(batch_id::text) AS batch_id, min(issued_at) AS issued_at
    FROM (SELECT *, sum(CASE WHEN same THEN 0 ELSE 1 END) OVER (ORDER BY kind, serial) AS run
          FROM (SELECT c.*, (lag(kind) OVER w = kind AND lag(serial) OVER w = serial - 1
                             AND lag(status) OVER w = status AND lag(subject_id) OVER w IS NOT DISTINCT FROM subject_id
                             AND lag(batch_id) OVER w IS NOT DISTINCT FROM batch_id AND lag(day) OVER w = day) AS same
                FROM (SELECT kind, serial, status, CASE WHEN kind = ${IDENTITY} THEN NULL ELSE subject_id END AS subject_id,
                             batch_id, issued_at,
                             ((issued_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day
                      FROM trace_code
                      WHERE kind = ANY(${kinds}::smallint[]) AND serial BETWEEN ${lo} AND ${hi}) c
                WINDOW w AS (ORDER BY kind, serial)) x) y
    GROUP BY run ORDER BY 1, 2 LIMIT ${limit + 1}`.execute(db);
  return r.rows.map((x) => ({
    kind: Number(x.kind),
    lo: Number(x.lo),
    hi: Number(x.hi),
    status: x.status,
    subjectId: x.subject_id,
    batchId: x.batch_id,
    issuedAt: x.issued_at,
  }));
}

/** The runs of `runs` outside lo..hi (a run across an end is cut), in order. */
function cut(runs: Run[], lo: number, hi: number): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.hi < lo || r.lo > hi) out.push(r);
    else {
      if (r.lo < lo) out.push({ ...r, hi: lo - 1 });
      if (r.hi > hi) out.push({ ...r, lo: hi + 1 });
    }
  }
  return out;
}

/** The run holding `serial` (binary search over runs sorted by `lo`). */
function find(runs: Run[], serial: number): Run | undefined {
  let a = 0;
  let b = runs.length - 1;
  while (a <= b) {
    const m = (a + b) >> 1;
    const r = runs[m];
    if (serial < r.lo) b = m - 1;
    else if (serial > r.hi) a = m + 1;
    else return r;
  }
  return undefined;
}

export class PublicResolver {
  private runs = new Map<number, Run[]>();
  /** Kinds whose every issued code is in `runs` (outside holes): a serial in no run was never issued. */
  private complete = new Set<number>();
  private holes: { kind: number; lo: number; hi: number }[] = [];
  private state: 'off' | 'loading' | 'ready' = 'off';
  private queued: string[] = [];
  private docs = new Map<string, CachedDoc>();
  private divisions = new Map<string, string | null>();
  /** Bumped by every notification: a fill read before one is not kept (it may predate the change). */
  private generation = 0;
  private work: Promise<void> = Promise.resolve();
  private unlisten?: () => Promise<void>;
  private loading?: Promise<void>;
  private closed = false;
  private loads = 0;
  private synced = 0;
  private syncing?: Promise<void>;
  private tokens = new Map<string, () => void>();
  private token = 0;
  private retryMs: number;
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private database: Database,
    /** `retryMs`: the first delay after a failed listen or load (tests shorten it). */
    private limits: { runs: number; docs: number; retryMs?: number },
    private log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void },
  ) {
    this.retryMs = limits.retryMs ?? RETRY_FIRST_MS;
  }

  get db() {
    return this.database.db;
  }

  /**
   * Listens, then loads the runs in the background (lookups read the database until it is done). If the database
   * cannot be listened to or read (down, or without its tables yet), the failure is logged and retried later, with a
   * growing delay (1 s doubling to a minute); meanwhile every lookup reads the database.
   */
  async start(): Promise<void> {
    if (this.limits.runs <= 0 || this.closed || this.state !== 'off') return;
    this.state = 'loading';
    if (!this.unlisten) {
      try {
        this.unlisten = await this.database.listen(
          CHANNEL,
          (p) => this.onMessage(p),
          () => this.lost(),
        );
      } catch (err) {
        this.state = 'off';
        this.retry(err, 'listening');
        return;
      }
    }
    this.loading = this.load(++this.loads);
  }

  /** Logs a failure and starts again after the current delay (doubled for the next failure). */
  private retry(err: unknown, what: string) {
    if (this.closed) return;
    const ms = this.retryMs;
    this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
    this.log?.warn(
      { err: err instanceof Error ? err.message : String(err), retryMs: ms },
      `public resolver: ${what} failed; lookups read the database until it is retried`,
    );
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.start(), ms);
    this.retryTimer.unref();
  }

  /** Resolves when the initial load has finished (tests, the bench). */
  async ready(): Promise<boolean> {
    await this.loading;
    await this.work;
    return this.state === 'ready';
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.state = 'off';
    await this.loading?.catch(() => {});
    await this.work.catch(() => {});
    await this.unlisten?.().catch(() => {});
  }

  private async load(id: number) {
    const t0 = performance.now();
    try {
      const all = await readRuns(this.db, KINDS, 0, Number.MAX_SAFE_INTEGER, this.limits.runs);
      if (this.closed || id !== this.loads || this.state !== 'loading') return;
      this.runs.clear();
      this.complete.clear();
      for (const k of KINDS) this.runs.set(k, []);
      if (all.length <= this.limits.runs) {
        for (const { kind, ...r } of all) this.runs.get(kind)?.push(r);
        for (const k of KINDS) this.complete.add(k);
      }
      this.state = 'ready';
      this.retryMs = this.limits.retryMs ?? RETRY_FIRST_MS;
      this.log?.info(
        { runs: all.length, complete: this.complete.size > 0, ms: Math.round(performance.now() - t0) },
        'public resolver ready',
      );
      const queued = this.queued;
      this.queued = [];
      for (const p of queued) this.onMessage(p);
    } catch (err) {
      // The listening connection stays: only the load is retried (on PGlite, listening again while the pool is
      // in the middle of a statement corrupts its protocol state).
      if (this.closed || id !== this.loads || this.state !== 'loading') return;
      this.state = 'off';
      this.clear();
      this.retry(err, 'loading the issued codes');
    }
  }

  /** The listening connection dropped (or a sync notification never came back): off, then listened to and loaded again. */
  private lost() {
    if (this.closed) return;
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    void unlisten?.().catch(() => {});
    if (this.state === 'off') return;
    this.state = 'off';
    this.clear();
    this.retry(new Error('notifications may have been missed'), 'the listening connection');
  }

  private clear() {
    this.runs.clear();
    this.complete.clear();
    this.holes = [];
    this.docs.clear();
    this.divisions.clear();
    this.generation++;
  }

  private onMessage(payload: string) {
    const tag = payload[0];
    const body = payload.slice(1);
    if (tag === 'y') {
      this.tokens.get(body)?.();
      return;
    }
    this.generation++;
    if (tag === 'b') {
      if (body === '*') this.docs.clear();
      else for (const id of body.split(',')) this.docs.delete(id);
    } else if (tag === 's') this.divisions.delete(body);
    else if (tag === 'c') {
      if (this.state === 'loading') this.queued.push(payload);
      if (this.state !== 'ready') return;
      for (const part of body.split(',')) {
        const [kind, lo, hi] = part.split(':').map(Number);
        if (!KINDS.includes(kind)) continue;
        const hole = { kind, lo, hi };
        this.holes.push(hole);
        this.runs.set(kind, cut(this.runs.get(kind) ?? [], lo, hi));
        this.work = this.work.then(() => this.refill(hole));
      }
    }
  }

  /** Re-reads the runs of a hole from the database and puts them in its place. */
  private async refill(hole: { kind: number; lo: number; hi: number }) {
    if (this.closed) return;
    const { kind, lo, hi } = hole;
    try {
      const fresh = await readRuns(this.db, [kind], lo, hi, this.limits.runs);
      const merged = [...cut(this.runs.get(kind) ?? [], lo, hi), ...fresh].sort((a, b) => a.lo - b.lo);
      if (this.totalRuns() - (this.runs.get(kind)?.length ?? 0) + merged.length <= this.limits.runs)
        this.runs.set(kind, merged);
      else {
        // Over the bound: the range stays out of memory and the kind is no longer fully known (misses read the database).
        this.complete.delete(kind);
        this.runs.set(kind, cut(this.runs.get(kind) ?? [], lo, hi));
      }
    } catch {
      this.complete.delete(kind);
    }
    this.holes = this.holes.filter((h) => h !== hole);
  }

  private totalRuns() {
    let n = 0;
    for (const rs of this.runs.values()) n += rs.length;
    return n;
  }

  /**
   * Read-your-writes within this process on PostgreSQL: after a write committed through the pool, waits until the
   * listening connection has received a notification sent after it (so every earlier commit's has arrived too).
   */
  async fresh(): Promise<void> {
    const writes = this.database.writes;
    if (!writes || this.state !== 'ready') return;
    while (writes() > this.synced && this.state === 'ready') {
      this.syncing ??= this.sync().finally(() => {
        this.syncing = undefined;
      });
      await this.syncing;
    }
  }

  private async sync() {
    const upTo = this.database.writes?.() ?? 0;
    const id = String(++this.token);
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      this.tokens.set(id, () => resolve(true));
      timer = setTimeout(() => resolve(false), SYNC_TIMEOUT_MS);
    });
    try {
      await sql`SELECT pg_notify(${CHANNEL}, ${`y${id}`})`.execute(this.db);
      if (!(await arrived)) this.lost();
    } catch {
      this.lost();
    } finally {
      clearTimeout(timer);
      this.tokens.delete(id);
    }
    this.synced = Math.max(this.synced, upTo);
  }

  /**
   * Whether what a lookup reads is kept in memory (the resolver is ready): such reads go to the primary, whose
   * notifications keep memory current; otherwise (loading, off, lost connection) a lookup may read the replica.
   */
  fills(): boolean {
    return this.state === 'ready';
  }

  /** A fill's ticket: taken before reading the database, so a notification in between voids the fill. */
  mark(): number {
    return this.generation;
  }

  private inHole(kind: number, serial: number) {
    for (const h of this.holes) if (h.kind === kind && serial >= h.lo && serial <= h.hi) return true;
    return false;
  }

  /** The code from memory: its row, null when never issued, undefined when memory cannot tell (read the database). */
  code(kind: number, serial: number): CodeRow | null | undefined {
    if (this.state !== 'ready' || this.inHole(kind, serial)) return undefined;
    const runs = this.runs.get(kind);
    if (!runs) return undefined;
    const r = find(runs, serial);
    if (!r) return this.complete.has(kind) ? null : undefined;
    if (r.subjectId === null) return undefined; // an identity code: its subject is read from the database
    const division = this.divisions.get(r.subjectId);
    if (division === undefined) return undefined;
    return {
      status: r.status,
      issued_at: r.issuedAt,
      subject_id: r.subjectId,
      batch_id: r.batchId,
      division_code: division,
    };
  }

  /** A code's status and issue time from memory (no owner needed): null when never issued, undefined when unknown. */
  status(kind: number, serial: number): { status: string; issued_at: Date } | null | undefined {
    if (this.state !== 'ready' || this.inHole(kind, serial)) return undefined;
    const runs = this.runs.get(kind);
    if (!runs) return undefined;
    const r = find(runs, serial);
    if (!r) return this.complete.has(kind) ? null : undefined;
    return { status: r.status, issued_at: r.issuedAt };
  }

  /** Remembers what a cold miss read from the database (unless a notification came in between). */
  learn(ticket: number, kind: number, serial: number, row: CodeRow | undefined) {
    if (!row || ticket !== this.generation || this.state !== 'ready' || this.inHole(kind, serial)) return;
    if (this.divisions.size >= SUBJECTS_MAX) this.divisions.clear();
    this.divisions.set(row.subject_id, row.division_code);
    const runs = this.runs.get(kind);
    if (!runs || this.complete.has(kind) || find(runs, serial)) return;
    if (this.totalRuns() >= this.limits.runs) return;
    const run: Run = {
      lo: serial,
      hi: serial,
      status: row.status,
      subjectId: row.subject_id,
      batchId: row.batch_id,
      issuedAt: row.issued_at,
    };
    let i = runs.length;
    while (i > 0 && runs[i - 1].lo > serial) i--;
    runs.splice(i, 0, run);
  }

  /** Which of these codes exist and are not void, as the database path's `existingKeys` orders them; undefined: ask it. */
  existing(keys: { kind: number; serial: number }[]): { kind: number; serial: number }[] | undefined {
    const found: { kind: number; serial: number; active: boolean }[] = [];
    for (const k of keys) {
      if (!this.complete.has(k.kind)) return undefined;
      const row = this.code(k.kind, k.serial);
      if (row === undefined) {
        if (this.state !== 'ready' || this.inHole(k.kind, k.serial)) return undefined;
        // Issued (in a run) but the owner's division is not in memory: existence is all that is needed here.
        const r = find(this.runs.get(k.kind) ?? [], k.serial);
        if (r && r.status !== 'V') found.push({ ...k, active: r.status === 'A' });
      } else if (row && row.status !== 'V') found.push({ ...k, active: row.status === 'A' });
    }
    found.sort((a, b) => Number(b.active) - Number(a.active) || a.kind - b.kind || a.serial - b.serial);
    return found.slice(0, 5).map(({ kind, serial }) => ({ kind, serial }));
  }

  /** The batch's public document, if held (valid until its projection is deleted). */
  doc(batchId: string): CachedDoc | undefined {
    if (this.state !== 'ready') return undefined;
    const d = this.docs.get(batchId);
    if (d) {
      // LRU: the most recently used at the end.
      this.docs.delete(batchId);
      this.docs.set(batchId, d);
    }
    return d;
  }

  keepDoc(ticket: number, batchId: string, d: CachedDoc) {
    if (ticket !== this.generation || this.state !== 'ready') return;
    if (this.docs.size >= this.limits.docs) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(batchId, d);
  }

  /** Figures for the bench and tests. */
  stats() {
    return {
      state: this.state,
      runs: this.totalRuns(),
      complete: [...this.complete],
      docs: this.docs.size,
      holes: this.holes.length,
    };
  }
}

/** One resolver per database (the API and page plugins share it), started when the app is ready, closed with it. */
const resolvers = new WeakMap<object, PublicResolver>();

export function resolverOf(app: FastifyInstance): PublicResolver {
  let r = resolvers.get(app.database);
  if (!r) {
    const created = new PublicResolver(
      app.database,
      {
        runs: app.config.publicTrace.resolverRuns,
        docs: app.config.publicTrace.resolverDocs,
      },
      app.log,
    );
    resolvers.set(app.database, created);
    app.addHook('onReady', async () => {
      await created.start();
    });
    app.addHook('onClose', async () => {
      await created.close();
    });
    r = created;
  }
  return r;
}

/**
 * What the public routes read lookups from: the resolver (unless `PUBLIC_RESOLVER_RUNS=0`) over the database. Per
 * request (`of`): the context and source whose database is `readOf(req)` — the read replica when one is set and
 * may serve this session (DATABASE_READ_URL), else the primary — with the primary kept for what fills memory.
 */
export function lookupSourceOf(app: FastifyInstance) {
  const resolver = app.config.publicTrace.resolverRuns > 0 ? resolverOf(app) : undefined;
  const primary = { db: app.database.db, prepared: app.database.prepared };
  return {
    resolver,
    of(req: FastifyRequest): { ctx: Ctx<Actor | null>; src: LookupSource } {
      const read = readOf(req);
      return {
        ctx: { ...publicCtxOf(req), db: read.db, primary: primary.db },
        src: { prepared: read.prepared, resolver, primary },
      };
    },
  };
}
