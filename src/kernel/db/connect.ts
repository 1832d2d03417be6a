import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../../schema.js';
import { allowLazyCommit } from './lazy-commit.js';
import { type ReadHandle, Replica } from './replica.js';

// int8 (bigint, count(*)) arrive as strings by default; our counts and ids fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string (exact decimals for quantities); date stays 'YYYY-MM-DD' text.
pg.types.setTypeParser(1082, (v) => v);

export const DATABASE_KINDS = ['pglite', 'postgresql'] as const;
export type DatabaseKind = (typeof DATABASE_KINDS)[number];

/** One database handle for the whole process: Kysely plus the means to run a multi-statement script. */
export interface Database {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Runs a multi-statement SQL script (migrations) outside Kysely's prepared statements. */
  exec(script: string): Promise<void>;
  /**
   * PostgreSQL only: a named prepared statement (parsed and planned once per connection), for a few hot read
   * paths where planning dominates (the public trace lookup: ~3.5× the throughput of an unnamed statement).
   * Absent on PGlite; callers fall back to Kysely.
   */
  prepared?<R>(name: string, text: string, values: unknown[]): Promise<R[]>;
  /** PostgreSQL: the connection string (backups hand it to pg_dump). */
  url?: string;
  /** PGlite: the instance (backups dump its data directory). */
  pglite?: PGlite;
  /**
   * LISTEN on a channel (PostgreSQL: a dedicated connection; PGlite: in-process, delivered before the committing
   * statement returns). `onLost` is called if the connection drops (notifications may have been missed).
   */
  listen(channel: string, onMessage: (payload: string) => void, onLost?: () => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL: how many pooled connections have been handed back after running a statement that may write (not a
   * SELECT, nor transaction control, SET or SHOW), so after its commit. The public resolver uses it for
   * read-your-writes within a process (resolver.ts): each counted write costs the next public lookup a wait for a
   * notification round trip, so what cannot change a public answer is not counted (see `logDb`).
   */
  writes?(): number;
  /**
   * Where a read that may be served by the read replica goes (`DATABASE_READ_URL`, replica.ts): the replica when it
   * is usable and has replayed `after` (the session's last commit position), else the primary (read-only when a
   * replica is set). Without a replica: the primary handle itself. Routes use it through `readCtxOf` (kernel/http.ts).
   */
  read(after?: bigint | null): ReadHandle;
  /** PostgreSQL with `DATABASE_READ_URL`: the replica, its lag and where reads went. */
  replica?: Replica;
  /**
   * For writes that never change what a public lookup reads: the query log and its counterfeit upkeep, flushed every
   * second. On PostgreSQL a small pool of its own, so they are not counted by `writes()` (else every flush would make
   * the next lookups wait) and do not queue behind lookups; on PGlite the same as `db`.
   */
  logDb: Kysely<DB>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string;
  /** An already-open PGlite (tests load a migrated template into one). */
  pglite?: PGlite;
  poolSize?: number;
  /** PostgreSQL only: a streaming replica for the reads routes send there (`DATABASE_READ_URL`). */
  readUrl?: string;
  /** Beyond this lag the replica is not used (`DATABASE_READ_MAX_LAG_MS`). */
  maxReadLagMs?: number;
  /** How often the replica's position is polled (ms; default 200). */
  replicaPollMs?: number;
}

/** Statements that never write: reads and transaction control (a job poll is BEGIN, SELECT, COMMIT). */
const READ_ONLY = /^\s*(select|begin|start|commit|end|rollback|abort|savepoint|release|set|show|listen|unlisten)\b/i;

export async function connect(opts: ConnectOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing the process
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    allowLazyCommit(db); // the query records of reads (lazy-commit.ts)
    const logPool = new pg.Pool({ connectionString: opts.databaseUrl, max: 2 });
    logPool.on('error', () => {});
    const logDb = new Kysely<DB>({ dialect: new PostgresDialect({ pool: logPool }) });
    let writes = 0;
    const wrote = new WeakSet<pg.PoolClient>();
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...a: unknown[]) => unknown;
      (client as { query: unknown }).query = (...a: unknown[]) => {
        const text = typeof a[0] === 'string' ? a[0] : (a[0] as { text?: string } | undefined)?.text;
        if (text && !READ_ONLY.test(text)) wrote.add(client);
        return query(...a);
      };
    });
    pool.on('release', (_err, client) => {
      if (wrote.delete(client)) writes++;
    });
    const prepared = async <R>(name: string, text: string, values: unknown[]) =>
      (await pool.query({ name, text, values })).rows as R[];
    const replica = opts.readUrl
      ? new Replica(opts.readUrl, opts.databaseUrl, pool, {
          maxLagMs: opts.maxReadLagMs ?? 10_000,
          pollMs: opts.replicaPollMs,
          poolSize: opts.poolSize,
        })
      : undefined;
    replica?.start();
    const primary: ReadHandle = { db, prepared, replica: false };
    return {
      kind: 'postgresql',
      writes: () => writes,
      replica,
      read: (after) => replica?.read(after ?? null) ?? primary,
      logDb,
      listen: async (channel, onMessage, onLost) => {
        const client = new pg.Client({ connectionString: opts.databaseUrl });
        let closing = false;
        client.on('notification', (n) => {
          if (n.channel === channel) onMessage(n.payload ?? '');
        });
        client.on('error', () => {});
        client.on('end', () => {
          if (!closing) onLost?.();
        });
        await client.connect();
        await client.query(`LISTEN ${channel}`);
        return async () => {
          closing = true;
          await client.end().catch(() => {});
        };
      },
      db,
      url: opts.databaseUrl,
      exec: async (script) => {
        await pool.query(script);
      },
      prepared,
      close: async () => {
        await replica?.close();
        await logDb.destroy();
        await db.destroy();
      },
    };
  }
  let pglite = opts.pglite;
  if (!pglite) {
    const dir = opts.dataDir ?? 'memory://';
    if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create(dir);
  }
  const owned = !opts.pglite;
  const lite = pglite;
  const config = createPgConfig(lite);
  // PGlite's node-postgres connection is shared by the pool's clients and drops its listeners when a client ends; an
  // error it reports then (a protocol error after a failed statement, which has already failed its caller) would be
  // an unhandled 'error' event and end the process. Nobody listening: dropped.
  const conn = config.connection;
  const emit = conn.emit.bind(conn);
  conn.emit = (event: string | symbol, ...args: unknown[]) =>
    event === 'error' && conn.listenerCount('error') === 0 ? false : emit(event, ...args);
  const pool = new pg.Pool(config as unknown as pg.PoolConfig);
  pool.on('error', () => {}); // as for PostgreSQL: surfaces on the next query instead of crashing the process
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const primary: ReadHandle = { db, replica: false };
  return {
    kind: 'pglite',
    db,
    read: () => primary,
    pglite: lite,
    logDb: db,
    exec: async (script) => {
      await lite.exec(script);
    },
    listen: async (channel, onMessage) => {
      const stop = await lite.listen(channel, onMessage);
      return async () => {
        if (!lite.closed) await stop();
      };
    },
    close: async () => {
      await db.destroy();
      if (owned || !lite.closed) await lite.close();
    },
  };
}
