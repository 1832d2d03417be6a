import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';
import { type ReadScope, readFilter } from '../catalog/owner.js';
import type { InputUseTable } from './tables.js';

export const insertInputUse = (db: Kysely<DB>, v: Insertable<InputUseTable>) =>
  db.insertInto('input_use').values(v).returningAll().executeTakeFirstOrThrow();

export const listInputUses = (
  db: Kysely<DB>,
  rs: ReadScope,
  q: { baseId?: string; batchId?: string; limit: number; offset: number },
) => {
  let query = db
    .selectFrom('input_use as i')
    .selectAll('i')
    .where((eb) => readFilter(eb, rs, 'i'));
  if (q.baseId) query = query.where('i.base_id', '=', q.baseId);
  if (q.batchId) query = query.where('i.batch_id', '=', q.batchId);
  return query
    .orderBy('i.used_on', 'desc')
    .orderBy(sql`i.created_at`, 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
};

export const inputUseOwner = (db: Kysely<DB>, id: string) =>
  db.selectFrom('input_use').select(['subject_id', 'division_code']).where('id', '=', id).executeTakeFirst();
