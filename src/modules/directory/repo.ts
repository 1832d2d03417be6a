import { type Insertable, type Kysely, type Selectable, type Updateable, sql } from 'kysely';
import { LEVEL_LENGTH, likeContains, likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB, DirectoryEntryTable } from '../../schema.js';
import type { EntryFilter } from './schemas.js';

export type EntryRow = Selectable<DirectoryEntryTable> & {
  division_name: string | null;
  subject_name: string | null;
  subject_status: string | null;
};

function filtered(db: Kysely<DB>, f: EntryFilter & { scope: string }) {
  let q = db
    .selectFrom('directory_entry as e')
    .leftJoin('division as d', 'd.code', 'e.division_code')
    .leftJoin('subject as s', 's.id', 'e.subject_id')
    .selectAll('e')
    .select(['d.name as division_name', 's.name as subject_name', 's.status as subject_status'])
    .where((eb) => scopeFilter(eb, 'e.division_code', f.scope));
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 'e.division_code', within));
  }
  if (f.q) q = q.where('e.name', 'like', likeContains(f.q));
  if (f.registered === true) q = q.where('e.subject_id', 'is not', null);
  if (f.registered === false) q = q.where('e.subject_id', 'is', null);
  if (f.industry) q = q.where(sql<boolean>`${f.industry} = ANY(e.industries)`);
  if (f.orgForm) q = q.where('e.org_form', '=', f.orgForm);
  return q;
}

export function list(db: Kysely<DB>, f: EntryFilter & { scope: string }, p: PageParams) {
  const q = filtered(db, f).orderBy('e.division_code').orderBy('e.created_at', 'desc').orderBy('e.id');
  return paged(q, p) as Promise<{ items: EntryRow[]; total: number; page: number; pageSize: number }>;
}

export function all(db: Kysely<DB>, f: EntryFilter & { scope: string }, limit: number) {
  return filtered(db, f).orderBy('e.division_code').orderBy('e.name').limit(limit).execute() as Promise<EntryRow[]>;
}

export function byId(db: Kysely<DB>, id: string) {
  return filtered(db, { scope: '' }).where('e.id', '=', id).executeTakeFirst() as Promise<EntryRow | undefined>;
}

export async function insert(db: Kysely<DB>, values: Insertable<DirectoryEntryTable>) {
  return db.insertInto('directory_entry').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function update(db: Kysely<DB>, id: string, values: Updateable<DirectoryEntryTable>) {
  await db
    .updateTable('directory_entry')
    .set({ ...values, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Registered / not registered counts per child division (codes `childLen` long) of `parent`. */
export async function stats(db: Kysely<DB>, parent: string, childLen: number) {
  const rows = await db
    .selectFrom('directory_entry')
    .select((eb) => [
      sql<string>`substr(division_code, 1, ${sql.lit(childLen)})`.as('code'),
      eb.fn.countAll<number>().as('total'),
      sql<number>`count(subject_id)`.as('registered'),
    ])
    .where((eb) => scopeFilter(eb, 'division_code', parent))
    .groupBy(sql`substr(division_code, 1, ${sql.lit(childLen)})`)
    .orderBy('code')
    .execute();
  return rows.map((r) => ({ code: r.code, total: Number(r.total), registered: Number(r.registered) }));
}

/**
 * Links unlinked entries to subjects of the same county: same certificate number, or same name and phone.
 * `subjectId` limits it to one subject (after an approval); without it every county in `scope` is swept (imports).
 */
export async function link(db: Kysely<DB>, scope: string, subjectId?: string): Promise<number> {
  const county = sql.lit(LEVEL_LENGTH.county);
  const res = await sql`
    UPDATE directory_entry e SET subject_id = s.id, linked_at = now(), updated_at = now()
    FROM subject s
    WHERE e.subject_id IS NULL
      AND s.status NOT IN ('revoked', 'cancelled', 'rejected')
      AND substr(e.division_code, 1, ${county}) = substr(s.division_code, 1, ${county})
      AND e.division_code LIKE ${likePrefix(scope)}
      AND ${subjectId ? sql`s.id = ${subjectId}::uuid` : sql`true`}
      AND ((e.cert_no IS NOT NULL AND e.cert_no = s.cert_no) OR (e.name = s.name AND e.contact_phone IS NOT NULL AND e.contact_phone = s.contact_phone))`.execute(
    db,
  );
  return Number(res.numAffectedRows ?? 0);
}
