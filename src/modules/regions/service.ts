import { Problem, problems } from '../../kernel/problems.js';
import type { Ctx } from '../../kernel/context.js';
import type { Actor } from '../../kernel/context.js';
import * as repo from './repo.js';

type AnyCtx = Ctx<Actor | null>;

const toDto = (r: repo.DivisionRow) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, hasChildren: r.has_children });

export async function children(ctx: AnyCtx, parent: string) {
  if (parent !== '' && !(await repo.exists(ctx.db, parent))) throw new Problem('UNKNOWN_DIVISION', { code: parent, field: 'parent' });
  return (await repo.children(ctx.db, parent)).map(toDto);
}

export async function get(ctx: AnyCtx, code: string) {
  const row = await repo.byCode(ctx.db, code);
  if (!row) throw problems.notFound(`行政区划 ${code}`, `Division ${code}`);
  const path = await repo.pathOf(ctx.db, code);
  return { ...toDto(row), path, fullName: path.filter((p) => p.level > 0).map((p) => p.name).join('') };
}

export function search(ctx: AnyCtx, q: { q: string; level?: number; within?: string; limit?: number }) {
  return repo.search(ctx.db, { name: q.q.trim(), level: q.level, within: q.within ?? '', limit: q.limit ?? 20 });
}

/** Full name "广东省广州市从化区…" of a division, for labels and documents. */
export async function fullName(ctx: AnyCtx, code: string): Promise<string> {
  const path = await repo.pathOf(ctx.db, code);
  return path.filter((p) => p.level > 0).map((p) => p.name).join('');
}

export async function assertExists(ctx: AnyCtx, code: string, field: string): Promise<void> {
  if (!(await repo.exists(ctx.db, code))) throw new Problem('UNKNOWN_DIVISION', { code, field });
}
