import { type Insertable, type Kysely, sql } from 'kysely';
import type { DB, SaleTable } from '../../schema.js';
import type { ReadScope } from '../catalog/owner.js';
import { scopeFilter } from '../../kernel/auth/scope.js';

export const insertSale = (db: Kysely<DB>, v: Insertable<SaleTable>) => db.insertInto('sale').values(v).returning('id').executeTakeFirstOrThrow();

function saleQuery(db: Kysely<DB>) {
  return db
    .selectFrom('sale as s')
    .innerJoin('batch as b', 'b.id', 's.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as seller', 'seller.id', 's.seller_subject_id')
    .leftJoin('batch as rb', 'rb.id', 's.receipt_batch_id')
    .selectAll('s')
    .select([
      'b.batch_no', 'b.kind as batch_kind', 'b.code_serial as batch_code_serial', 'b.produced_at', 'b.division_code as batch_division', 'b.self_check',
      'p.name as product_name', 'seller.name as seller_name', 'seller.contact_phone as seller_phone', 'seller.address as seller_address',
      'rb.code_serial as receipt_code_serial', 'rb.batch_no as receipt_batch_no',
    ]);
}
export type SaleRow = NonNullable<Awaited<ReturnType<typeof saleById>>>;
export const saleById = (db: Kysely<DB>, id: string) => saleQuery(db).where('s.id', '=', id).executeTakeFirst();
export const saleByVoucher = (db: Kysely<DB>, serial: number) => saleQuery(db).where('s.voucher_serial', '=', serial).executeTakeFirst();
export const lockSale = (db: Kysely<DB>, id: string) => db.selectFrom('sale').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();

/** Sales visible to a reader: as seller or buyer (producers), or by the seller batch's division (agencies). */
export async function listSales(
  db: Kysely<DB>,
  rs: ReadScope,
  f: { role?: 'seller' | 'buyer'; status?: string; batchId?: string; limit: number; offset: number },
) {
  let q = saleQuery(db);
  if ('subjectId' in rs) {
    if (f.role === 'buyer') q = q.where('s.buyer_subject_id', '=', rs.subjectId);
    else if (f.role === 'seller') q = q.where('s.seller_subject_id', '=', rs.subjectId);
    else q = q.where((eb) => eb.or([eb('s.seller_subject_id', '=', rs.subjectId), eb('s.buyer_subject_id', '=', rs.subjectId)]));
  } else q = q.where((eb) => eb.or([scopeFilter(eb, 's.division_code', rs.scope), scopeFilter(eb, 's.buyer_division', rs.scope)]));
  if (f.status) q = q.where('s.status', '=', f.status as 'pending');
  if (f.batchId) q = q.where('s.batch_id', '=', f.batchId);
  const rows = await q.orderBy('s.created_at', 'desc').orderBy('s.id').limit(f.limit + 1).offset(f.offset).execute();
  return { rows: rows.slice(0, f.limit), more: rows.length > f.limit };
}

/** The oldest pending sale to `buyer` of the batch carrying code (kind, serial). */
export const pendingSaleOfCode = (db: Kysely<DB>, buyer: string, kind: number, serial: number) =>
  db
    .selectFrom('sale as s')
    .innerJoin('trace_code as c', 'c.batch_id', 's.batch_id')
    .select('s.id')
    .where('c.kind', '=', kind)
    .where('c.serial', '=', serial)
    .where('s.buyer_subject_id', '=', buyer)
    .where('s.status', '=', 'pending')
    .orderBy('s.created_at')
    .executeTakeFirst();

export const subjectById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('subject').select(['id', 'name', 'status', 'division_code', 'org_id', 'contact_name', 'contact_phone', 'address', 'subject_type', 'identity_code']).where('id', '=', id).executeTakeFirst();

/** A subject by its identity code: issue 3's `subject.identity_code`, or the short identity code (trace_code kind 5). */
export async function subjectByIdentity(db: Kysely<DB>, code: string, shortSerial: number | null) {
  if (shortSerial !== null) {
    const c = await db.selectFrom('trace_code').select('subject_id').where('kind', '=', 5).where('serial', '=', shortSerial).executeTakeFirst();
    if (c) return subjectById(db, c.subject_id);
  }
  const s = await db.selectFrom('subject').select('id').where('identity_code', '=', code).executeTakeFirst();
  return s ? subjectById(db, s.id) : undefined;
}

/** Finds (or creates) the buyer's product of the same name, so a received batch has a product of its own. */
export async function ensureProduct(db: Kysely<DB>, v: { subjectId: string; divisionCode: string; name: string; industry: 'planting' | 'livestock' | 'fishery'; unit: string; classification: string | null; actorId: string }) {
  const have = await db.selectFrom('product').select('id').where('subject_id', '=', v.subjectId).where('name', '=', v.name).executeTakeFirst();
  if (have) return have.id;
  const r = await db
    .insertInto('product')
    .values({ subject_id: v.subjectId, division_code: v.divisionCode, name: v.name, industry: v.industry, unit: v.unit, classification: v.classification, key_product: null, certifications: '[]', created_by: v.actorId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export const openRecallOf = (db: Kysely<DB>, batchId: string) =>
  db.selectFrom('batch_recall_status').select(['recall_id', 'number']).where('batch_id', '=', batchId).executeTakeFirst();

export const insertCheck = (db: Kysely<DB>, v: Insertable<DB['voucher_check']>) => db.insertInto('voucher_check').values(v).returning(['id', 'checked_at']).executeTakeFirstOrThrow();

/** Earlier verified checks of the same code at another market: one code used in two places. */
export const otherMarketChecks = (db: Kysely<DB>, kind: number, serial: number, market: string) =>
  db
    .selectFrom('voucher_check as v')
    .innerJoin('subject as m', 'm.id', 'v.market_subject_id')
    .select(['v.id', 'v.checked_at', 'v.market_subject_id', 'm.name as market_name'])
    .where('v.code_kind', '=', kind)
    .where('v.code_serial', '=', serial)
    .where('v.verified', '=', true)
    .where('v.market_subject_id', '<>', market)
    .orderBy('v.checked_at')
    .limit(5)
    .execute();

export async function listChecks(db: Kysely<DB>, f: { scope?: string; marketId?: string; limit: number; offset: number }) {
  let q = db.selectFrom('voucher_check as v').leftJoin('subject as m', 'm.id', 'v.market_subject_id').selectAll('v').select('m.name as market_name');
  if (f.marketId) q = q.where('v.market_subject_id', '=', f.marketId);
  else q = q.where((eb) => scopeFilter(eb, 'v.division_code', f.scope ?? ''));
  return q.orderBy('v.checked_at', 'desc').limit(f.limit).offset(f.offset).execute();
}

export const certificatesOfBatches = async (db: Kysely<DB>, batchIds: string[]) =>
  batchIds.length ? db.selectFrom('certificate').select(['number', 'batch_id', 'style', 'basis', 'issued_at']).where('batch_id', 'in', batchIds).orderBy('issued_at', 'desc').execute() : [];

export { sql };
