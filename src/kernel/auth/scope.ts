import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { problems } from '../problems.js';

/**
 * Jurisdiction (辖区) in one place. A scope is a division code; the national root is ''. Division codes nest as
 * prefixes (省 2 · 市 4 · 县 6 · 乡镇 9 · 村 12 digits), so "X is inside my jurisdiction" is a prefix test.
 *
 * Fail-closed: every function takes the scope as a required argument and refuses anything that is not a division
 * code (an `undefined` or a stray string never widens to the whole country). Code lengths live here and nowhere
 * else: use `divisionLevel`, `ancestorAt`, `countyOf`, `isLevel` instead of `slice(0, 6)` or `length === 9`.
 */

/** Division levels, from the country down to the village. */
export const LEVELS = ['national', 'province', 'city', 'county', 'township', 'village'] as const;
export type Level = (typeof LEVELS)[number];
/** Code length of each level. */
export const LEVEL_LENGTH: Record<Level, number> = {
  national: 0,
  province: 2,
  city: 4,
  county: 6,
  township: 9,
  village: 12,
};
const LENGTHS = LEVELS.map((l) => LEVEL_LENGTH[l]);

export const LEVEL_LABELS: Record<Level, { zh: string; en: string }> = {
  national: { zh: '全国', en: 'national' },
  province: { zh: '省级', en: 'province' },
  city: { zh: '市级', en: 'city' },
  county: { zh: '县级', en: 'county' },
  township: { zh: '乡镇级', en: 'township' },
  village: { zh: '村级', en: 'village' },
};

function checkScope(scope: string): void {
  if (typeof scope !== 'string' || !LENGTHS.includes(scope.length) || !/^\d*$/.test(scope)) {
    throw new Error(`invalid scope ${JSON.stringify(scope)}`);
  }
}

/** Is `code` inside the jurisdiction `scope`? A missing code is never inside. */
export function inScope(scope: string, code: string | null | undefined): boolean {
  checkScope(scope);
  return typeof code === 'string' && code.startsWith(scope);
}

/** The SQL form of `inScope`, for repo queries: `column LIKE scope || '%'` (served by a text_pattern_ops index). */
export function scopeFilter<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  scope: string,
): Expression<SqlBool> {
  checkScope(scope);
  if (scope === '') return sql<boolean>`true`;
  return eb(eb.ref(column as never), 'like', `${scope}%` as never);
}

export function assertInScope(
  scope: string,
  code: string | null | undefined,
  targetZh: string,
  targetEn: string,
): void {
  if (!inScope(scope, code)) throw problems.outOfJurisdiction(targetZh, targetEn);
}

/** Escapes `\`, `%` and `_` for a LIKE pattern (PostgreSQL's default escape character is the backslash). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
/** A LIKE pattern matching strings that start with `s` taken literally. */
export const likePrefix = (s: string): string => `${escapeLike(s)}%`;
/** A LIKE pattern matching strings that contain `s` taken literally. */
export const likeContains = (s: string): string => `%${escapeLike(s)}%`;

// ── division levels ────────────────────────────────────────────────────────────────────────────────────────────

/** Level of a division code by its length: 0 national, 1 province, 2 city, 3 county, 4 township, 5 village. */
export function divisionLevel(code: string): number {
  const level = LENGTHS.indexOf(code.length);
  if (level < 0 || !/^\d*$/.test(code)) throw new Error(`not a division code: ${code}`);
  return level;
}

/** The named level of a division code. */
export function levelOf(code: string): Level {
  return LEVELS[divisionLevel(code)];
}

/** True when `code` is a division code of exactly this level. */
export function isLevel(code: string, level: Level): boolean {
  return /^\d*$/.test(code) && code.length === LEVEL_LENGTH[level];
}

/** True when `code` is a division code of this level or below (e.g. "at least county": county, township, village). */
export function isAtOrBelow(code: string, level: Level): boolean {
  return /^\d*$/.test(code) && LENGTHS.includes(code.length) && code.length >= LEVEL_LENGTH[level];
}

/** The ancestor (or self) of `code` at `level`, or null when `code` is above that level. */
export function ancestorAt(code: string, level: Level): string | null {
  const n = LEVEL_LENGTH[level];
  return code.length >= n ? code.slice(0, n) : null;
}
export const provinceOf = (code: string) => ancestorAt(code, 'province');
export const cityOf = (code: string) => ancestorAt(code, 'city');
export const countyOf = (code: string) => ancestorAt(code, 'county');
export const townshipOf = (code: string) => ancestorAt(code, 'township');

/** The code and its ancestors from the province down (`'440112'` → `['44', '4401', '440112']`; `''` → `[]`). */
export function ancestorsOf(code: string): string[] {
  return LENGTHS.filter((n) => n > 0 && n <= code.length).map((n) => code.slice(0, n));
}

/** Parent of a division code ('' for a province, null for the root). */
export function parentCode(code: string): string | null {
  const i = LENGTHS.indexOf(code.length);
  if (i <= 0) return null;
  return code.slice(0, LENGTHS[i - 1]);
}

/** Code length of the level one below `code` (null below villages). */
export function childLength(code: string): number | null {
  const i = LENGTHS.indexOf(code.length);
  return i >= 0 && i < LENGTHS.length - 1 ? LENGTHS[i + 1] : null;
}

/** The level one below `code`'s (null below villages). */
export function childLevel(code: string): Level | null {
  const i = LENGTHS.indexOf(code.length);
  return i >= 0 && i < LEVELS.length - 1 ? LEVELS[i + 1] : null;
}

// ── read scope: who may read a producer's rows ─────────────────────────────────────────────────────────────────

/**
 * What a reader may see of producer-owned rows (those with `subject_id` and `division_code` columns): a producer sees
 * its own subject's rows; an agency sees rows whose division is inside its jurisdiction. The subjects module works
 * out a reader's ReadScope (`readScopeOf`); repos apply it with `readFilter`, single rows with `canSee`.
 */
export type ReadScope = { subjectId: string } | { scope: string };

// biome-ignore lint/suspicious/noExplicitAny: works for any table with subject_id and division_code columns
export function readFilter(eb: any, rs: ReadScope, prefix: string): Expression<SqlBool> {
  if ('subjectId' in rs) return eb(`${prefix}.subject_id`, '=', rs.subjectId);
  return scopeFilter(eb, `${prefix}.division_code`, rs.scope);
}

/** True when a single fetched row is visible to the reader. */
export function canSee(rs: ReadScope, row: { subject_id: string; division_code: string }): boolean {
  if ('subjectId' in rs) return row.subject_id === rs.subjectId;
  return inScope(rs.scope, row.division_code);
}
