import type { Insertable, Kysely, Updateable } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { ComplaintStatus, ComplaintTable, DB } from '../../schema.js';

function complaintQuery(db: Kysely<DB>) {
  return db
    .selectFrom('complaint as c')
    .leftJoin('organisation as o', 'o.id', 'c.org_id')
    .selectAll('c')
    .select('o.name as org_name');
}
export type ComplaintRow = NonNullable<Awaited<ReturnType<typeof complaintById>>>;
export const complaintById = (db: Kysely<DB>, id: string) =>
  complaintQuery(db).where('c.id', '=', id).executeTakeFirst();

/** Complaints inside a jurisdiction, newest first. */
export function listComplaints(db: Kysely<DB>, scope: string, f: { status?: ComplaintStatus }, p: PageParams) {
  let q = complaintQuery(db).where((eb) => scopeFilter(eb, 'c.division_code', scope));
  if (f.status) q = q.where('c.status', '=', f.status);
  return paged(q.orderBy('c.created_at', 'desc'), p);
}

export const insertComplaint = (db: Kysely<DB>, v: Insertable<ComplaintTable>) =>
  db.insertInto('complaint').values(v).returning('id').executeTakeFirstOrThrow();

export const updateComplaint = (db: Kysely<DB>, id: string, v: Updateable<ComplaintTable>) =>
  db.updateTable('complaint').set(v).where('id', '=', id).execute();

/** The batch a trace code belongs to. */
export const batchOfCode = async (db: Kysely<DB>, kind: number, serial: number) =>
  (
    await db
      .selectFrom('trace_code')
      .select('batch_id')
      .where('kind', '=', kind)
      .where('serial', '=', serial)
      .executeTakeFirst()
  )?.batch_id ?? null;

/** The division a complaint was routed to (for the photo's read check). */
export const divisionOf = async (db: Kysely<DB>, id: string) =>
  (await db.selectFrom('complaint').select('division_code').where('id', '=', id).executeTakeFirst())?.division_code ??
  null;

export const complaintByNumber = (db: Kysely<DB>, number: string) =>
  complaintQuery(db).where('c.number', '=', number).executeTakeFirst();
