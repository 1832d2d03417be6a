import { type Insertable, type Kysely, sql } from 'kysely';
import type { BatchStatus, BatchTable, DB } from '../../schema.js';
import type { PageParams } from '../../kernel/paging.js';
import { pageWithShared, payloadText } from '../../kernel/shared-lists.js';
import { type ReadScope, readFilter } from '../catalog/owner.js';

export const insertBatch = (db: Kysely<DB>, v: Insertable<BatchTable>) =>
  db.insertInto('batch').values(v).returning('id').executeTakeFirstOrThrow();
export const setBatchCode = (db: Kysely<DB>, id: string, serial: number) =>
  db.updateTable('batch').set({ code_serial: serial }).where('id', '=', id).execute();

export const countBatchesOn = async (db: Kysely<DB>, subjectId: string, prefix: string) =>
  Number(
    (
      await db
        .selectFrom('batch')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subject_id', '=', subjectId)
        .where('batch_no', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );
export const batchNoTaken = async (db: Kysely<DB>, subjectId: string, no: string) =>
  !!(await db
    .selectFrom('batch')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('batch_no', '=', no)
    .executeTakeFirst());

function batchQuery(db: Kysely<DB>) {
  return db
    .selectFrom('batch as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .leftJoin('base as s', 's.id', 'b.base_id')
    .innerJoin('subject as sub', 'sub.id', 'b.subject_id')
    .selectAll('b')
    .select([
      'p.name as product_name',
      's.name as base_name',
      's.address as base_address',
      'sub.name as subject_name',
      'sub.contact_phone as subject_phone',
      'sub.contact_name as subject_contact',
      // Under an open recall (the recall module's view): listed as recalled, not as unsold or partly sold.
      sql<boolean>`exists (select 1 from batch_recall_status r where r.batch_id = b.id)`.as('recalled'),
    ]);
}
export type BatchRow = NonNullable<Awaited<ReturnType<typeof batchById>>>;

export const batchById = (db: Kysely<DB>, id: string) => batchQuery(db).where('b.id', '=', id).executeTakeFirst();

export async function listBatches(
  db: Kysely<DB>,
  rs: ReadScope,
  f: { status?: BatchStatus; productId?: string; limit: number; offset: number },
) {
  let q = batchQuery(db).where((eb) => readFilter(eb, rs, 'b'));
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.productId) q = q.where('b.product_id', '=', f.productId);
  const rows = await q.orderBy('b.created_at', 'desc').limit(f.limit).offset(f.offset).execute();
  let c = db
    .selectFrom('batch as b')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => readFilter(eb, rs, 'b'));
  if (f.status) c = c.where('b.status', '=', f.status);
  if (f.productId) c = c.where('b.product_id', '=', f.productId);
  return { rows, total: Number((await c.executeTakeFirstOrThrow()).n) };
}

/**
 * The regulator's list: this platform's batches in the read scope and those shared from lower platforms (信息归集)
 * in `scope`, one page (kernel/shared-lists.ts).
 */
export function listBatchesWithShared(
  db: Kysely<DB>,
  rs: ReadScope,
  scope: string,
  f: { status?: BatchStatus; productId?: string },
  p: PageParams,
) {
  let local = db.selectFrom('batch as b').where((eb) => readFilter(eb, rs, 'b'));
  if (f.status) local = local.where('b.status', '=', f.status);
  if (f.productId) local = local.where('b.product_id', '=', f.productId);
  return pageWithShared(
    db,
    {
      local: local.select([sql<string>`b.id::text`.as('key'), sql<Date>`b.created_at`.as('at')]),
      resource: 'batch',
      scope,
      filter: (q) => {
        let s = q;
        if (f.status) s = s.where(payloadText('status'), '=', f.status);
        if (f.productId) s = s.where(payloadText('productId'), '=', f.productId);
        return s;
      },
      load: (ids) => batchQuery(db).where('b.id', 'in', ids).execute(),
      idOf: (b) => b.id,
    },
    p,
  );
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

export const commissioningEventOf = (db: Kysely<DB>, batchId: string) =>
  db
    .selectFrom('trace_event')
    .select('event_id')
    .where('batch_id', '=', batchId)
    .where('biz_step', '=', 'commissioning')
    .executeTakeFirstOrThrow();

/**
 * The production batches a batch came from (walking trace edges upstream; itself when it is one), with the division
 * and base where they were produced: the true origin of a circulation batch, not the buyer's district.
 */
export async function productionOrigins(db: Kysely<DB>, batchId: string) {
  const r = await sql<{
    id: string;
    division_code: string;
    base_name: string | null;
    base_address: string | null;
    base_division: string | null;
    subject_name: string;
  }>`
    WITH RECURSIVE up(batch_id, depth) AS (
      SELECT ${batchId}::uuid, 0
      UNION
      SELECT e.from_batch, up.depth + 1 FROM trace_edge e JOIN up ON e.to_batch = up.batch_id WHERE up.depth < 50
    )
    SELECT DISTINCT b.id, b.division_code, ba.name AS base_name, ba.address AS base_address,
           ba.division_code AS base_division, s.name AS subject_name, b.produced_at
      FROM up JOIN batch b ON b.id = up.batch_id
      JOIN subject s ON s.id = b.subject_id
      LEFT JOIN base ba ON ba.id = b.base_id
     WHERE b.kind = 'production'
     ORDER BY b.produced_at, b.id
     LIMIT 20`.execute(db);
  return r.rows;
}
