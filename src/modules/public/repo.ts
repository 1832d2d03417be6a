import { type Kysely, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';

/**
 * The hot path: one statement, three primary-key lookups (code → its projection's etag, its owner). The document
 * itself is read only when the in-process cache does not hold that etag (service.ts); a NULL etag means the
 * projection was invalidated and is rebuilt (visibility.ts). On PostgreSQL it runs as a
 * named prepared statement (planned once per connection), elsewhere through Kysely.
 */
const LOOKUP = `SELECT c.status, c.issued_at, c.subject_id, c.batch_id, p.etag, s.division_code
  FROM trace_code c
  LEFT JOIN public_trace p ON p.batch_id = c.batch_id
  LEFT JOIN subject s ON s.id = c.subject_id
  WHERE c.kind = $1 AND c.serial = $2`;
export type LookupRow = {
  status: string;
  issued_at: Date;
  subject_id: string;
  batch_id: string | null;
  etag: string | null;
  division_code: string | null;
};
export type Prepared = <R>(name: string, text: string, values: unknown[]) => Promise<R[]>;

export async function lookup(
  db: Kysely<DB>,
  kind: number,
  serial: number,
  prepared?: Prepared,
): Promise<LookupRow | undefined> {
  if (prepared && !db.isTransaction)
    return (await prepared<LookupRow>('public_trace_lookup', LOOKUP, [kind, serial]))[0];
  const r = await sql<LookupRow>`SELECT c.status, c.issued_at, c.subject_id, c.batch_id, p.etag, s.division_code
    FROM trace_code c LEFT JOIN public_trace p ON p.batch_id = c.batch_id LEFT JOIN subject s ON s.id = c.subject_id
    WHERE c.kind = ${kind} AND c.serial = ${serial}`.execute(db);
  return r.rows[0];
}

/** Which of these (kind, serial) keys exist (for "did you mean" after a check-character failure). */
export async function existingKeys(db: Kysely<DB>, keys: { kind: number; serial: number }[]) {
  if (!keys.length) return [];
  const r = await sql<{ kind: number; serial: string }>`
    SELECT c.kind, c.serial FROM trace_code c
    JOIN unnest(${keys.map((k) => k.kind)}::smallint[], ${keys.map((k) => k.serial)}::bigint[]) AS k(kind, serial) ON c.kind = k.kind AND c.serial = k.serial
    WHERE c.status <> 'V' ORDER BY (c.status = 'A') DESC, c.kind, c.serial LIMIT 5`.execute(db);
  return r.rows.map((x) => ({ kind: Number(x.kind), serial: Number(x.serial) }));
}

export const subjectCard = (db: Kysely<DB>, by: { id?: string; identityCode?: string }) => {
  let q = db
    .selectFrom('subject')
    .select([
      'id',
      'name',
      'org_form',
      'subject_type',
      'industries',
      'certifications',
      'division_code',
      'identity_code',
      'status',
      'approved_at',
      'contact_phone',
    ]);
  if (by.id) q = q.where('id', '=', by.id);
  else q = q.where('identity_code', '=', by.identityCode ?? '');
  return q.executeTakeFirst();
};

export const certificateByNumber = (db: Kysely<DB>, number: string) =>
  db
    .selectFrom('certificate')
    .select([
      'id',
      'number',
      'batch_id',
      'product_name',
      'quantity',
      'unit',
      'subject_name',
      'issued_at',
      'subject_id',
      'division_code',
      'origin',
    ])
    .where('number', '=', number)
    .executeTakeFirst();

export type LogFilter = { subjectId: string } | { scope: string };

export async function listLogs(
  db: Kysely<DB>,
  f: LogFilter,
  q: { code?: { kind: number; serial: number }; from?: Date; to?: Date; limit: number; offset: number },
) {
  let base = db.selectFrom('query_log');
  base =
    'subjectId' in f
      ? base.where('subject_id', '=', f.subjectId)
      : base.where((eb) => eb.and([eb('division_code', 'is not', null), scopeFilter(eb, 'division_code', f.scope)]));
  if (q.code) base = base.where('code_kind', '=', q.code.kind).where('code_serial', '=', q.code.serial);
  if (q.from) base = base.where('at', '>=', q.from);
  if (q.to) base = base.where('at', '<', q.to);
  const rows = await base
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { rows, total };
}

export const scanCounts = (db: Kysely<DB>, subjectId: string, limit: number, offset: number) =>
  db
    .selectFrom('query_count')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('n', 'desc')
    .orderBy('code_serial')
    .limit(limit)
    .offset(offset)
    .execute();
export const scanTotal = async (db: Kysely<DB>, subjectId: string) => {
  const r = await db
    .selectFrom('query_count')
    .select((eb) => [eb.fn.countAll<number>().as('codes'), eb.fn.sum<number>('n').as('scans')])
    .where('subject_id', '=', subjectId)
    .executeTakeFirstOrThrow();
  return { codes: Number(r.codes), scans: Number(r.scans ?? 0) };
};

export async function projectionDoc(db: Kysely<DB>, batchId: string, prepared?: Prepared) {
  if (prepared && !db.isTransaction)
    return (
      await prepared<{ doc: unknown; etag: string }>(
        'public_trace_doc',
        'SELECT doc, etag FROM public_trace WHERE batch_id = $1',
        [batchId],
      )
    )[0];
  return db.selectFrom('public_trace').select(['doc', 'etag']).where('batch_id', '=', batchId).executeTakeFirst();
}

/** Names of these divisions, ordered by code (a code's ancestors give its full name). */
export const divisionsIn = (db: Kysely<DB>, codes: string[]) =>
  codes.length
    ? db.selectFrom('division').select(['code', 'name']).where('code', 'in', codes).orderBy('code').execute()
    : Promise.resolve([]);

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
