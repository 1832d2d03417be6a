import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { type ReadScope, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type {
  AnomalyKind,
  AnomalyStatus,
  DB,
  IncomingSaleStatus,
  IncomingSaleTable,
  SaleStatus,
  SaleTable,
} from '../../schema.js';

// ── sales ───────────────────────────────────────────────────────────────────────────────────────────────────────
export const insertSale = (db: Kysely<DB>, v: Insertable<SaleTable>) =>
  db.insertInto('sale').values(v).returning('id').executeTakeFirstOrThrow();

export const updateSale = (db: Kysely<DB>, id: string, v: Updateable<SaleTable>) =>
  db.updateTable('sale').set(v).where('id', '=', id).execute();

function saleQuery(db: Kysely<DB>) {
  return db
    .selectFrom('sale as s')
    .innerJoin('batch as b', 'b.id', 's.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as seller', 'seller.id', 's.seller_subject_id')
    .leftJoin('batch as rb', 'rb.id', 's.receipt_batch_id')
    .selectAll('s')
    .select([
      'b.batch_no',
      'b.kind as batch_kind',
      'b.code_serial as batch_code_serial',
      'b.produced_at',
      'b.division_code as batch_division',
      'b.self_check',
      'p.name as product_name',
      'seller.name as seller_name',
      'seller.contact_phone as seller_phone',
      'seller.address as seller_address',
      'rb.code_serial as receipt_code_serial',
      'rb.batch_no as receipt_batch_no',
    ]);
}
export type SaleRow = NonNullable<Awaited<ReturnType<typeof saleById>>>;
export const saleById = (db: Kysely<DB>, id: string) => saleQuery(db).where('s.id', '=', id).executeTakeFirst();
export const saleByVoucher = (db: Kysely<DB>, serial: number) =>
  saleQuery(db).where('s.voucher_serial', '=', serial).executeTakeFirst();
export const lockSale = (db: Kysely<DB>, id: string) =>
  db.selectFrom('sale').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();

/** Sales visible to a reader: as seller or buyer (producers), or by the seller batch's division (agencies). */
export function listSales(
  db: Kysely<DB>,
  rs: ReadScope,
  f: { role?: 'seller' | 'buyer'; status?: SaleStatus; batchId?: string },
  p: PageParams,
) {
  let q = saleQuery(db);
  if ('subjectId' in rs) {
    if (f.role === 'buyer') q = q.where('s.buyer_subject_id', '=', rs.subjectId);
    else if (f.role === 'seller') q = q.where('s.seller_subject_id', '=', rs.subjectId);
    else
      q = q.where((eb) =>
        eb.or([eb('s.seller_subject_id', '=', rs.subjectId), eb('s.buyer_subject_id', '=', rs.subjectId)]),
      );
  } else
    q = q.where((eb) =>
      eb.or([scopeFilter(eb, 's.division_code', rs.scope), scopeFilter(eb, 's.buyer_division', rs.scope)]),
    );
  if (f.status) q = q.where('s.status', '=', f.status);
  if (f.batchId) q = q.where('s.batch_id', '=', f.batchId);
  return paged(q.orderBy('s.created_at', 'desc').orderBy('s.id'), p);
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

/** A customer of the seller (the catalog's customer list). */
export const customerOf = (db: Kysely<DB>, subjectId: string, id: string) =>
  db.selectFrom('customer').selectAll().where('id', '=', id).where('subject_id', '=', subjectId).executeTakeFirst();

export const subjectById = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('subject')
    .select([
      'id',
      'name',
      'status',
      'division_code',
      'org_id',
      'contact_name',
      'contact_phone',
      'address',
      'subject_type',
      'identity_code',
    ])
    .where('id', '=', id)
    .executeTakeFirst();

/** A subject by its identity code: issue 3's `subject.identity_code`, or the short identity code (trace_code kind 5). */
export async function subjectByIdentity(db: Kysely<DB>, code: string, shortSerial: number | null) {
  if (shortSerial !== null) {
    const c = await db
      .selectFrom('trace_code')
      .select('subject_id')
      .where('kind', '=', 5)
      .where('serial', '=', shortSerial)
      .executeTakeFirst();
    if (c) return subjectById(db, c.subject_id);
  }
  const s = await db.selectFrom('subject').select('id').where('identity_code', '=', code).executeTakeFirst();
  return s ? subjectById(db, s.id) : undefined;
}

/** A batch's owner and division (for flagging a finding about it). */
export const batchOwner = (db: Kysely<DB>, id: string) =>
  db.selectFrom('batch').select(['subject_id', 'division_code']).where('id', '=', id).executeTakeFirst();

export const certificatesOfBatches = async (db: Kysely<DB>, batchIds: string[]) =>
  batchIds.length
    ? db
        .selectFrom('certificate')
        .select(['number', 'batch_id', 'style', 'basis', 'issued_at'])
        .where('batch_id', 'in', batchIds)
        .orderBy('issued_at', 'desc')
        .execute()
    : [];

// ── the market gate ─────────────────────────────────────────────────────────────────────────────────────────────
export const insertCheck = (db: Kysely<DB>, v: Insertable<DB['voucher_check']>) =>
  db.insertInto('voucher_check').values(v).returning(['id', 'checked_at']).executeTakeFirstOrThrow();

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

/** Earlier passes of a code at this market's gate. */
export const sameMarketChecks = (db: Kysely<DB>, kind: number, serial: number, market: string) =>
  db
    .selectFrom('voucher_check as v')
    .select(['v.id', 'v.checked_at'])
    .where('v.code_kind', '=', kind)
    .where('v.code_serial', '=', serial)
    .where('v.verified', '=', true)
    .where('v.market_subject_id', '=', market)
    .orderBy('v.checked_at')
    .limit(50)
    .execute();

/** Gate checks of one market, or (for regulators) inside a jurisdiction. */
export function listChecks(db: Kysely<DB>, f: { marketId: string } | { scope: string }, p: PageParams) {
  let q = db
    .selectFrom('voucher_check as v')
    .leftJoin('subject as m', 'm.id', 'v.market_subject_id')
    .selectAll('v')
    .select('m.name as market_name');
  if ('marketId' in f) q = q.where('v.market_subject_id', '=', f.marketId);
  else q = q.where((eb) => scopeFilter(eb, 'v.division_code', f.scope));
  return paged(q.orderBy('v.checked_at', 'desc'), p);
}

// ── anomalies ───────────────────────────────────────────────────────────────────────────────────────────────────
/** Stores findings, ignoring keys already stored; returns the new ones. */
export const insertAnomalies = (db: Kysely<DB>, rows: Insertable<DB['anomaly']>[]) =>
  db
    .insertInto('anomaly')
    .values(rows)
    .onConflict((oc) => oc.column('key').doNothing())
    .returning(['id', 'kind', 'subject_id', 'division_code'])
    .execute();

/** A derived batch (received, split, merged) declaring more than came into it. */
export const batchesOverInput = (db: Kysely<DB>) =>
  sql<{ id: string; subject_id: string; division_code: string; quantity: string; inflow: string }>`
    SELECT b.id, b.subject_id, b.division_code, b.quantity, sum(e.quantity) AS inflow
    FROM batch b JOIN trace_edge e ON e.to_batch = b.id
    GROUP BY b.id HAVING b.quantity > sum(e.quantity) + 0.0005`.execute(db);

/** A batch sold (sales not refused + transformations out) beyond what it ever held. */
export const batchesOversold = (db: Kysely<DB>) =>
  sql<{ id: string; subject_id: string; division_code: string; quantity: string; out: string }>`
    WITH out AS (
      SELECT batch_id, sum(quantity) AS q FROM sale WHERE status <> 'refused' GROUP BY batch_id
      UNION ALL
      SELECT e.from_batch, sum(e.quantity) FROM trace_edge e JOIN trace_event t ON t.id = e.event_id
      WHERE t.biz_step IN ('transforming', 'repacking') GROUP BY e.from_batch)
    SELECT b.id, b.subject_id, b.division_code, b.quantity, sum(out.q) AS out
    FROM out JOIN batch b ON b.id = out.batch_id
    GROUP BY b.id HAVING sum(out.q) > b.quantity + 0.0005`.execute(db);

/** Receipts that do not match the sale (short or over receipt), and sales never confirmed for 7 days. */
export const mismatchedReceipts = (db: Kysely<DB>) =>
  sql<{
    id: string;
    seller_subject_id: string;
    buyer_subject_id: string | null;
    division_code: string;
    batch_id: string;
    quantity: string;
    received_quantity: string | null;
    status: string;
  }>`
    SELECT id, seller_subject_id, buyer_subject_id, division_code, batch_id, quantity, received_quantity, status FROM sale
    WHERE (status = 'accepted' AND received_quantity <> quantity)
       OR (status = 'pending' AND sold_at < now() - interval '7 days')`.execute(db);

/** One market-entry voucher verified at two different markets. */
export const vouchersAtTwoMarkets = (db: Kysely<DB>) =>
  sql<{
    code_kind: number;
    code_serial: string;
    batch_id: string | null;
    subject_id: string | null;
    division_code: string | null;
    markets: number;
  }>`
    SELECT v.code_kind, v.code_serial, min(v.batch_id::text)::uuid AS batch_id, min(b.subject_id::text)::uuid AS subject_id, min(b.division_code) AS division_code,
           count(DISTINCT v.market_subject_id)::int AS markets
    FROM voucher_check v LEFT JOIN batch b ON b.id = v.batch_id
    WHERE v.verified AND v.market_subject_id IS NOT NULL AND v.code_kind = 3 AND v.code_serial IS NOT NULL
    GROUP BY v.code_kind, v.code_serial HAVING count(DISTINCT v.market_subject_id) > 1`.execute(db);

export function listAnomalies(
  db: Kysely<DB>,
  rs: ReadScope,
  f: { kind?: AnomalyKind; status?: AnomalyStatus },
  p: PageParams,
) {
  let q = db
    .selectFrom('anomaly as a')
    .leftJoin('subject as s', 's.id', 'a.subject_id')
    .leftJoin('batch as b', 'b.id', 'a.batch_id')
    .selectAll('a')
    .select(['s.name as subject_name', 'b.batch_no']);
  q =
    'subjectId' in rs
      ? q.where('a.subject_id', '=', rs.subjectId)
      : q.where((eb) => scopeFilter(eb, 'a.division_code', rs.scope));
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  if (f.status) q = q.where('a.status', '=', f.status);
  return paged(q.orderBy('a.detected_at', 'desc').orderBy('a.id'), p);
}

// ── sales across platforms (issue 15 item 3) ────────────────────────────────────────────────────────────────────
export const insertIncoming = (db: Kysely<DB>, v: Insertable<IncomingSaleTable>) =>
  db
    .insertInto('incoming_sale')
    .values(v)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();

export const incomingById = (db: Kysely<DB>, id: string, lock = false) => {
  const q = db.selectFrom('incoming_sale').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
};
export type IncomingRow = NonNullable<Awaited<ReturnType<typeof incomingById>>>;

/** The oldest sale from another platform of the lot with this code waiting for this buyer. */
export const pendingIncomingOfCode = (db: Kysely<DB>, buyer: string, code: string) =>
  db
    .selectFrom('incoming_sale')
    .select('id')
    .where('source_code', '=', code)
    .where('buyer_subject_id', '=', buyer)
    .where('status', '=', 'pending')
    .orderBy('created_at')
    .executeTakeFirst();

export const updateIncoming = (db: Kysely<DB>, id: string, v: Updateable<IncomingSaleTable>) =>
  db.updateTable('incoming_sale').set(v).where('id', '=', id).execute();

export const receiptBatchCode = (db: Kysely<DB>, batchId: string) =>
  db.selectFrom('batch').select(['code_serial', 'batch_no']).where('id', '=', batchId).executeTakeFirst();

/** Sales from other platforms to this buyer (a producer) or inside the scope (a regulator), newest first. */
export function listIncoming(db: Kysely<DB>, rs: ReadScope, status: IncomingSaleStatus | undefined, p: PageParams) {
  let q = db
    .selectFrom('incoming_sale as i')
    .leftJoin('batch as b', 'b.id', 'i.receipt_batch_id')
    .selectAll('i')
    .select('b.code_serial as receipt_code_serial');
  q =
    'subjectId' in rs
      ? q.where('i.buyer_subject_id', '=', rs.subjectId)
      : q.where((eb) => scopeFilter(eb, 'i.division_code', rs.scope));
  if (status) q = q.where('i.status', '=', status);
  return paged(q.orderBy('i.sold_at', 'desc').orderBy('i.id'), p);
}
