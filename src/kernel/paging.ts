import type { SelectQueryBuilder } from 'kysely';

/**
 * One paging helper and one list shape for every list: `{ items, total, page, pageSize }`. Routes take the query
 * fields `PageQuery` (kernel/schemas.ts) and answer `Page(item)`; services call `pageOf(query)` and repos `paged(...)`.
 */
export interface PageParams {
  page: number;
  pageSize: number;
}
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

/** Normalises `page`/`pageSize` from a query (defaults 1 and 20; pageSize capped at `max`). */
export function pageOf(q: { page?: number; pageSize?: number }, opts: { pageSize?: number; max?: number } = {}) {
  const max = opts.max ?? MAX_PAGE_SIZE;
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const pageSize = Math.min(max, Math.max(1, Math.floor(q.pageSize ?? opts.pageSize ?? DEFAULT_PAGE_SIZE)));
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

/**
 * Runs a filtered, ordered select for one page and counts the whole filtered set (one statement each, in parallel
 * on PostgreSQL). `count` is the same query without ordering (pass it when the ordered one has joins that only
 * ordering needs).
 */
export async function paged<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  p: PageParams,
  count?: SelectQueryBuilder<DB, TB, unknown>,
): Promise<Paged<O>> {
  const offset = (p.page - 1) * p.pageSize;
  const counted = (count ?? query)
    .clearOrderBy()
    .clearSelect()
    .select((eb) => eb.fn.countAll<string>().as('n'));
  const [items, total] = await Promise.all([
    query.limit(p.pageSize).offset(offset).execute(),
    counted.executeTakeFirst() as Promise<{ n: string } | undefined>,
  ]);
  return { items, total: Number(total?.n ?? 0), page: p.page, pageSize: p.pageSize };
}

/** Maps the items of a page, keeping its counts. */
export async function mapPage<T, U>(p: Paged<T>, fn: (item: T) => U | Promise<U>): Promise<Paged<U>> {
  return { ...p, items: await Promise.all(p.items.map(fn)) };
}
