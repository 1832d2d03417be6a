import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { Database } from '../../kernel/db/connect.js';
import { publicCtxOf, readOf } from '../../kernel/http.js';
import type { DB } from '../../schema.js';
import type { CachedDoc, LookupSource } from './lookup.js';
import { type Run, RunList, cutRuns } from './runs.js';

/**
 * The public resolver off the database path (issue 19 item 1): what a public lookup needs of a batch code, held in
 * process and kept current by notifications from the database (migration 202612090501_public_resolver_notify.sql).
 *
 * - **Runs of issued codes** (码段): per code kind, sorted runs of consecutive serials sharing status, owner, batch
 *   and issue date — a batch's codes are one run, however many. Built at start in the background, chunk by chunk
 *   (1M serials: one grouping query each, no sort of the codes; `readChunk`), each chunk added when read: a lookup
 *   within what is loaded is answered from memory, beyond it from the database; a serial outside every run of a
 *   loaded range was never issued, answered without a query.
 * - **Changes** (notification `c kind:lo:hi`): the runs over lo..hi are cut out at once — that range becomes a hole
 *   whose lookups read the database — and re-read from the database; the runs read replace the hole. A code whose
 *   state differs from its run's (one voided, one activated) is thus a run of its own.
 * - **Documents**: each batch's public projection (`public_trace`), parsed, with its serialised JSON and rendered
 *   HTML, in an LRU of `resolverDocs` batches; dropped when the projection row is deleted (notification `b`), which is
 *   how every invalidation trigger works (recall, risk case, event, edge, certificate, owner, product, base).
 * - **Owners' divisions** (for the query log): filled by cold misses, dropped on notification `s`.
 *
 * Runs are held in columns (runs.ts: 58 bytes a run; 100 million codes in a million runs is some 60 MB).
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

export type { Run } from './runs.js';

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
/** Serials per chunk of the start-up load (one grouping query each; memory answers for a chunk once it is in). */
const CHUNK = 1_000_000;
/** Chunks read at once while loading. */
const IN_FLIGHT = 2;
/** A hole this wide or wider is re-read by grouping (readChunk), a narrower one by the window query (readRuns). */
const REFILL_GROUPED = 10_000;
const SYNC_TIMEOUT_MS = 2000;
/** After a failed listen or load: first retry delay, doubled up to the last. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;

/** Beijing day of an issue time (UTC+8, no daylight saving): runs never span two issue days. */
const dayOf = (d: Date) => Math.floor((d.getTime() + 8 * 3_600_000) / 86_400_000);

function sameRun(a: Run, b: Run) {
  return (
    a.status === b.status &&
    a.subjectId === b.subjectId &&
    a.batchId === b.batchId &&
    dayOf(a.issuedAt) === dayOf(b.issuedAt)
  );
}

/** A run as the database returns it. */
export type RunRow = {
  lo: string;
  hi: string;
  status: string;
  subject_id: string | null;
  batch_id: string | null;
  issued_at: Date;
};
const runOf = (x: RunRow): Run => ({
  lo: Number(x.lo),
  hi: Number(x.hi),
  status: x.status,
  subjectId: x.subject_id,
  batchId: x.batch_id,
  issuedAt: x.issued_at,
});

/**
 * Runs of consecutive serials of one kind with the same state, owner, batch and Beijing issue date, within each of
 * the serial ranges `spans` (sorted, disjoint; a run never crosses a span's end): window functions over the codes in
 * key order. Linear in the codes read but heavy per code (each row through two window passes and a grouping), so
 * used for small ranges: holes re-read after a notification and the spans the start-up load could not tell by
 * grouping (readChunk).
 */
async function readRuns(db: Kysely<DB>, kind: number, spans: [number, number][]): Promise<Run[]> {
  if (!spans.length) return [];
  const subject = kind === IDENTITY ? sql`NULL::uuid` : sql`t.subject_id`;
  const r = await sql<RunRow>`
    SELECT min(serial) AS lo, max(serial) AS hi, min(status) AS status,
           min(subject_id::text) AS subject_id, min(batch_id::text) AS batch_id, min(issued_at) AS issued_at
    FROM (SELECT *, sum(CASE WHEN same THEN 0 ELSE 1 END) OVER (PARTITION BY span ORDER BY serial) AS run
          FROM (SELECT c.*, (lag(serial) OVER w = serial - 1 AND lag(status) OVER w = status
                             AND lag(subject_id) OVER w IS NOT DISTINCT FROM subject_id
                             AND lag(batch_id) OVER w IS NOT DISTINCT FROM batch_id AND lag(day) OVER w = day) AS same
                FROM (SELECT s.lo AS span, t.serial, t.status, ${subject} AS subject_id, t.batch_id, t.issued_at,
                             ((t.issued_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day
                      FROM unnest(${spans.map((x) => x[0])}::bigint[], ${spans.map((x) => x[1])}::bigint[]) s (lo, hi)
                      JOIN trace_code t ON t.kind = ${kind} AND t.serial BETWEEN s.lo AND s.hi) c
                WINDOW w AS (PARTITION BY span ORDER BY serial)) x) y
    GROUP BY span, run`.execute(db);
  return r.rows.map(runOf).sort((a, b) => a.lo - b.lo);
}

/**
 * The runs of one kind over lo..hi, read without ordering the codes (issue 19: the one window query over every code
 * took 132 s at 10M codes, most of it a grouping spilled to disk): one hash aggregation groups the codes by status,
 * owner and batch; a group issued on one Beijing day whose count equals its serial span is exactly one run (every
 * serial in it is its own, and a neighbour with the same state would be in the group). Other groups (a batch with a
 * voided or activated code in it, printed codes activated one by one, codes issued over several days) are re-read
 * with the window query over their spans only.
 * One repeatable-read transaction, so both statements see the same codes.
 */
async function readChunk(db: Kysely<DB>, kind: number, lo: number, hi: number): Promise<Run[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      // Transaction-local: no JIT (compiling cost seconds at this size) and room to hash (the old query's grouping
      // spilled 800 MB to disk at 10M codes).
      await sql`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`.execute(trx);
      const subject = kind === IDENTITY ? sql`NULL::uuid` : sql`subject_id`;
      // Not grouped by issue day (a cast per code): a group issued over several days is re-read like one with gaps.
      const groups = await sql<RunRow & { n: string; last_issued: Date }>`
        SELECT min(serial) AS lo, max(serial) AS hi, count(*) AS n, status, ${subject}::text AS subject_id,
               batch_id::text AS batch_id, min(issued_at) AS issued_at, max(issued_at) AS last_issued
        FROM trace_code WHERE kind = ${kind} AND serial BETWEEN ${lo} AND ${hi}
        GROUP BY status, ${subject}, batch_id`.execute(trx);
      const runs: Run[] = [];
      const gaps: [number, number][] = [];
      for (const g of groups.rows) {
        const r = runOf(g);
        if (Number(g.n) === r.hi - r.lo + 1 && dayOf(r.issuedAt) === dayOf(g.last_issued)) runs.push(r);
        else gaps.push([r.lo, r.hi]);
      }
      if (!gaps.length) return runs.sort((a, b) => a.lo - b.lo);
      // Overlapping spans merged; a run without gaps lies wholly inside or outside each span (its serials are all
      // its own), and those inside are read again with the rest of the span.
      gaps.sort((a, b) => a[0] - b[0]);
      const spans: [number, number][] = [];
      for (const [a, b] of gaps) {
        const last = spans[spans.length - 1];
        if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
        else spans.push([a, b]);
      }
      const within = spans.map(([a, b]) => ({ lo: a, hi: b }));
      const outside = runs.filter((r) => !find(within, r.lo));
      return [...outside, ...(await readRuns(trx, kind, spans))].sort((a, b) => a.lo - b.lo);
    });
}

/** The run holding `serial` (binary search over runs sorted by `lo`). */
function find<R extends { lo: number; hi: number }>(runs: R[], serial: number): R | undefined {
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
  /** Per kind, its runs in columns (runs.ts). */
  private runs = new Map<number, RunList>();
  /**
   * Per kind, the serials up to which every issued code is in `runs` (outside holes): a serial up to it in no run
   * was never issued. Grows chunk by chunk while loading; `Number.MAX_SAFE_INTEGER` once the kind is fully loaded.
   */
  private known = new Map<number, number>();
  private holes: { kind: number; lo: number; hi: number }[] = [];
  /** 'loading': listening, runs filled chunk by chunk (memory answers within `known`); 'ready': loaded. */
  private state: 'off' | 'loading' | 'ready' = 'off';
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
    /** `retryMs`: the first delay after a failed listen or load; `chunk`: serials per chunk of the load (tests shorten both). */
    private limits: { runs: number; docs: number; retryMs?: number; chunk?: number },
    private log?: { info(o: object, msg: string): void; warn(o: object, msg: string): void },
  ) {
    this.retryMs = limits.retryMs ?? RETRY_FIRST_MS;
  }

  get db() {
    return this.database.db;
  }

  /**
   * Listens, then loads the runs in the background, chunk by chunk (a lookup beyond what is loaded reads the
   * database; within it, memory answers). If the database
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
    const current = () => !this.closed && id === this.loads && this.state === 'loading';
    try {
      this.runs.clear();
      this.known.clear();
      for (const k of KINDS) this.runs.set(k, new RunList());
      // Chunks in serial order, IN_FLIGHT read at once (on PostgreSQL each on its own connection), each appended
      // when every chunk before it is in, so what is loaded is always a prefix of each kind.
      const chunks: { kind: number; lo: number; hi: number; runs: Promise<Run[]> }[] = [];
      const next = async (kind: number, after: number) => {
        const r = await sql<{ s: string | null }>`
          SELECT min(serial) AS s FROM trace_code WHERE kind = ${kind} AND serial > ${after}`.execute(this.db);
        return r.rows[0].s === null ? undefined : Number(r.rows[0].s);
      };
      const size = this.limits.chunk ?? CHUNK;
      let over = false;
      let count = 0;
      const take = async () => {
        const c = chunks.shift();
        if (!c) return;
        const got = await c.runs;
        if (!current() || over) return;
        if (this.totalRuns() + got.length > this.limits.runs) {
          over = true;
          return;
        }
        this.append(c.kind, got);
        this.known.set(c.kind, c.hi);
        count++;
        // Let requests in between chunks: PGlite answers within the same turn of the event loop, so without this the
        // whole load would hold the process (as the one query before did).
        await new Promise((r) => setImmediate(r));
      };
      try {
        for (const kind of KINDS) {
          // The next issued serial after the last chunk (an index probe): gaps in the serials cost no empty chunks.
          for (let from = await next(kind, 0); from !== undefined && !over; from = await next(kind, from + size - 1)) {
            if (!current()) return;
            const runs = readChunk(this.db, kind, from, from + size - 1);
            runs.catch(() => {}); // awaited in order by take()
            chunks.push({ kind, lo: from, hi: from + size - 1, runs });
            if (chunks.length >= IN_FLIGHT) await take();
          }
          while (chunks.length && !over) await take();
          if (!current()) return;
          if (over) break;
          this.known.set(kind, Number.MAX_SAFE_INTEGER);
        }
      } finally {
        for (const c of chunks) await c.runs.catch(() => {});
      }
      this.state = 'ready';
      this.retryMs = this.limits.retryMs ?? RETRY_FIRST_MS;
      this.log?.info(
        { runs: this.totalRuns(), chunks: count, complete: !over, ms: Math.round(performance.now() - t0) },
        'public resolver ready',
      );
    } catch (err) {
      // The listening connection stays: only the load is retried (on PGlite, listening again while the pool is
      // in the middle of a statement corrupts its protocol state).
      if (!current()) return;
      this.state = 'off';
      this.clear();
      this.retry(err, 'loading the issued codes');
    }
  }

  /**
   * Adds a chunk's runs after those of the kind (chunks come in serial order), less the holes changed since the
   * chunk may have been read (they are re-read after the load); a run continuing the last one across the chunk's
   * start is folded into it, so a kind's runs are those one query over every code would give.
   */
  private append(kind: number, got: Run[]) {
    let add = got;
    for (const h of this.holes) if (h.kind === kind) add = cutRuns(add, h.lo, h.hi);
    const runs = this.runs.get(kind) ?? new RunList();
    const last = runs.last();
    const first = add[0];
    if (last && first && last.hi + 1 === first.lo && sameRun(last, first)) {
      runs.setLast({
        ...last,
        hi: first.hi,
        issuedAt: first.issuedAt < last.issuedAt ? first.issuedAt : last.issuedAt,
      });
      add = add.slice(1);
    }
    runs.insert(add);
    this.runs.set(kind, runs);
  }

  private knownUpTo(kind: number) {
    return this.known.get(kind) ?? 0;
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
    this.known.clear();
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
      if (this.state === 'off') return;
      // While loading, the hole is cut out of what is loaded and out of every chunk still to come, and re-read
      // once the load is done.
      const round = this.loads;
      for (const part of body.split(',')) {
        const [kind, lo, hi] = part.split(':').map(Number);
        if (!KINDS.includes(kind)) continue;
        const hole = { kind, lo, hi };
        this.holes.push(hole);
        this.runs.get(kind)?.cut(lo, hi);
        this.work = this.work.then(async () => {
          await this.loading;
          if (round === this.loads && this.state === 'ready') await this.refill(hole);
        });
      }
    }
  }

  /** Re-reads the runs of a hole from the database and puts them in its place. */
  private async refill(hole: { kind: number; lo: number; hi: number }) {
    if (this.closed) return;
    const { kind, lo, hi } = hole;
    try {
      const fresh =
        hi - lo < REFILL_GROUPED ? await readRuns(this.db, kind, [[lo, hi]]) : await readChunk(this.db, kind, lo, hi);
      const runs = this.runs.get(kind);
      if (!runs) return;
      runs.cut(lo, hi);
      if (this.totalRuns() + fresh.length <= this.limits.runs) runs.insert(fresh);
      // Over the bound: the range stays out of memory and the kind is known only below it (misses read the database).
      else this.known.set(kind, Math.min(this.knownUpTo(kind), lo - 1));
    } catch {
      this.known.set(kind, Math.min(this.knownUpTo(kind), lo - 1));
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
    if (!writes) return;
    while (writes() > this.synced && this.fills()) {
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
   * Whether what a lookup reads is kept in memory (the resolver listens: loading or ready): such reads go to the
   * primary, whose notifications keep memory current; otherwise (off, lost connection) a lookup may read the replica.
   */
  fills(): boolean {
    return this.state !== 'off';
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
    if (this.state === 'off' || this.inHole(kind, serial)) return undefined;
    const runs = this.runs.get(kind);
    if (!runs) return undefined;
    const i = runs.indexOf(serial);
    if (i < 0) return serial <= this.knownUpTo(kind) ? null : undefined;
    const subjectId = runs.subjectOf(i);
    if (subjectId === null) return undefined; // an identity code: its subject is read from the database
    const division = this.divisions.get(subjectId);
    if (division === undefined) return undefined;
    return {
      status: runs.statusOf(i),
      issued_at: runs.issuedOf(i),
      subject_id: subjectId,
      batch_id: runs.batchOf(i),
      division_code: division,
    };
  }

  /** A code's status and issue time from memory (no owner needed): null when never issued, undefined when unknown. */
  status(kind: number, serial: number): { status: string; issued_at: Date } | null | undefined {
    if (this.state === 'off' || this.inHole(kind, serial)) return undefined;
    const runs = this.runs.get(kind);
    if (!runs) return undefined;
    const i = runs.indexOf(serial);
    if (i < 0) return serial <= this.knownUpTo(kind) ? null : undefined;
    return { status: runs.statusOf(i), issued_at: runs.issuedOf(i) };
  }

  /**
   * Remembers what a cold miss read from the database (unless a notification came in between): the owner's
   * division, and once loaded, the code itself when its kind is not fully held (over the bound).
   */
  learn(ticket: number, kind: number, serial: number, row: CodeRow | undefined) {
    if (!row || ticket !== this.generation || this.state === 'off' || this.inHole(kind, serial)) return;
    if (this.divisions.size >= SUBJECTS_MAX) this.divisions.clear();
    this.divisions.set(row.subject_id, row.division_code);
    if (this.state !== 'ready') return; // chunks still to come are appended in order
    const runs = this.runs.get(kind);
    if (!runs || serial <= this.knownUpTo(kind) || runs.indexOf(serial) >= 0) return;
    if (this.totalRuns() >= this.limits.runs) return;
    runs.insert([
      {
        lo: serial,
        hi: serial,
        status: row.status,
        subjectId: row.subject_id,
        batchId: row.batch_id,
        issuedAt: row.issued_at,
      },
    ]);
  }

  /** Which of these codes exist and are not void, as the database path's `existingKeys` orders them; undefined: ask it. */
  existing(keys: { kind: number; serial: number }[]): { kind: number; serial: number }[] | undefined {
    const found: { kind: number; serial: number; active: boolean }[] = [];
    for (const k of keys) {
      if (this.state === 'off' || k.serial > this.knownUpTo(k.kind)) return undefined;
      const row = this.code(k.kind, k.serial);
      if (row === undefined) {
        if (this.inHole(k.kind, k.serial)) return undefined;
        // Issued (in a run) but the owner's division is not in memory: existence is all that is needed here.
        const runs = this.runs.get(k.kind);
        const i = runs ? runs.indexOf(k.serial) : -1;
        const status = runs && i >= 0 ? runs.statusOf(i) : 'V';
        if (status !== 'V') found.push({ ...k, active: status === 'A' });
      } else if (row && row.status !== 'V') found.push({ ...k, active: row.status === 'A' });
    }
    found.sort((a, b) => Number(b.active) - Number(a.active) || a.kind - b.kind || a.serial - b.serial);
    return found.slice(0, 5).map(({ kind, serial }) => ({ kind, serial }));
  }

  /** The batch's public document, if held (valid until its projection is deleted). */
  doc(batchId: string): CachedDoc | undefined {
    if (this.state === 'off') return undefined;
    const d = this.docs.get(batchId);
    if (d) {
      // LRU: the most recently used at the end.
      this.docs.delete(batchId);
      this.docs.set(batchId, d);
    }
    return d;
  }

  keepDoc(ticket: number, batchId: string, d: CachedDoc) {
    if (ticket !== this.generation || this.state === 'off') return;
    if (this.docs.size >= this.limits.docs) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(batchId, d);
  }

  /** A kind's runs as held (tests compare them with the database's). */
  runsOf(kind: number): Run[] {
    return this.runs.get(kind)?.toArray() ?? [];
  }

  /** Figures for the bench and tests. */
  stats() {
    return {
      state: this.state,
      runs: this.totalRuns(),
      /** Bytes the runs' columns reserve (runs.ts). */
      runBytes: [...this.runs.values()].reduce((n, r) => n + r.bytes(), 0),
      complete: KINDS.filter((k) => this.knownUpTo(k) === Number.MAX_SAFE_INTEGER),
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
  // Without a replica every request reads the primary: one source for all of them (issue 19: the hot path).
  const onPrimary: LookupSource = { prepared: primary.prepared, resolver, primary };
  return {
    resolver,
    of(req: FastifyRequest): { ctx: Ctx<Actor | null>; src: LookupSource } {
      const ctx = publicCtxOf(req);
      if (!app.database.replica) return { ctx, src: onPrimary };
      const read = readOf(req);
      ctx.db = read.db;
      ctx.primary = primary.db;
      return { ctx, src: { prepared: read.prepared, resolver, primary } };
    },
  };
}
