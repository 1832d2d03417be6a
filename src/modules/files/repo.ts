import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';

/** Uploads never attached to an owner and older than `before` (at most 1,000 at a time). */
/** Unattached files older than `before` (all), or than `anonymousBefore` when uploaded without an account. */
export function staleUnattached(db: Kysely<DB>, before: Date, anonymousBefore: Date = before) {
  return db
    .selectFrom('stored_file')
    .select('id')
    .where('owner_type', 'is', null)
    .where((eb) =>
      eb.or([
        eb('created_at', '<', before),
        eb.and([eb('created_by', 'is', null), eb('created_at', '<', anonymousBefore)]),
      ]),
    )
    .limit(1000)
    .execute();
}

/** Files and bytes uploaded without an account from one client address since `since`. */
export async function anonymousUploadsSince(db: Kysely<DB>, ip: string, since: Date) {
  const r = await db
    .selectFrom('stored_file')
    .select((eb) => [
      eb.fn.countAll<string>().as('n'),
      eb.fn.coalesce(eb.fn.sum<string>('size'), eb.val('0')).as('bytes'),
    ])
    .where('created_by', 'is', null)
    .where('created_ip', '=', ip)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { files: Number(r.n), bytes: Number(r.bytes) };
}
