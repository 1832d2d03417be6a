import { LEVELS, LEVEL_LABELS, ancestorsOf } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as repo from './repo.js';
import type { ChildrenQuery, Division, DivisionDetail, PathItem, SearchQuery } from './schemas.js';

type AnyCtx = Ctx<Actor | null>;

const levelLabels = (level: number) => {
  const l = LEVEL_LABELS[LEVELS[level] ?? 'village'];
  return { levelZh: l.zh, levelEn: l.en };
};

const toDto = (r: repo.DivisionRow): Division => ({
  code: r.code,
  name: r.name,
  level: r.level,
  ...levelLabels(r.level),
  parentCode: r.parent_code,
  hasChildren: r.has_children,
});

const pathItem = (p: { code: string; name: string; level: number }): PathItem => ({ ...p, ...levelLabels(p.level) });

/** A page of the children of a division ('' = the provinces). */
export async function childrenPage(ctx: AnyCtx, q: ChildrenQuery) {
  const parent = q.parent ?? '';
  if (parent !== '' && !(await repo.exists(ctx.db, parent)))
    throw new Problem('UNKNOWN_DIVISION', { code: parent, field: 'parent' });
  return mapPage(await repo.children(ctx.db, parent, pageOf(q, { pageSize: 200 })), toDto);
}

/** Every child of a division (no division has more than 200). */
export async function children(ctx: AnyCtx, parent: string): Promise<Division[]> {
  return (await childrenPage(ctx, { parent })).items;
}

export async function get(ctx: AnyCtx, code: string): Promise<DivisionDetail> {
  const row = await repo.byCode(ctx.db, code);
  if (!row) throw problems.notFound(`行政区划 ${code}`, `Division ${code}`);
  const path = await repo.pathOf(ctx.db, code);
  return {
    ...toDto(row),
    path: path.map(pathItem),
    fullName: path
      .filter((p) => p.level > 0)
      .map((p) => p.name)
      .join(''),
  };
}

export async function search(ctx: AnyCtx, q: SearchQuery) {
  const page = await repo.search(
    ctx.db,
    { name: q.q.trim(), level: q.level, within: q.within ?? '' },
    pageOf(q, { max: 100 }),
  );
  return mapPage(page, pathItem);
}

/** Full name "广东省广州市从化区…" of a division, for labels and documents. */
export async function fullName(ctx: AnyCtx, code: string): Promise<string> {
  const path = await repo.pathOf(ctx.db, code);
  return path
    .filter((p) => p.level > 0)
    .map((p) => p.name)
    .join('');
}

export async function assertExists(ctx: AnyCtx, code: string, field: string): Promise<void> {
  if (!(await repo.exists(ctx.db, code))) throw new Problem('UNKNOWN_DIVISION', { code, field });
}

/** Short names of divisions by code (codes without a division are left out). */
export function namesOf(ctx: AnyCtx, codes: string[]): Promise<Map<string, string>> {
  return repo.namesOf(ctx.db, codes);
}

/**
 * Full names of divisions already resolved with every ancestor found. Division rows are the national code table
 * (NBS), loaded once and never renamed, so a full name, once whole, stays true for the process (issue 19: the lineage
 * answer names the division of every lot; this keeps that off the database).
 */
const fullNameCache = new Map<string, string>();
const FULL_NAME_CACHE_MAX = 50_000;

/**
 * Full names ("广东省广州市从化区温泉镇") of many divisions at once, in one query over their ancestors (none when every
 * name is cached); a code without a division keeps the names of the ancestors found (or ''), '' (national) reads 全国.
 */
export async function fullNamesOf(ctx: AnyCtx, codes: string[]): Promise<Map<string, string>> {
  const want = [...new Set(codes.filter((c) => typeof c === 'string'))];
  const out = new Map<string, string>();
  const missing: string[] = [];
  for (const c of want) {
    const hit = c ? fullNameCache.get(c) : '全国';
    if (hit === undefined) missing.push(c);
    else out.set(c, hit);
  }
  if (!missing.length) return out;
  const names = await repo.namesOf(ctx.db, [...new Set(missing.flatMap((c) => ancestorsOf(c)))]);
  for (const c of missing) {
    const parts = ancestorsOf(c).map((a) => names.get(a));
    const full = parts.map((p) => p ?? '').join('');
    out.set(c, full);
    if (parts.every((p) => p !== undefined) && fullNameCache.size < FULL_NAME_CACHE_MAX) fullNameCache.set(c, full);
  }
  return out;
}
