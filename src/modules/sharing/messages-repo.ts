import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { latestSharedRecords } from '../../kernel/sharing.js';
import type { DB } from '../../schema.js';
import type { NetworkMessageTable } from './tables.js';

export type MessageRow = Selectable<NetworkMessageTable>;

/** Stores messages once by id; returns the ids that were new. */
export async function insertMessages(db: Kysely<DB>, rows: Insertable<NetworkMessageTable>[]) {
  if (!rows.length) return new Set<string>();
  const got = await db
    .insertInto('network_message')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(got.map((r) => r.id));
}

/** Messages waiting for a hop ('up' or a lower platform's id), oldest first. */
export const waiting = (db: Kysely<DB>, hop: string, limit = 200) =>
  db
    .selectFrom('network_message')
    .selectAll()
    .where('next_hop', '=', hop)
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();

/** The next hop took these messages (its acknowledgement). */
export async function markSent(db: Kysely<DB>, hop: string, ids: readonly string[]) {
  if (!ids.length) return;
  await db
    .updateTable('network_message')
    .set({ sent_at: new Date() })
    .where('next_hop', '=', hop)
    .where('id', 'in', ids)
    .where('sent_at', 'is', null)
    .execute();
}

/** Messages received from the upper platform, not yet acknowledged to it. */
export const toAck = (db: Kysely<DB>, limit = 500) =>
  db
    .selectFrom('network_message')
    .select('id')
    .where('from_upper', '=', true)
    .where('acked_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();

export async function markAcked(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return;
  await db.updateTable('network_message').set({ acked_at: new Date() }).where('id', 'in', ids).execute();
}

/** Resent by the upper platform (our acknowledgement was lost): acknowledge again. */
export async function unack(db: Kysely<DB>, ids: readonly string[]) {
  if (!ids.length) return;
  await db
    .updateTable('network_message')
    .set({ acked_at: null })
    .where('id', 'in', ids)
    .where('from_upper', '=', true)
    .execute();
}

export async function markHandled(db: Kysely<DB>, id: string, error: string | null) {
  await db.updateTable('network_message').set({ handled_at: new Date(), error }).where('id', '=', id).execute();
}

export const savepoint = (db: Kysely<DB>) => sql`SAVEPOINT network_message`.execute(db);
export const rollbackToSavepoint = (db: Kysely<DB>) => sql`ROLLBACK TO SAVEPOINT network_message`.execute(db);
export const releaseSavepoint = (db: Kysely<DB>) => sql`RELEASE SAVEPOINT network_message`.execute(db);

/** The approved lower connections (platform id and region), longest region first. */
export const approvedLower = (db: Kysely<DB>) =>
  db
    .selectFrom('platform_connection')
    .select(['platform_id', 'region'])
    .where('direction', '=', 'lower')
    .where('status', '=', 'approved')
    .orderBy(sql`length(region)`, 'desc')
    .execute();

/** The latest shared-in version of the approved subject with this identity code (national's registry). */
export const sharedSubjectByIdentity = (db: Kysely<DB>, identityCode: string) =>
  latestSharedRecords(db, 'subject', '')
    .select(['r.record_id', 'r.origin_platform', 'r.division_code', 'r.payload'])
    .where(sql<string>`r.payload->>'identityCode'`, '=', identityCode)
    .where(sql<string>`r.payload->>'status'`, 'in', ['approved', 'change_pending'])
    .orderBy('r.received_at', 'desc')
    .executeTakeFirst();

/** A subject registered on this platform, approved, by identity code. */
export const ownSubjectByIdentity = (db: Kysely<DB>, identityCode: string) =>
  db
    .selectFrom('subject')
    .select(['id', 'name', 'division_code'])
    .where('identity_code', '=', identityCode)
    .where('status', 'in', ['approved', 'change_pending'])
    .executeTakeFirst();
