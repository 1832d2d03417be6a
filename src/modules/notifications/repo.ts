import type { Insertable, Kysely } from 'kysely';
import type { DB, NotificationTable } from '../../schema.js';

export const insertMany = async (db: Kysely<DB>, rows: Insertable<NotificationTable>[]) => {
  if (rows.length) await db.insertInto('notification').values(rows).execute();
};

const mine = (db: Kysely<DB>, orgId: string, accountId: string) =>
  db.selectFrom('notification').where((eb) => eb.or([eb('recipient_org_id', '=', orgId), eb('recipient_account_id', '=', accountId)]));

export async function list(db: Kysely<DB>, orgId: string, accountId: string, f: { unread?: boolean; limit: number; offset: number }) {
  let q = mine(db, orgId, accountId);
  if (f.unread) q = q.where('read_at', 'is', null);
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export const unreadCount = async (db: Kysely<DB>, orgId: string, accountId: string) =>
  Number((await mine(db, orgId, accountId).where('read_at', 'is', null).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export const byId = (db: Kysely<DB>, id: string) => db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();

export const markRead = (db: Kysely<DB>, ids: string[]) =>
  ids.length ? db.updateTable('notification').set({ read_at: new Date() }).where('id', 'in', ids).where('read_at', 'is', null).execute() : Promise.resolve();

export const markAllRead = (db: Kysely<DB>, orgId: string, accountId: string) =>
  db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where((eb) => eb.or([eb('recipient_org_id', '=', orgId), eb('recipient_account_id', '=', accountId)]))
    .where('read_at', 'is', null)
    .executeTakeFirst();
