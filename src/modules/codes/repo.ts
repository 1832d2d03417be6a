import { type Kysely, sql } from 'kysely';
import { KIND_DIGIT } from '../../kernel/codes.js';
import type { CodeStatus, DB } from '../../schema.js';

/** Allocates `n` consecutive serials of a kind (0 = certificate numbers); returns the first. One row lock. */
export async function allocate(db: Kysely<DB>, kind: number, n: number): Promise<number> {
  const r = await db
    .updateTable('code_counter')
    .set((eb) => ({ next: eb('next', '+', n) }))
    .where('kind', '=', kind)
    .returning('next')
    .executeTakeFirstOrThrow();
  return Number(r.next) - n;
}

/** Inserts serials [first, first+n) set-based (generate_series): no per-row round trip. */
export async function insertRange(
  db: Kysely<DB>,
  v: {
    kind: number;
    first: number;
    n: number;
    status: CodeStatus;
    subjectId: string;
    batchId: string | null;
    reservationId: string | null;
    issuedAt?: Date;
  },
) {
  // A reservation's codes all carry the reservation's time: the long codes in the printer's file embed its date.
  await sql`
    INSERT INTO trace_code (kind, serial, status, subject_id, batch_id, reservation_id, activated_at, issued_at)
    SELECT ${v.kind}::smallint, s, ${v.status}, ${v.subjectId}::uuid, ${v.batchId}::uuid, ${v.reservationId}::uuid,
           ${v.status === 'A' ? sql`now()` : sql`NULL`}, ${v.issuedAt ? sql`${v.issuedAt}::timestamptz` : sql`now()`}
    FROM generate_series(${v.first}::bigint, ${v.first + v.n - 1}::bigint) AS s`.execute(db);
}

export const codeByKey = (db: Kysely<DB>, kind: number, serial: number) =>
  db.selectFrom('trace_code').selectAll().where('kind', '=', kind).where('serial', '=', serial).executeTakeFirst();

/** Activates inactive codes of a subject in a serial range or list; returns how many were activated. */
export async function activate(
  db: Kysely<DB>,
  v: { kind: number; subjectId: string; batchId: string; from?: number; to?: number; serials?: number[] },
) {
  let q = db
    .updateTable('trace_code')
    .set({ status: 'A', batch_id: v.batchId, activated_at: new Date() })
    .where('kind', '=', v.kind)
    .where('subject_id', '=', v.subjectId)
    .where('status', '=', 'I');
  if (v.serials) q = q.where('serial', 'in', v.serials);
  else q = q.where('serial', '>=', v.from as number).where('serial', '<=', v.to as number);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export const insertReservation = (
  db: Kysely<DB>,
  v: {
    subject_id: string;
    division_code: string;
    kind: number;
    first_serial: number;
    count: number;
    printer: string | null;
    created_by: string;
    purpose?: 'printer' | 'device';
    batch_id?: string | null;
    expires_at?: Date | null;
    device?: string | null;
  },
) =>
  db
    .insertInto('code_reservation')
    .values({ ...v, job_id: null })
    .returningAll()
    .executeTakeFirstOrThrow();

export const reservationById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('code_reservation').selectAll().where('id', '=', id).executeTakeFirst();

export const listReservations = (db: Kysely<DB>, subjectId: string) =>
  db
    .selectFrom('code_reservation')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();

export const setReservation = (
  db: Kysely<DB>,
  id: string,
  patch: { status?: 'generating' | 'ready'; job_id?: string; activated?: number },
) => db.updateTable('code_reservation').set(patch).where('id', '=', id).execute();

export const bumpActivated = (db: Kysely<DB>, id: string, n: number) =>
  db
    .updateTable('code_reservation')
    .set((eb) => ({ activated: eb('activated', '+', n) }))
    .where('id', '=', id)
    .execute();

export const codesOfBatch = (db: Kysely<DB>, batchId: string, limit: number) =>
  db
    .selectFrom('trace_code')
    .select(['kind', 'serial', 'status', 'issued_at'])
    .where('batch_id', '=', batchId)
    .orderBy('kind')
    .orderBy('serial')
    .limit(limit)
    .execute();

/** Everything the resolver shows about a code's batch and owner. */
export const resolveRow = (db: Kysely<DB>, kind: number, serial: number) =>
  db
    .selectFrom('trace_code as c')
    .leftJoin('batch as b', 'b.id', 'c.batch_id')
    .leftJoin('product as p', 'p.id', 'b.product_id')
    .leftJoin('subject as s', 's.id', 'c.subject_id')
    .select([
      'c.kind',
      'c.serial',
      'c.status',
      'c.issued_at',
      'c.activated_at',
      'c.batch_id',
      'c.subject_id',
      'b.batch_no',
      'b.produced_at',
      'b.status as batch_status',
      'b.division_code as batch_division',
      'p.name as product_name',
      's.name as subject_name',
      's.org_form as subject_org_form',
      's.division_code as subject_division',
    ])
    .where('c.kind', '=', kind)
    .where('c.serial', '=', serial)
    .executeTakeFirst();

export const subjectByIdentityCode = (db: Kysely<DB>, code: string) =>
  db
    .selectFrom('subject')
    .select(['id', 'name', 'status', 'division_code', 'identity_code', 'org_form'])
    .where('identity_code', '=', code)
    .executeTakeFirst();

/** The batch a code range is issued for (read only: batches are the batches module's). */
export const batchHead = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('batch')
    .select(['id', 'subject_id', 'division_code', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();

export const subjectCodeOf = (db: Kysely<DB>, subjectId: string) =>
  db
    .selectFrom('trace_code')
    .select('serial')
    .where('kind', '=', KIND_DIGIT.subject)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();

/** A reservation locked for a use report or a release. */
export const reservationForUpdate = (db: Kysely<DB>, id: string) =>
  db.selectFrom('code_reservation').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

/** The code row, locked (a use report changes it). */
export const codeForUpdate = (db: Kysely<DB>, kind: number, serial: number) =>
  db
    .selectFrom('trace_code')
    .selectAll()
    .where('kind', '=', kind)
    .where('serial', '=', serial)
    .forUpdate()
    .executeTakeFirst();

/**
 * Activates one reserved code for the reservation's batch, at the time the device printed it (`revive`: also a code
 * the expiry job voided, for a label printed before the expiry).
 */
export const useCode = (db: Kysely<DB>, kind: number, serial: number, batchId: string, usedAt: Date, revive = false) =>
  db
    .updateTable('trace_code')
    .set({ status: 'A', batch_id: batchId, activated_at: usedAt })
    .where('kind', '=', kind)
    .where('serial', '=', serial)
    .where('status', 'in', revive ? ['I', 'V'] : ['I'])
    .executeTakeFirst();

/** Voids the still unused codes of a reservation (by its serial range: the primary key); returns how many. */
export async function voidUnused(db: Kysely<DB>, r: { id: string; kind: number; first_serial: number; count: number }) {
  const first = Number(r.first_serial);
  const res = await db
    .updateTable('trace_code')
    .set({ status: 'V' })
    .where('kind', '=', r.kind)
    .where('serial', '>=', first)
    .where('serial', '<', first + r.count)
    .where('reservation_id', '=', r.id)
    .where('status', '=', 'I')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export const markReleased = (db: Kysely<DB>, id: string) =>
  db.updateTable('code_reservation').set({ released_at: new Date() }).where('id', '=', id).execute();

export const markExpired = (db: Kysely<DB>, id: string) =>
  db.updateTable('code_reservation').set({ expired_at: new Date() }).where('id', '=', id).execute();

/** The caller's device reservations for one producer, newest first, with the batch and product names. */
export const deviceReservationsOf = (db: Kysely<DB>, createdBy: string, subjectId: string, limit: number) =>
  db
    .selectFrom('code_reservation as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .select([
      'r.id',
      'r.batch_id',
      'r.count',
      'r.activated',
      'r.created_at',
      'r.expires_at',
      'r.released_at',
      'r.expired_at',
      'r.device',
      'b.batch_no',
      'p.name as product_name',
    ])
    .where('r.purpose', '=', 'device')
    .where('r.created_by', '=', createdBy)
    .where('r.subject_id', '=', subjectId)
    .orderBy('r.created_at', 'desc')
    .limit(limit)
    .execute();

/** Device reservations past their expiry whose unused codes are not voided yet, oldest first, locked for the job. */
export const dueDeviceReservations = (db: Kysely<DB>, limit: number) =>
  db
    .selectFrom('code_reservation')
    .selectAll()
    .where('purpose', '=', 'device')
    .where('released_at', 'is', null)
    .where('expired_at', 'is', null)
    .where('expires_at', '<=', sql<Date>`now()`)
    .orderBy('expires_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();

/** What a label printed from a device reservation shows: batch number, product and producer names. */
export const labelHead = (db: Kysely<DB>, batchId: string) =>
  db
    .selectFrom('batch as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as s', 's.id', 'b.subject_id')
    .select(['b.batch_no', 'p.name as product_name', 's.name as producer_name'])
    .where('b.id', '=', batchId)
    .executeTakeFirstOrThrow();
