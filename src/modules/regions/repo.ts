import { type Kysely, sql } from 'kysely';
import { LEVELS, ancestorAt, likeContains, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';

export interface DivisionRow {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
  has_children: boolean;
}

const withChildrenFlag = (db: Kysely<DB>) =>
  db
    .selectFrom('division as d')
    .select(['d.code', 'd.name', 'd.level', 'd.parent_code'])
    .select((eb) =>
      eb
        .exists(eb.selectFrom('division as c').select(sql`1`.as('one')).whereRef('c.parent_code', '=', 'd.code'))
        .$castTo<boolean>()
        .as('has_children'),
    );

export function children(db: Kysely<DB>, parent: string, p: PageParams) {
  return paged(withChildrenFlag(db).where('d.parent_code', '=', parent).orderBy('d.code'), p);
}

export function byCode(db: Kysely<DB>, code: string): Promise<DivisionRow | undefined> {
  return withChildrenFlag(db).where('d.code', '=', code).executeTakeFirst();
}

/** The node and its ancestors (the national root '' and every level's ancestor of the code), root first. */
export function pathOf(db: Kysely<DB>, code: string) {
  const prefixes = LEVELS.map((l) => ancestorAt(code, l)).filter((c): c is string => c !== null);
  return db
    .selectFrom('division')
    .select(['code', 'name', 'level'])
    .where('code', 'in', prefixes)
    .orderBy('level')
    .execute();
}

export function search(db: Kysely<DB>, q: { name: string; level?: number; within: string }, p: PageParams) {
  let query = db
    .selectFrom('division as d')
    .select(['d.code', 'd.name', 'd.level'])
    .where('d.name', 'like', likeContains(q.name))
    .where((eb) => scopeFilter(eb, 'd.code', q.within))
    .where('d.level', '>', 0);
  if (q.level !== undefined) query = query.where('d.level', '=', q.level);
  // Names that start with the query first, then by level (provinces before villages), then by code.
  return paged(query.orderBy(sql`position(${q.name} in d.name)`).orderBy('d.level').orderBy('d.code'), p);
}

export async function exists(db: Kysely<DB>, code: string): Promise<boolean> {
  return !!(await db.selectFrom('division').select('code').where('code', '=', code).executeTakeFirst());
}

// ── loading the tree (loader.ts) ─────────────────────────────────────────────
/** Inserts one chunk of a level (arrays of equal length); rows already there are kept (resumable). */
export async function insertDivisions(
  db: Kysely<DB>,
  level: number,
  rows: { codes: string[]; names: string[]; parents: string[] },
): Promise<void> {
  await sql`
    INSERT INTO division (code, name, level, parent_code)
    SELECT c, n, ${level}::smallint, p
    FROM unnest(${rows.codes}::text[], ${rows.names}::text[], ${rows.parents}::text[]) AS t(c, n, p)
    ON CONFLICT (code) DO NOTHING`.execute(db);
}

/** Levels loaded so far, with their row counts. */
export async function loadedLevels(db: Kysely<DB>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('division_load').select(['level', 'rows']).execute();
  return new Map(rows.map((r) => [r.level, r.rows]));
}

export async function markLevelLoaded(db: Kysely<DB>, level: number, rows: number): Promise<void> {
  await db
    .insertInto('division_load')
    .values({ level, rows })
    .onConflict((oc) => oc.column('level').doNothing())
    .execute();
}

export async function namesOf(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db
    .selectFrom('division')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
