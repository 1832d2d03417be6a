import { type Insertable, type Kysely, type Selectable, type UpdateObject, sql } from 'kysely';
import { escapeLike } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import { latestSharedRecords } from '../../kernel/sharing.js';
import type { DB } from '../../schema.js';
import type { ConnectionDirection, PlatformConnectionTable, ShareOutboxTable, SharedRecordTable } from './tables.js';

export type ConnectionRow = Selectable<PlatformConnectionTable>;
export type OutboxRow = Selectable<ShareOutboxTable>;

// ── the outbox ──────────────────────────────────────────────────────────────

/** Takes the next `n` numbers of the sequence at once (one row lock, one statement): returns the first of them. */
export async function takeSeqs(db: Kysely<DB>, n: number): Promise<number> {
  const row = await db
    .updateTable('share_sequence')
    .set((eb) => ({ last_seq: eb('last_seq', '+', n) }))
    .where('id', '=', 1)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return Number(row.last_seq) - n + 1;
}

/**
 * Appends the next version of a record to the outbox in one statement: reads the record's latest version, takes
 * the next sequence number (row-locked until the write's transaction ends) and inserts — or does nothing when the
 * latest version has the same content hash. Returns the number taken, or null when unchanged.
 */
export async function appendVersion(
  db: Kysely<DB>,
  r: {
    origin: string;
    resource: string;
    id: string;
    division: string;
    catalogVersion: string;
    hash: string;
    payload: string;
    createdAt: Date;
  },
): Promise<number | null> {
  const res = await sql<{ seq: number | string }>`
    WITH last AS (
      SELECT version, content_hash FROM share_outbox
      WHERE origin_platform = ${r.origin} AND resource = ${r.resource} AND record_id = ${r.id}
      ORDER BY version DESC LIMIT 1),
    s AS (
      UPDATE share_sequence SET last_seq = last_seq + 1
      WHERE id = 1 AND NOT EXISTS (SELECT 1 FROM last WHERE content_hash = ${r.hash})
      RETURNING last_seq)
    INSERT INTO share_outbox (seq, origin_platform, resource, record_id, version, division_code, catalog_version,
      content_hash, payload, origin_created_at)
    SELECT s.last_seq, ${r.origin}, ${r.resource}, ${r.id}, COALESCE((SELECT version FROM last), 0) + 1,
      ${r.division}, ${r.catalogVersion}, ${r.hash}, CAST(${r.payload} AS jsonb), ${r.createdAt}
    FROM s
    RETURNING seq`.execute(db);
  const row = res.rows[0];
  return row ? Number(row.seq) : null;
}

export async function lastSeq(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('share_sequence').select('last_seq').where('id', '=', 1).executeTakeFirst();
  return Number(row?.last_seq ?? 0);
}

export async function insertOutbox(
  db: Kysely<DB>,
  rows: Insertable<ShareOutboxTable> | Insertable<ShareOutboxTable>[],
) {
  for (const chunk of chunks(Array.isArray(rows) ? rows : [rows]))
    await db.insertInto('share_outbox').values(chunk).execute();
}

/** Multi-row statements in slices that stay far below PostgreSQL's 65,535 bind parameters. */
function chunks<T>(rows: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export async function outboxFrom(db: Kysely<DB>, fromSeq: number, limit: number): Promise<OutboxRow[]> {
  return db.selectFrom('share_outbox').selectAll().where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
}

/**
 * How many rows wait from `fromSeq` on, and the creation time of the oldest of the next 500: both in constant time
 * whatever the backlog (the delivery loop asks every round, and a count over a backlog of millions cost a scan per
 * batch). The sequence is gap-free and the outbox keeps every row, so the backlog is the counter minus the cursor;
 * numbers follow commit order, so the oldest waiting row is among the first ones.
 */
export async function outboxBacklog(db: Kysely<DB>, fromSeq: number) {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('share_sequence').select('last_seq').where('id', '=', 1).as('last'),
      eb
        .selectFrom(
          eb
            .selectFrom('share_outbox')
            .select('created_at')
            .where('seq', '>=', fromSeq)
            .orderBy('seq')
            .limit(500)
            .as('w'),
        )
        .select((e) => e.fn.min('w.created_at').as('m'))
        .as('oldest'),
    ])
    .executeTakeFirst();
  const last = Number(row?.last ?? 0);
  return { backlog: Math.max(0, last - fromSeq + 1), oldest: (row?.oldest as Date | null) ?? null };
}

// ── connections ─────────────────────────────────────────────────────────────

export async function connectionByPlatform(
  db: Kysely<DB>,
  direction: ConnectionDirection,
  platformId: string,
  lock = false,
): Promise<ConnectionRow | undefined> {
  let q = db
    .selectFrom('platform_connection')
    .selectAll()
    .where('direction', '=', direction)
    .where('platform_id', '=', platformId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function upperConnection(db: Kysely<DB>): Promise<ConnectionRow | undefined> {
  return db.selectFrom('platform_connection').selectAll().where('direction', '=', 'upper').executeTakeFirst();
}

export async function connectionById(db: Kysely<DB>, id: string, lock = false): Promise<ConnectionRow | undefined> {
  let q = db.selectFrom('platform_connection').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function listConnections(db: Kysely<DB>): Promise<ConnectionRow[]> {
  return db.selectFrom('platform_connection').selectAll().orderBy('direction', 'desc').orderBy('platform_id').execute();
}

/** Inserts or replaces (by direction and platform id) a connection's identity, contact and status. */
export async function upsertConnection(
  db: Kysely<DB>,
  v: Pick<
    Insertable<PlatformConnectionTable>,
    | 'direction'
    | 'platform_id'
    | 'tier'
    | 'region'
    | 'public_key'
    | 'entry_url'
    | 'contact_name'
    | 'contact_phone'
    | 'peer_status'
    | 'status'
  >,
): Promise<ConnectionRow> {
  const { direction: _d, platform_id: _p, ...rest } = v;
  return db
    .insertInto('platform_connection')
    .values({ ...v, reason: null })
    .onConflict((oc) =>
      oc.columns(['direction', 'platform_id']).doUpdateSet({ ...rest, reason: null, updated_at: new Date() }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateConnection(
  db: Kysely<DB>,
  id: string,
  set: UpdateObject<DB, 'platform_connection'>,
): Promise<void> {
  await db
    .updateTable('platform_connection')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ── received records ────────────────────────────────────────────────────────

/**
 * Inserts received record versions in one statement per slice; returns the keys (`origin|resource|id|version`) that
 * were new. A version already there (a redelivery, or a conflict the caller classifies) is left alone.
 */
export async function insertSharedRecords(db: Kysely<DB>, rows: Insertable<SharedRecordTable>[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of chunks(rows)) {
    const got = await db
      .insertInto('shared_record')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .returning(['origin_platform', 'resource', 'record_id', 'version'])
      .execute();
    for (const r of got) out.add(sharedKey(r.origin_platform, r.resource, r.record_id, r.version));
  }
  return out;
}

export const sharedKey = (origin: string, resource: string, recordId: string, version: number) =>
  `${origin}|${resource}|${recordId}|${version}`;

/** The stored content hashes of these record versions, by `sharedKey` (one statement per slice). */
export async function sharedRecordHashes(
  db: Kysely<DB>,
  keys: { origin: string; resource: string; id: string; version: number }[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of chunks(keys)) {
    const rows = await db
      .selectFrom('shared_record')
      .select(['origin_platform', 'resource', 'record_id', 'version', 'content_hash'])
      .where('origin_platform', 'in', [...new Set(chunk.map((k) => k.origin))])
      .where('resource', 'in', [...new Set(chunk.map((k) => k.resource))])
      .where('record_id', 'in', [...new Set(chunk.map((k) => k.id))])
      .execute();
    for (const r of rows) out.set(sharedKey(r.origin_platform, r.resource, r.record_id, r.version), r.content_hash);
  }
  return out;
}

export async function insertParked(
  db: Kysely<DB>,
  rows: {
    sender_platform: string;
    sender_seq: number;
    origin_platform: string;
    resource: string;
    record_id: string;
    version: number;
    reason_code: string;
    reason_zh: string;
    reason_en: string;
    payload: string;
  }[],
): Promise<void> {
  for (const chunk of chunks(rows))
    await db
      .insertInto('shared_parked')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

/** The latest version of every received record in `scope`, filtered. */
export function searchShared(
  db: Kysely<DB>,
  scope: string,
  f: { resource?: string; origin?: string; divisionCode?: string; q?: string },
  p: PageParams,
) {
  let q = latestSharedRecords(db, f.resource, scope).selectAll('r');
  if (f.origin) q = q.where('r.origin_platform', '=', f.origin);
  if (f.divisionCode) q = q.where('r.division_code', 'like', `${escapeLike(f.divisionCode)}%`);
  if (f.q) q = q.where(sql`r.payload::text`, 'ilike', `%${escapeLike(f.q)}%`);
  return paged(q.orderBy('r.received_at', 'desc').orderBy('r.id'), p);
}

export function listParked(db: Kysely<DB>, p: PageParams) {
  return paged(db.selectFrom('shared_parked').selectAll().orderBy('parked_at', 'desc').orderBy('id'), p);
}

/** Counts for tests and the evaluation: received record versions per origin platform. */
export async function countsByOrigin(db: Kysely<DB>) {
  return db
    .selectFrom('shared_record')
    .select((eb) => ['origin_platform', eb.fn.countAll<number>().as('n')])
    .groupBy('origin_platform')
    .execute();
}

/** Received record versions per sending platform since `from` (the evaluation's records shared in the period). */
export async function receivedSince(db: Kysely<DB>, from: Date) {
  return db
    .selectFrom('shared_record')
    .select((eb) => ['sender_platform', eb.fn.countAll<number>().as('n')])
    .where('received_at', '>=', from)
    .groupBy('sender_platform')
    .execute();
}
