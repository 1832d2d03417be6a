import { type Insertable, type Kysely, sql } from 'kysely';
import type { CertificateTable, DB } from '../../schema.js';
import { type ReadScope, readFilter } from '../catalog/owner.js';

export const insertCertificate = (db: Kysely<DB>, v: Insertable<CertificateTable>) =>
  db.insertInto('certificate').values(v).returningAll().executeTakeFirstOrThrow();
export const insertSources = (
  db: Kysely<DB>,
  rows: { certificate_id: string; source_number: string; source_id: string | null }[],
) => (rows.length ? db.insertInto('certificate_source').values(rows).execute() : Promise.resolve());
export const byId = (db: Kysely<DB>, id: string) =>
  db.selectFrom('certificate').selectAll().where('id', '=', id).executeTakeFirst();
export const byNumber = (db: Kysely<DB>, number: string) =>
  db.selectFrom('certificate').selectAll().where('number', '=', number).executeTakeFirst();
export const byNumbers = (db: Kysely<DB>, numbers: string[]) =>
  numbers.length
    ? db
        .selectFrom('certificate')
        .select(['id', 'number', 'product_name', 'subject_name'])
        .where('number', 'in', numbers)
        .execute()
    : Promise.resolve([]);
export const sourcesOf = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('certificate_source as cs')
    .leftJoin('certificate as c', 'c.id', 'cs.source_id')
    .select(['cs.source_number', 'cs.source_id', 'c.product_name', 'c.subject_name'])
    .where('cs.certificate_id', '=', id)
    .orderBy('cs.source_number')
    .execute();
export const lastOf = (db: Kysely<DB>, subjectId: string, style?: 'producer' | 'buyer') => {
  let q = db.selectFrom('certificate').selectAll().where('subject_id', '=', subjectId);
  if (style) q = q.where('style', '=', style);
  return q.orderBy('issued_at', 'desc').orderBy('number', 'desc').limit(1).executeTakeFirst();
};
export const list = (db: Kysely<DB>, rs: ReadScope, f: { batchId?: string; limit: number; offset: number }) => {
  let q = db
    .selectFrom('certificate as c')
    .selectAll('c')
    .where((eb) => readFilter(eb, rs, 'c'));
  if (f.batchId) q = q.where('c.batch_id', '=', f.batchId);
  return q.orderBy('c.issued_at', 'desc').limit(f.limit).offset(f.offset).execute();
};

/** Certificates issued for the batches a batch came from (nearest first): what a buyer holds as 持上游合格证. */
export async function upstreamCertificates(db: Kysely<DB>, batchId: string) {
  const r = await sql<{ number: string; subject_name: string; product_name: string; issued_at: Date; depth: number }>`
    WITH RECURSIVE up(batch_id, depth) AS (
      SELECT ${batchId}::uuid, 0
      UNION
      SELECT e.from_batch, up.depth + 1 FROM trace_edge e JOIN up ON e.to_batch = up.batch_id WHERE up.depth < 50
    )
    SELECT c.number, c.subject_name, c.product_name, c.issued_at, min(up.depth) AS depth
      FROM up JOIN certificate c ON c.batch_id = up.batch_id
     WHERE up.depth > 0
     GROUP BY c.number, c.subject_name, c.product_name, c.issued_at
     ORDER BY depth, c.issued_at DESC
     LIMIT 50`.execute(db);
  return r.rows;
}
