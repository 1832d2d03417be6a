import { type Kysely, type Selectable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB, DirectoryEntryTable } from '../../schema.js';

export type EntryRow = Selectable<DirectoryEntryTable> & { division_name: string | null; subject_name: string | null; subject_status: string | null };

export interface EntryFilter {
  scope: string;
  within?: string;
  q?: string;
  registered?: boolean;
  industry?: string;
  orgForm?: string;
}

function filtered(db: Kysely<DB>, f: EntryFilter) {
  let q = db
    .selectFrom('directory_entry as e')
    .leftJoin('division as d', 'd.code', 'e.division_code')
    .leftJoin('subject as s', 's.id', 'e.subject_id')
    .selectAll('e')
    .select(['d.name as division_name', 's.name as subject_name', 's.status as subject_status'])
    .where((eb) => scopeFilter(eb, 'e.division_code', f.scope));
  if (f.within) q = q.where('e.division_code', 'like', `${f.within}%`);
  if (f.q) q = q.where('e.name', 'like', `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.registered === true) q = q.where('e.subject_id', 'is not', null);
  if (f.registered === false) q = q.where('e.subject_id', 'is', null);
  if (f.industry) q = q.where(sql<boolean>`${f.industry} = ANY(e.industries)`);
  if (f.orgForm) q = q.where('e.org_form', '=', f.orgForm as never);
  return q;
}

export async function list(db: Kysely<DB>, f: EntryFilter, limit: number, offset: number) {
  const base = filtered(db, f);
  const [items, total] = await Promise.all([
    base.orderBy('e.division_code').orderBy('e.created_at', 'desc').orderBy('e.id').limit(limit).offset(offset).execute(),
    db.selectFrom(base.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as EntryRow[], total: Number(total.n) };
}

export function all(db: Kysely<DB>, f: EntryFilter, limit: number) {
  return filtered(db, f).orderBy('e.division_code').orderBy('e.name').limit(limit).execute() as Promise<EntryRow[]>;
}

export function byId(db: Kysely<DB>, id: string) {
  return filtered(db, { scope: '' }).where('e.id', '=', id).executeTakeFirst() as Promise<EntryRow | undefined>;
}

/** Registered / not registered counts per child division of `parent` (inside the caller's scope). */
export async function stats(db: Kysely<DB>, parent: string, childLen: number) {
  const rows = await db
    .selectFrom('directory_entry')
    .select((eb) => [
      sql<string>`substr(division_code, 1, ${sql.lit(childLen)})`.as('code'),
      eb.fn.countAll<number>().as('total'),
      sql<number>`count(subject_id)`.as('registered'),
    ])
    .where('division_code', 'like', `${parent}%`)
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
  const res = await sql`
    UPDATE directory_entry e SET subject_id = s.id, linked_at = now(), updated_at = now()
    FROM subject s
    WHERE e.subject_id IS NULL
      AND s.status NOT IN ('revoked', 'cancelled', 'rejected')
      AND substr(e.division_code, 1, 6) = substr(s.division_code, 1, 6)
      AND e.division_code LIKE ${`${scope}%`}
      AND ${subjectId ? sql`s.id = ${subjectId}::uuid` : sql`true`}
      AND ((e.cert_no IS NOT NULL AND e.cert_no = s.cert_no) OR (e.name = s.name AND e.contact_phone IS NOT NULL AND e.contact_phone = s.contact_phone))`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
