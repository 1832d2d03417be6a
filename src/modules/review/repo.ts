import type { Insertable, Kysely, Updateable } from 'kysely';
import { likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';
import type { ReviewEventTable, ReviewItemTable, ReviewState } from './tables.js';

/** Who sees which items: an organisation's own (producers, service agencies), or a jurisdiction (agencies). */
export type Visibility =
  | { orgId: string }
  /** A jurisdiction, less the `hidden` resources unless entered by the organisation `orgId`. */
  | { scope: string; hidden: string[]; orgId: string };
export interface ItemFilter {
  state?: ReviewState;
  resource?: string;
  divisionCode?: string;
  overdueAt?: Date;
  ids?: string[];
}

function filtered(db: Kysely<DB>, v: Visibility, f: ItemFilter) {
  let q = db.selectFrom('review_item').selectAll();
  if ('scope' in v) {
    q = q.where((eb) => scopeFilter(eb, 'division_code', v.scope));
    const { hidden, orgId } = v;
    if (hidden.length) q = q.where((eb) => eb.or([eb('resource', 'not in', hidden), eb('org_id', '=', orgId)]));
  } else q = q.where('org_id', '=', v.orgId);
  if (f.state) q = q.where('state', '=', f.state);
  if (f.resource) q = q.where('resource', '=', f.resource);
  if (f.divisionCode) q = q.where('division_code', 'like', likePrefix(f.divisionCode));
  if (f.overdueAt) q = q.where('state', '=', 'pending').where('due_at', '<', f.overdueAt);
  if (f.ids) q = q.where('id', 'in', f.ids);
  return q;
}

export function pageItems(db: Kysely<DB>, v: Visibility, f: ItemFilter, p: PageParams) {
  return paged(filtered(db, v, f).orderBy('due_at').orderBy('id'), p);
}

/** The filtered set, locked (bulk approval). */
export function lockItems(db: Kysely<DB>, v: Visibility, f: ItemFilter, limit: number) {
  return filtered(db, v, f).orderBy('id').limit(limit).forUpdate().execute();
}

export function itemById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('review_item').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export type ItemRow = NonNullable<Awaited<ReturnType<typeof itemById>>>;

export function itemOf(db: Kysely<DB>, resource: string, recordId: string) {
  return db
    .selectFrom('review_item')
    .selectAll()
    .where('resource', '=', resource)
    .where('record_id', '=', recordId)
    .forUpdate()
    .executeTakeFirst();
}

/** The items of many records of one resource, locked. */
export function itemsOf(db: Kysely<DB>, resource: string, recordIds: string[]) {
  if (!recordIds.length) return Promise.resolve([]);
  return db
    .selectFrom('review_item')
    .selectAll()
    .where('resource', '=', resource)
    .where('record_id', 'in', recordIds)
    .forUpdate()
    .execute();
}

export function insertItems(db: Kysely<DB>, rows: Insertable<ReviewItemTable>[]) {
  if (!rows.length) return Promise.resolve([]);
  return db.insertInto('review_item').values(rows).returning(['id', 'record_id']).execute();
}

export function insertItem(db: Kysely<DB>, row: Insertable<ReviewItemTable>) {
  return db.insertInto('review_item').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateItem(db: Kysely<DB>, id: string, patch: Updateable<ReviewItemTable>) {
  return db.updateTable('review_item').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function insertEvent(db: Kysely<DB>, row: Insertable<ReviewEventTable>) {
  await db.insertInto('review_event').values(row).execute();
}

export async function insertEvents(db: Kysely<DB>, rows: Insertable<ReviewEventTable>[]) {
  if (rows.length) await db.insertInto('review_event').values(rows).execute();
}

export function eventsOf(db: Kysely<DB>, itemId: string) {
  return db.selectFrom('review_event').selectAll().where('item_id', '=', itemId).orderBy('at').orderBy('id').execute();
}
