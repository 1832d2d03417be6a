import type { Insertable, Kysely } from 'kysely';
import type { DB, NotificationTable } from '../../schema.js';

export function insert(db: Kysely<DB>, rows: Insertable<NotificationTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('notification').values(rows).returning('id').execute();
}

/** Notifications addressed to the account or to its organisation, newest first. */
export function listFor(db: Kysely<DB>, accountId: string, orgId: string, unreadOnly: boolean, limit: number) {
  let q = db
    .selectFrom('notification')
    .selectAll()
    .where((eb) => eb.or([eb('recipient_account', '=', accountId), eb('recipient_org', '=', orgId)]));
  if (unreadOnly) q = q.where('read_at', 'is', null);
  return q.orderBy('created_at', 'desc').limit(limit).execute();
}

export function countUnread(db: Kysely<DB>, accountId: string, orgId: string) {
  return db
    .selectFrom('notification')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('recipient_account', '=', accountId), eb('recipient_org', '=', orgId)]))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
}

export function markRead(db: Kysely<DB>, id: string, accountId: string, orgId: string) {
  return db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('recipient_account', '=', accountId), eb('recipient_org', '=', orgId)]))
    .returning('id')
    .executeTakeFirst();
}

/** Active supervision organisations exactly at a division (the recipients of "notify the county"). */
export function supervisionOrgsAt(db: Kysely<DB>, divisionCode: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name'])
    .where('division_code', '=', divisionCode)
    .where('kind', '=', 'supervision')
    .where('status', '=', 'active')
    .execute();
}
