import type { Insertable, Kysely } from 'kysely';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB, NotificationTable } from '../../schema.js';

export const insertMany = async (db: Kysely<DB>, rows: Insertable<NotificationTable>[]) => {
  if (rows.length) await db.insertInto('notification').values(rows).execute();
};

const mine = (db: Kysely<DB>, orgId: string, accountId: string) =>
  db
    .selectFrom('notification')
    .where((eb) => eb.or([eb('recipient_org_id', '=', orgId), eb('recipient_account_id', '=', accountId)]));

export function list(db: Kysely<DB>, orgId: string, accountId: string, f: { unread?: boolean }, p: PageParams) {
  let q = mine(db, orgId, accountId);
  if (f.unread) q = q.where('read_at', 'is', null);
  return paged(q.selectAll().orderBy('created_at', 'desc').orderBy('id'), p);
}

export const unreadCount = async (db: Kysely<DB>, orgId: string, accountId: string) =>
  Number(
    (
      await mine(db, orgId, accountId)
        .where('read_at', 'is', null)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

export const byId = (db: Kysely<DB>, id: string) =>
  db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();

export const markRead = (db: Kysely<DB>, ids: string[]) =>
  ids.length
    ? db
        .updateTable('notification')
        .set({ read_at: new Date() })
        .where('id', 'in', ids)
        .where('read_at', 'is', null)
        .execute()
    : Promise.resolve();

export const markAllRead = (db: Kysely<DB>, orgId: string, accountId: string) =>
  db
    .updateTable('notification')
    .set({ read_at: new Date() })
    .where((eb) => eb.or([eb('recipient_org_id', '=', orgId), eb('recipient_account_id', '=', accountId)]))
    .where('read_at', 'is', null)
    .executeTakeFirst();

/** Organisations of registered subjects (subject id → organisation id). */
export async function orgsOfSubjects(db: Kysely<DB>, subjectIds: string[]) {
  const rows = await db.selectFrom('subject').select(['id', 'org_id']).where('id', 'in', subjectIds).execute();
  return new Map(rows.map((r) => [r.id, r.org_id]));
}

/** Active supervision organisations whose jurisdiction is exactly this division. */
export async function activeSupervisionOrgsAt(db: Kysely<DB>, divisionCode: string) {
  const rows = await db
    .selectFrom('organisation')
    .select('id')
    .where('kind', '=', 'supervision')
    .where('division_code', '=', divisionCode)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => r.id);
}
