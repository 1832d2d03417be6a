import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * The database handles whose single-statement commits may skip the wait for the WAL flush
 * (`set_config('synchronous_commit', 'off', true)` inside the statement): PostgreSQL's pool (connect.ts), where the
 * WAL writer flushes such a commit within `wal_writer_delay` (200 ms by default) — a crash of the server inside that
 * window loses it, nothing else does. Not PGlite: single-user, without a WAL writer, such a commit would wait for the
 * next synchronous one or a checkpoint. Used only for the query records of reads (kernel/audit.ts `auditReadSql`).
 */
const lazy = new WeakSet<Kysely<DB>>();

export function allowLazyCommit(db: Kysely<DB>): void {
  lazy.add(db);
}

export function mayCommitLazily(db: Kysely<DB>): boolean {
  return lazy.has(db);
}
