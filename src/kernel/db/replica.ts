import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../../schema.js';

/**
 * Read replica (`DATABASE_READ_URL`, issue 19 item 5): a PostgreSQL streaming standby that serves the reads a route
 * asks for with `readCtxOf` / `publicReadCtxOf` (kernel/http.ts) — public lookups, reports and exports.
 *
 * - **Read-only both ways**: every connection a read handle hands out is opened with
 *   `default_transaction_read_only=on`, on the replica (which refuses writes anyway) and on the primary when a read
 *   falls back to it, so a write on a read path fails (`cannot execute … in a read-only transaction`) wherever it lands.
 * - **Read-your-writes**: after a write request commits, its session learns the primary's WAL position
 *   (`pg_current_wal_lsn()`, kernel/http.ts: a cookie, so it holds across WORKERS and hosts, plus the account in
 *   this process for API-token clients). Its reads go to the primary until the replica has replayed that position
 *   (`pg_last_wal_replay_lsn()`, polled every `pollMs`).
 * - **Lag bound**: each poll also reads the primary's position; the lag is the age of the oldest primary position
 *   the replica has not replayed (0 when idle and caught up). Above `maxLagMs`, or when the replica does not answer,
 *   is not a standby, or refuses a connection, every read goes to the primary (logged once) until a poll finds it
 *   usable again (logged once).
 */

export type Prepared = <R>(name: string, text: string, values: unknown[]) => Promise<R[]>;

/** Where one request's reads go. `replica`: the standby (false: the primary, read-only when a replica is set). */
export interface ReadHandle {
  db: Kysely<DB>;
  prepared?: Prepared;
  replica: boolean;
}

export interface ReplicaLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
}

/** A WAL position `X/Y` (hexadecimal) as a comparable number; null when it is not one. */
export function lsnValue(text: string | null | undefined): bigint | null {
  const m = text ? /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(text) : null;
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null;
}

const READ_ONLY = '-c default_transaction_read_only=on';
/** Connection-level failures (class 08, shutdown 57P, no SQLSTATE: ECONNREFUSED…): the replica is treated as gone. */
const connectionLost = (err: unknown) => {
  const code = (err as { code?: unknown })?.code;
  return typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || /^(08|57P)/.test(code);
};
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ReplicaOptions {
  maxLagMs: number;
  pollMs?: number;
  poolSize?: number;
}

export class Replica {
  /** The replica; a connection it refuses is taken from the read-only primary pool instead. */
  readonly db: Kysely<DB>;
  /** Read-only sessions on the primary: reads that must see recent writes, or while the replica is not usable. */
  readonly primaryRead: Kysely<DB>;
  log: ReplicaLog = { info() {}, warn() {} };
  private replicaPool: pg.Pool;
  private roPool: pg.Pool;
  private state: 'unknown' | 'up' | 'down' = 'unknown';
  private replayed: bigint | null = null;
  /** Primary positions seen by the polls and not yet replayed, oldest first. */
  private pending: { at: number; lsn: bigint }[] = [];
  private lagMs = 0;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  private closed = false;
  private counts = { replica: 0, primary: 0, fallbacks: 0 };
  private polls = 0;
  private readonly pollMs: number;

  constructor(
    url: string,
    primaryUrl: string,
    /** The primary's own (writable) pool: positions are read there. */
    private primary: pg.Pool,
    private opts: ReplicaOptions,
  ) {
    this.pollMs = opts.pollMs ?? 200;
    const max = opts.poolSize ?? 10;
    this.replicaPool = new pg.Pool({
      connectionString: url,
      max,
      options: READ_ONLY,
      application_name: 'suyuan-read',
      connectionTimeoutMillis: 2000,
    });
    this.roPool = new pg.Pool({
      connectionString: primaryUrl,
      max,
      options: READ_ONLY,
      application_name: 'suyuan-read-primary',
    });
    this.replicaPool.on('error', () => {});
    this.roPool.on('error', () => {});
    const fallback = {
      connect: async () => {
        if (this.state !== 'up') {
          this.counts.fallbacks++;
          return this.roPool.connect();
        }
        try {
          return await this.replicaPool.connect();
        } catch (err) {
          this.down('the replica refused a connection', err);
          this.counts.fallbacks++;
          return this.roPool.connect();
        }
      },
      end: async () => {},
    };
    this.db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: fallback as unknown as pg.Pool }) });
    this.primaryRead = new Kysely<DB>({ dialect: new PostgresDialect({ pool: this.roPool }) });
  }

  private readonly replicaPrepared: Prepared = async <R>(name: string, text: string, values: unknown[]) => {
    if (this.state === 'up')
      try {
        return (await this.replicaPool.query({ name, text, values })).rows as R[];
      } catch (err) {
        if (!connectionLost(err)) throw err;
        this.down('the replica stopped answering', err);
      }
    this.counts.fallbacks++;
    return (await this.roPool.query({ name, text, values })).rows as R[];
  };

  private readonly primaryPrepared: Prepared = async <R>(name: string, text: string, values: unknown[]) =>
    (await this.roPool.query({ name, text, values })).rows as R[];

  /** Starts polling the replica's replay position and lag (the first poll at once). */
  start(): void {
    const tick = () => {
      if (this.closed) return;
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.polls++;
        if (!this.closed) this.timer = setTimeout(tick, this.pollMs).unref();
      });
    };
    tick();
  }

  /** Resolves once a poll that started after this call has finished (tests). */
  async polled(): Promise<void> {
    const target = this.polls + 2;
    while (this.polls < target && !this.closed) await new Promise((r) => setTimeout(r, 10));
  }

  /**
   * Where a request's reads go: the replica when it is usable and has replayed `after` (the session's last commit
   * position, if any); else the primary, read-only.
   */
  read(after: bigint | null): ReadHandle {
    if (this.state === 'up' && (after === null || (this.replayed !== null && this.replayed >= after))) {
      this.counts.replica++;
      return { db: this.db, prepared: this.replicaPrepared, replica: true };
    }
    this.counts.primary++;
    return { db: this.primaryRead, prepared: this.primaryPrepared, replica: false };
  }

  /** The primary's current WAL position (after a commit: at or past that commit). */
  async primaryLsn(): Promise<string> {
    return (await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0].lsn;
  }

  private async poll() {
    try {
      const [p, r] = await within(
        Promise.all([
          this.primaryLsn(),
          this.replicaPool.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
        ]),
        Math.max(2000, this.opts.maxLagMs),
      );
      const now = Date.now();
      const primary = lsnValue(p);
      const replayed = lsnValue(r.rows[0]?.lsn);
      if (primary === null || replayed === null)
        return this.down('DATABASE_READ_URL is not a streaming standby (pg_last_wal_replay_lsn() is null)');
      this.replayed = replayed;
      const last = this.pending[this.pending.length - 1];
      if (!last || primary > last.lsn) {
        // Bounded: while the replica stands still the newest entry moves forward instead of growing the list.
        if (this.pending.length >= 1000) last.lsn = primary;
        else this.pending.push({ at: now, lsn: primary });
      }
      while (this.pending.length && this.pending[0].lsn <= replayed) this.pending.shift();
      this.lagMs = this.pending.length ? now - this.pending[0].at : 0;
      if (this.lagMs > this.opts.maxLagMs) this.down(`replication lag above ${this.opts.maxLagMs} ms`);
      else this.up();
    } catch (err) {
      this.down('the replica does not answer', err);
    }
  }

  private down(reason: string, err?: unknown) {
    if (this.state === 'down' || this.closed) return;
    this.state = 'down';
    this.log.warn(
      { reason, lagMs: this.lagMs, err: err instanceof Error ? err.message : undefined },
      'read replica not used: reads go to the primary',
    );
  }

  private up() {
    if (this.state === 'up' || this.closed) return;
    this.state = 'up';
    this.log.info({ lagMs: this.lagMs }, 'read replica in use');
  }

  /** For tests and the bench: whether the replica is used, its lag, and where reads were sent. */
  stats() {
    return {
      usable: this.state === 'up',
      lagMs: this.lagMs,
      replayed: this.replayed,
      reads: { ...this.counts },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.polling?.catch(() => {});
    await Promise.all([this.db.destroy(), this.primaryRead.destroy()]);
    await Promise.all([this.replicaPool.end().catch(() => {}), this.roPool.end().catch(() => {})]);
  }
}
