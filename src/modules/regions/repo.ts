import { type Kysely, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
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
      eb.exists(eb.selectFrom('division as c').select(sql`1`.as('one')).whereRef('c.parent_code', '=', 'd.code')).$castTo<boolean>().as('has_children'),
    );

export function children(db: Kysely<DB>, parent: string): Promise<DivisionRow[]> {
  return withChildrenFlag(db).where('d.parent_code', '=', parent).orderBy('d.code').execute();
}

export function byCode(db: Kysely<DB>, code: string): Promise<DivisionRow | undefined> {
  return withChildrenFlag(db).where('d.code', '=', code).executeTakeFirst();
}

/** The node and its ancestors (every proper prefix of the code), root first. */
export function pathOf(db: Kysely<DB>, code: string) {
  const prefixes = [0, 2, 4, 6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n));
  return db.selectFrom('division').select(['code', 'name', 'level']).where('code', 'in', prefixes).orderBy('level').execute();
}

export function search(db: Kysely<DB>, q: { name: string; level?: number; within: string; limit: number }) {
  let query = db
    .selectFrom('division as d')
    .select(['d.code', 'd.name', 'd.level'])
    .where('d.name', 'like', `%${q.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)
    .where((eb) => scopeFilter(eb, 'd.code', q.within))
    .where('d.level', '>', 0);
  if (q.level !== undefined) query = query.where('d.level', '=', q.level);
  // Names that start with the query first, then by level (provinces before villages), then by code.
  return query
    .orderBy(sql`position(${q.name} in d.name)`)
    .orderBy('d.level')
    .orderBy('d.code')
    .limit(q.limit)
    .execute();
}

export async function exists(db: Kysely<DB>, code: string): Promise<boolean> {
  return !!(await db.selectFrom('division').select('code').where('code', '=', code).executeTakeFirst());
}

export async function namesOf(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const rows = await db.selectFrom('division').select(['code', 'name']).where('code', 'in', [...new Set(codes)]).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
