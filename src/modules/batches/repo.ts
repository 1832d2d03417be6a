import { type Insertable, type Kysely, sql } from 'kysely';
import type { BatchStatus, BatchTable, DB } from '../../schema.js';
import { type ReadScope, readFilter } from '../catalog/owner.js';

export const insertBatch = (db: Kysely<DB>, v: Insertable<BatchTable>) => db.insertInto('batch').values(v).returning('id').executeTakeFirstOrThrow();
export const setBatchCode = (db: Kysely<DB>, id: string, serial: number) => db.updateTable('batch').set({ code_serial: serial }).where('id', '=', id).execute();

export const countBatchesOn = async (db: Kysely<DB>, subjectId: string, prefix: string) =>
  Number((await db.selectFrom('batch').select((eb) => eb.fn.countAll<number>().as('n')).where('subject_id', '=', subjectId).where('batch_no', 'like', `${prefix}%`).executeTakeFirstOrThrow()).n);
export const batchNoTaken = async (db: Kysely<DB>, subjectId: string, no: string) =>
  !!(await db.selectFrom('batch').select('id').where('subject_id', '=', subjectId).where('batch_no', '=', no).executeTakeFirst());

function batchQuery(db: Kysely<DB>) {
  return db
    .selectFrom('batch as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .leftJoin('base as s', 's.id', 'b.base_id')
    .innerJoin('subject as sub', 'sub.id', 'b.subject_id')
    .selectAll('b')
    .select(['p.name as product_name', 's.name as base_name', 's.address as base_address', 'sub.name as subject_name', 'sub.contact_phone as subject_phone', 'sub.contact_name as subject_contact']);
}
export type BatchRow = NonNullable<Awaited<ReturnType<typeof batchById>>>;

export const batchById = (db: Kysely<DB>, id: string) => batchQuery(db).where('b.id', '=', id).executeTakeFirst();

export async function listBatches(db: Kysely<DB>, rs: ReadScope, f: { status?: BatchStatus; productId?: string; limit: number; offset: number }) {
  let q = batchQuery(db).where((eb) => readFilter(eb, rs, 'b'));
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.productId) q = q.where('b.product_id', '=', f.productId);
  const rows = await q.orderBy('b.created_at', 'desc').limit(f.limit).offset(f.offset).execute();
  let c = db.selectFrom('batch as b').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => readFilter(eb, rs, 'b'));
  if (f.status) c = c.where('b.status', '=', f.status);
  if (f.productId) c = c.where('b.product_id', '=', f.productId);
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

export const eventsOf = (db: Kysely<DB>, batchId: string) =>
  db.selectFrom('trace_event').selectAll().where('batch_id', '=', batchId).orderBy('id').limit(500).execute();

/** Inputs used on the base whose safety interval covers `at` (used on or before it, interval not yet over). */
export const inputsInsideInterval = (db: Kysely<DB>, baseId: string, at: Date) =>
  db
    .selectFrom('input_use')
    .select(['id', 'name', 'used_on', 'safety_days'])
    .where('base_id', '=', baseId)
    .where('safety_days', '>', 0)
    .where('used_on', '<=', sql<string>`(${at}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`)
    .where(sql<boolean>`used_on + safety_days > (${at}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date`)
    .orderBy('used_on', 'desc')
    .execute();
