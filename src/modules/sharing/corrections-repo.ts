import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { DB } from '../../schema.js';
import type { ShareCorrectionTable } from './tables.js';

export type CorrectionRow = Selectable<ShareCorrectionTable>;

/** The latest received version of a shared-in record (any division: the caller checks jurisdiction). */
export function latestShared(db: Kysely<DB>, origin: string, resource: string, recordId: string) {
  return db
    .selectFrom('shared_record')
    .selectAll()
    .where('origin_platform', '=', origin)
    .where('resource', '=', resource)
    .where('record_id', '=', recordId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Inserts requests; returns the ids that were new (a request received twice is stored once). */
export async function insertCorrections(db: Kysely<DB>, rows: Insertable<ShareCorrectionTable>[]) {
  if (!rows.length) return new Set<string>();
  const got = await db
    .insertInto('share_correction')
    .values(rows)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(got.map((r) => r.id));
}

export const byId = (db: Kysely<DB>, id: string) =>
  db.selectFrom('share_correction').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * The status as this platform sees it: at the origin platform a request is corrected as soon as our own outbox holds
 * a newer version of the record (our user edited it); elsewhere the stored status (set when a newer version arrives).
 */
const effectiveStatus = sql<string>`CASE WHEN c.status <> 'corrected' AND c.from_upper AND c.deliver_to IS NULL
  AND EXISTS (SELECT 1 FROM share_outbox o WHERE o.origin_platform = c.origin_platform AND o.resource = c.resource
    AND o.record_id = c.record_id AND o.version > c.version) THEN 'corrected' ELSE c.status END`;

export function list(
  db: Kysely<DB>,
  scope: string,
  f: { status?: string; recordId?: string; id?: string },
  p: PageParams,
) {
  let q = db
    .selectFrom('share_correction as c')
    .selectAll('c')
    .select(effectiveStatus.as('effective_status'))
    .where((eb) => scopeFilter(eb, 'c.division_code', scope));
  if (f.status) q = q.where(effectiveStatus, '=', f.status);
  if (f.recordId) q = q.where('c.record_id', '=', f.recordId);
  if (f.id) q = q.where('c.id', '=', f.id);
  return paged(q.orderBy('c.created_at', 'desc').orderBy('c.id'), p);
}

/** Requests still to be delivered to a lower platform (resent with every answer until acknowledged). */
export function undelivered(db: Kysely<DB>, to: string, limit = 100) {
  return db
    .selectFrom('share_correction')
    .selectAll()
    .where('deliver_to', '=', to)
    .where('delivered_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export async function markDelivered(db: Kysely<DB>, to: string, ids: string[]) {
  if (!ids.length) return;
  await db
    .updateTable('share_correction')
    .set({ delivered_at: new Date() })
    .where('deliver_to', '=', to)
    .where('id', 'in', ids)
    .where('delivered_at', 'is', null)
    .execute();
}

/** An answer reported by the lower platform the request went to; relayed up when it came from above. */
export async function applyAnswer(db: Kysely<DB>, from: string, r: { id: string; answer: string; at: string }) {
  return db
    .updateTable('share_correction')
    .set({
      status: 'answered',
      answer: r.answer,
      answered_at: new Date(r.at),
      report_pending: sql<boolean>`from_upper`,
    })
    .where('id', '=', r.id)
    .where('deliver_to', '=', from)
    .where('status', '=', 'open')
    .returning(['id', 'division_code'])
    .executeTakeFirst();
}

/** Marks requests corrected when a newer version of their record has arrived. */
export async function markCorrected(
  db: Kysely<DB>,
  recs: { origin: string; resource: string; id: string; version: number }[],
) {
  if (!recs.length) return [];
  const open = await db
    .selectFrom('share_correction')
    .select(['id', 'origin_platform', 'resource', 'record_id', 'version', 'division_code'])
    .where('record_id', 'in', [...new Set(recs.map((r) => r.id))])
    .where('status', '<>', 'corrected')
    .execute();
  const hit = open.filter((c) =>
    recs.some(
      (r) =>
        r.origin === c.origin_platform && r.resource === c.resource && r.id === c.record_id && r.version > c.version,
    ),
  );
  if (hit.length)
    await db
      .updateTable('share_correction')
      .set({ status: 'corrected', corrected_at: new Date() })
      .where(
        'id',
        'in',
        hit.map((c) => c.id),
      )
      .execute();
  return hit;
}

/** On a lower platform: requests received from above not yet acknowledged, and answers not yet reported up. */
export async function toReport(db: Kysely<DB>) {
  const acks = await db
    .selectFrom('share_correction')
    .select('id')
    .where('from_upper', '=', true)
    .where('acked_at', 'is', null)
    .limit(500)
    .execute();
  const reports = await db
    .selectFrom('share_correction')
    .select(['id', 'answer', 'answered_at'])
    .where('from_upper', '=', true)
    .where('report_pending', '=', true)
    .where('status', '=', 'answered')
    .limit(500)
    .execute();
  return { acks: acks.map((r) => r.id), reports };
}

export async function markAcked(db: Kysely<DB>, ids: string[]) {
  if (ids.length)
    await db.updateTable('share_correction').set({ acked_at: new Date() }).where('id', 'in', ids).execute();
}

export async function unack(db: Kysely<DB>, ids: string[]) {
  if (ids.length) await db.updateTable('share_correction').set({ acked_at: null }).where('id', 'in', ids).execute();
}

export async function markReported(db: Kysely<DB>, ids: string[]) {
  if (ids.length)
    await db.updateTable('share_correction').set({ report_pending: false }).where('id', 'in', ids).execute();
}

export async function answer(db: Kysely<DB>, id: string, text: string) {
  await db
    .updateTable('share_correction')
    .set({ status: 'answered', answer: text, answered_at: new Date(), report_pending: true })
    .where('id', '=', id)
    .execute();
}
