import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * Creates the partitions the next months need (audit_log and query_log: China months up to 3 ahead; trace_event: the
 * next block of 25M ids) — `partition_maintain()` of migration 202612100101, run daily by the job
 * `jobs.partitionsAhead`. Creating a partition locks its parent briefly; the lock wait is capped so a long report
 * never queues writers behind this job (it simply runs again the next day, and the DEFAULT partitions take any row
 * that arrives first). Rows of audit_log and query_log that fell into a DEFAULT partition move to their month.
 */
export async function maintainPartitions(db: Kysely<DB>): Promise<{ partitions: number }> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL lock_timeout = '5s'`.execute(tx);
    await sql`SELECT partition_maintain()`.execute(tx);
    const r = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname IN ('audit_log', 'query_log', 'trace_event', 'trace_code') AND p.relnamespace = current_schema()::regnamespace`.execute(
      tx,
    );
    return { partitions: r.rows[0]?.n ?? 0 };
  });
}

/** One month partition of audit_log or query_log: its table and its range [from, to). */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/**
 * The month partitions of `parent` whose whole range ends at or before `cutoff` (an SQL timestamptz expression),
 * oldest first; the DEFAULT partition is never one of them. The bounds are read from the catalogue
 * (`pg_get_expr(relpartbound)` prints them in the session's time zone, with their offset), so a month created by
 * `partition_months` or by hand is found alike.
 */
export async function monthsEndingBy(
  db: Kysely<DB>,
  parent: 'audit_log' | 'query_log',
  cutoff: RawBuilder<unknown>,
): Promise<MonthPartition[]> {
  const r = await sql<MonthPartition>`
    SELECT name, lo AS "from", hi AS "to" FROM (
      SELECT c.relname::text AS name,
             substring(pg_get_expr(c.relpartbound, c.oid) from 'FROM \\(''([^'']+)''\\)')::timestamptz AS lo,
             substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \\(''([^'']+)''\\)')::timestamptz AS hi
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = ${parent}::regclass AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT') b
    WHERE hi <= ${cutoff}
    ORDER BY lo`.execute(db);
  return r.rows;
}

/**
 * Detaches one partition from `parent` and drops it, in the caller's transaction. DETACH takes the parent's
 * ACCESS EXCLUSIVE lock for a moment (CONCURRENTLY is not allowed beside a DEFAULT partition, nor in a transaction);
 * the wait for it is capped at 5 s, so a long report never queues the writers behind this: the caller gets
 * `lock_not_available` (55P03) and tries again another day.
 */
export async function dropPartition(
  tx: Kysely<DB>,
  parent: 'audit_log' | 'query_log',
  partition: MonthPartition,
): Promise<void> {
  if (!tx.isTransaction) throw new Error('dropPartition must run inside a transaction');
  await sql`SET LOCAL lock_timeout = '5s'`.execute(tx);
  await sql`ALTER TABLE ${sql.table(parent)} DETACH PARTITION ${sql.table(partition.name)}`.execute(tx);
  await sql`DROP TABLE ${sql.table(partition.name)}`.execute(tx);
}

/** A lock that could not be had in time (lock_timeout) or a deadlock the server broke: worth trying again later. */
export function isLockConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '55P03' || code === '40P01';
}
