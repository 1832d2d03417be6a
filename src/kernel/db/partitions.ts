import { type Kysely, sql } from 'kysely';
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
