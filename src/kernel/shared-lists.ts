import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';
import { type PageParams, type Paged, paged } from './paging.js';
import { Label, Nullable } from './schemas.js';
import { latestSharedRecords, platformLink } from './sharing.js';
import { Type } from 'typebox';

/**
 * Regular lists that include the records shared up from lower platforms (信息归集, issue 14 item 5): a national or
 * provincial regulator listing batches, patrols or sampling sheets sees its own platform's records and the lower
 * platforms' latest versions in one page, both scoped by division, the shared ones marked with their origin platform
 * and read-only (the lower platform stays the system of record). The one helper every such list uses; the sharing
 * module owns `shared_record` and writes it, this only reads it (through `latestSharedRecords`).
 */

/** The origin mark every list item that can be shared carries: null for this platform's own records. */
export const SharedFromProps = {
  originPlatform: Nullable(
    Type.String({
      description:
        "the lower platform this record was shared from (信息归集, e.g. province-44); null for this platform's own",
    }),
  ),
  originPlatformName: Nullable(Label),
};

/** A received record's latest version as lists read it. */
export interface SharedRow {
  id: string;
  origin_platform: string;
  resource: string;
  record_id: string;
  division_code: string;
  payload: unknown;
  origin_created_at: Date;
  received_at: Date;
}

export type SharedQuery = ReturnType<typeof latestSharedRecords>;
export type Mixed<L> = { local: L; shared?: undefined } | { shared: SharedRow; local?: undefined };

/**
 * One page of `local` (a filtered query of this platform's records selecting `key` = the record id as text and `at`
 * = its ordering time) merged with the shared records of `resource` in `scope` (narrowed by `filter`, or left out
 * entirely when `filter` answers null: a filter that has no meaning for shared records), newest first.
 */
export async function pageWithShared<L>(
  db: Kysely<DB>,
  o: {
    // biome-ignore lint/suspicious/noExplicitAny: any table set; the selection is what matters
    local: SelectQueryBuilder<DB, any, { key: string; at: Date }>;
    resource: string;
    scope: string;
    filter?: (q: SharedQuery) => SharedQuery | null;
    load: (ids: string[]) => Promise<L[]>;
    idOf: (l: L) => string;
  },
  p: PageParams,
): Promise<Paged<Mixed<L>>> {
  const base = latestSharedRecords(db, o.resource, o.scope);
  const filtered = o.filter ? o.filter(base) : base;
  const local = o.local.select(sql<boolean>`false`.as('shared'));
  const union = filtered
    ? local.unionAll(
        filtered.select([
          sql<string>`r.id::text`.as('key'),
          sql<Date>`r.origin_created_at`.as('at'),
          sql<boolean>`true`.as('shared'),
        ]),
      )
    : local;
  const page = await paged(db.selectFrom(union.as('u')).selectAll('u').orderBy('u.at', 'desc').orderBy('u.key'), p);
  const localIds = page.items.filter((i) => !i.shared).map((i) => i.key);
  const sharedIds = page.items.filter((i) => i.shared).map((i) => i.key);
  const [locals, shareds] = await Promise.all([
    localIds.length ? o.load(localIds) : Promise.resolve([] as L[]),
    sharedRowsByIds(db, sharedIds),
  ]);
  const byKey = new Map<string, Mixed<L>>();
  for (const l of locals) byKey.set(o.idOf(l), { local: l });
  for (const s of shareds) byKey.set(s.id, { shared: s });
  return { ...page, items: page.items.flatMap((i) => byKey.get(i.key) ?? []) };
}

export function sharedRowsByIds(db: Kysely<DB>, ids: string[]): Promise<SharedRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('shared_record as r')
    .select([
      'r.id',
      'r.origin_platform',
      'r.resource',
      'r.record_id',
      'r.division_code',
      'r.payload',
      'r.origin_created_at',
      'r.received_at',
    ])
    .where('r.id', 'in', ids)
    .execute();
}

/**
 * The latest shared version of one record of `resource` in `scope`, or undefined: by its id (the lower platform's),
 * and its origin platform when known. Record ids are UUIDs, so an id names one record whatever platform it came from;
 * should two origins ever hold the same id, the one received last answers.
 */
export function sharedRecordOf(db: Kysely<DB>, resource: string, scope: string, recordId: string, origin?: string) {
  let q = latestSharedRecords(db, resource, scope)
    .select([
      'r.id',
      'r.origin_platform',
      'r.resource',
      'r.record_id',
      'r.division_code',
      'r.payload',
      'r.origin_created_at',
      'r.received_at',
    ])
    .where('r.record_id', '=', recordId);
  if (origin) q = q.where('r.origin_platform', '=', origin);
  return q.orderBy('r.received_at', 'desc').limit(1).executeTakeFirst() as Promise<SharedRow | undefined>;
}

/**
 * A module's detail read (GET /batches/:id, /patrols/:id, /sampling-sheets/:id, /subjects/:id) of an id this platform
 * does not hold: the record shared up from a lower platform under that id (信息归集, issue 14 item 5), as the module's
 * own detail shape (`dto`: read-only, no actions, marked with its origin platform), when the caller sees shared
 * records and the record's division is inside the caller's jurisdiction (filtered in the query, as every scoped
 * read); otherwise `notFound` is thrown. The one path by which a shared record opens by id; lists use
 * `pageWithShared`.
 */
export async function openShared<T>(
  ctx: Ctx,
  resource: string,
  id: string,
  dto: (row: SharedRow, names: Map<string, { zh: string; en: string }>) => T | Promise<T>,
  notFound: Error,
): Promise<T> {
  const row = seesShared(ctx.actor) ? await sharedRecordOf(ctx.db, resource, ctx.actor.scope, id) : undefined;
  if (!row) throw notFound;
  return dto(row, await originNames(ctx, [{ shared: row }]));
}

/** A payload field as text (for filters on shared records: `r.payload->>'status'`). */
export const payloadText = (key: string) => sql<string>`r.payload->>${key}`;

/**
 * A shared record's payload as the list's item: every field of `template` (the item's shape with neutral values)
 * taken from the payload when it has a value of the same kind there, the rest left neutral; no actions.
 */
export function fromSharedPayload<T extends Record<string, unknown>>(template: T, row: SharedRow): T {
  const p = (row.payload ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...template };
  for (const [k, neutral] of Object.entries(template)) {
    const v = p[k];
    if (v === undefined || v === null) continue;
    if (neutral === null || typeof v === typeof neutral || (Array.isArray(neutral) && Array.isArray(v))) out[k] = v;
  }
  return out as T;
}

/** The names of the origin platforms of some shared rows (广东省平台 / the Guangdong platform), by platform id. */
export async function originNames(ctx: Ctx<Actor | null>, rows: { shared?: SharedRow }[]) {
  const ids = [...new Set(rows.flatMap((r) => (r.shared ? [r.shared.origin_platform] : [])))];
  const names = await Promise.all(ids.map((id) => platformLink().namePlatform(ctx, id)));
  return new Map(ids.map((id, i) => [id, names[i]]));
}

/**
 * Whether the actor's lists include the lower platforms' records: regulators and the platform's operators do;
 * producers, service agencies (acting for producers) and labs see their own records only.
 */
export const seesShared = (actor: Actor) =>
  actor.orgKind !== 'producer' && actor.orgKind !== 'testing' && actor.orgKind !== 'service';
