import type { Kysely } from 'kysely';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';

/** An account's API tokens, newest first (the table is the kernel's; tokens are created and revoked there). */
export function tokensOf(db: Kysely<DB>, accountId: string, p: PageParams) {
  return paged(
    db.selectFrom('api_token').selectAll().where('account_id', '=', accountId).orderBy('created_at', 'desc'),
    p,
  );
}

export function tokenOf(db: Kysely<DB>, accountId: string, id: string) {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}
