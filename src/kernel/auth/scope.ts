import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { problems } from '../problems.js';

/**
 * Jurisdiction (辖区) in one place. A scope is a division code; the national root is ''. Division codes nest as
 * prefixes (省 2 · 市 4 · 县 6 · 乡镇 9 · 村 12 digits), so "X is inside my jurisdiction" is a prefix test.
 */
export function inScope(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

/** The SQL form of `inScope`, for repo queries: `column LIKE scope || '%'` (served by a text_pattern_ops index). */
export function scopeFilter<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  scope: string,
): Expression<SqlBool> {
  if (!/^\d*$/.test(scope)) throw new Error(`invalid scope ${scope}`);
  if (scope === '') return sql<boolean>`true`;
  return eb(eb.ref(column as never), 'like', `${scope}%` as never);
}

export function assertInScope(scope: string, code: string, targetZh: string, targetEn: string): void {
  if (!inScope(scope, code)) throw problems.outOfJurisdiction(targetZh, targetEn);
}

/** Level of a division code by its length: 0 national, 1 province, 2 city, 3 county, 4 township, 5 village. */
export function divisionLevel(code: string): number {
  const levels: Record<number, number> = { 0: 0, 2: 1, 4: 2, 6: 3, 9: 4, 12: 5 };
  const level = levels[code.length];
  if (level === undefined || !/^\d*$/.test(code)) throw new Error(`not a division code: ${code}`);
  return level;
}

/** Parent of a division code ('' for a province, null for the root). */
export function parentCode(code: string): string | null {
  const lengths = [0, 2, 4, 6, 9, 12];
  const i = lengths.indexOf(code.length);
  if (i <= 0) return null;
  return code.slice(0, lengths[i - 1]);
}
