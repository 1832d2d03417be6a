import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';

export function byId(db: Kysely<DB>, id: string) {
  return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
}
