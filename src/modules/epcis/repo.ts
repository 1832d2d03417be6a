import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type ReadScope, readFilter } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import type { EpcisEventType } from './tables.js';

/** Keyset position: event time (UTC text, microseconds), source (0 platform event, 1 captured), row id. */
export interface Cursor {
  t: string;
  k: 0 | 1;
  id: number;
}

export interface EventFilter {
  types: EpcisEventType[] | null;
  geEventTime: string | null;
  ltEventTime: string | null;
  geRecordTime: string | null;
  ltRecordTime: string | null;
  /** Stored forms (captured: normalised CBV word or URI; platform: our step names). */
  bizSteps: string[] | null;
  /** Instance EPCs (MATCH_epc); `anyEpc` also matches parentID. Exact values and pattern regexes (epcpattern.ts). */
  epcs: EpcMatch | null;
  anyEpcs: EpcMatch | null;
  epcClasses: string[] | null;
}

/** A MATCH_epc / MATCH_anyEPC value list: exact EPCs (matched through the index) and pattern regexes. */
export interface EpcMatch {
  exact: string[];
  regexes: string[];
}

/** Whether one of the event's EPCs (and, for MATCH_anyEPC, its parentID) matches. */
function epcCondition(m: EpcMatch, withParent: boolean): RawBuilder<boolean> {
  const parts: RawBuilder<unknown>[] = [];
  if (m.exact.length) parts.push(sql`c.epcs && ${sql.val(m.exact)}::text[]`);
  if (m.regexes.length)
    parts.push(sql`EXISTS (SELECT 1 FROM unnest(c.epcs) AS u(e) WHERE u.e ~ ANY(${sql.val(m.regexes)}::text[]))`);
  if (withParent && m.exact.length) parts.push(sql`c.parent_id = ANY(${sql.val(m.exact)}::text[])`);
  if (withParent && m.regexes.length) parts.push(sql`c.parent_id ~ ANY(${sql.val(m.regexes)}::text[])`);
  return sql<boolean>`(${sql.join(parts, sql` OR `)})`;
}

const UTC_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
const ts = (v: string): RawBuilder<Date> => sql<Date>`${v}::timestamptz`;
const timeText = (col: string) => sql<string>`to_char(${sql.ref(col)} AT TIME ZONE 'UTC', ${sql.raw(UTC_TEXT)})`;

// ── captured events ─────────────────────────────────────────────────────────────────────────────────────────────

export const existingHashes = (db: Kysely<DB>, subjectId: string, hashes: string[]) =>
  hashes.length
    ? db
        .selectFrom('epcis_event')
        .select('event_hash')
        .where('subject_id', '=', subjectId)
        .where('event_hash', 'in', hashes)
        .execute()
    : Promise.resolve([]);

export interface NewCaptured {
  event_hash: string;
  event_type: string;
  event_time: string;
  biz_step: string | null;
  epcs: string[];
  parent_id: string | null;
  epc_classes: string[];
  event: string;
  context: string | null;
  subject_id: string;
  division_code: string;
  capture_id: string;
  captured_by: string | null;
}

/** Inserts captured events; a (producer, hash) already stored is skipped. Returns the hashes inserted. */
export async function insertCaptured(db: Kysely<DB>, rows: NewCaptured[]): Promise<string[]> {
  if (!rows.length) return [];
  const out = await db
    .insertInto('epcis_event')
    .values(rows.map((r) => ({ ...r, event_time: ts(r.event_time) })))
    .onConflict((oc) => oc.columns(['subject_id', 'event_hash']).doNothing())
    .returning('event_hash')
    .execute();
  return out.map((r) => r.event_hash);
}

/** Captured events visible to the reader, matching the filter, after the cursor, in (event time, id) order. */
export async function capturedEvents(
  db: Kysely<DB>,
  rs: ReadScope,
  f: EventFilter,
  after: Cursor | null,
  limit: number,
) {
  let q = db
    .selectFrom('epcis_event as c')
    .select(['c.id', 'c.event', 'c.context', 'c.record_time'])
    .select(timeText('c.event_time').as('t'))
    .where((eb) => readFilter(eb, rs, 'c'));
  if (f.types) q = q.where('c.event_type', 'in', f.types);
  if (f.geEventTime) q = q.where('c.event_time', '>=', ts(f.geEventTime));
  if (f.ltEventTime) q = q.where('c.event_time', '<', ts(f.ltEventTime));
  if (f.geRecordTime) q = q.where('c.record_time', '>=', ts(f.geRecordTime));
  if (f.ltRecordTime) q = q.where('c.record_time', '<', ts(f.ltRecordTime));
  if (f.bizSteps) q = q.where('c.biz_step', 'in', f.bizSteps);
  if (f.epcs) q = q.where(epcCondition(f.epcs, false));
  if (f.anyEpcs) q = q.where(epcCondition(f.anyEpcs, true));
  if (f.epcClasses) q = q.where(sql<boolean>`c.epc_classes && ${sql.val(f.epcClasses)}::text[]`);
  if (after) {
    const t = after.t;
    q =
      after.k === 1
        ? q.where((eb) =>
            eb.or([
              eb('c.event_time', '>', sql<Date>`${t}::timestamptz`),
              eb.and([eb('c.event_time', '=', sql<Date>`${t}::timestamptz`), eb('c.id', '>', after.id)]),
            ]),
          )
        : q.where('c.event_time', '>=', sql<Date>`${t}::timestamptz`);
  }
  return q.orderBy('c.event_time').orderBy('c.id').limit(limit).execute();
}

// ── the platform's own trace events ───────────────────────────────────────────────────────────────────────────────

/** The SQL twin of mapping.ts `epcisTypeOf`. */
function typeFilter(types: EpcisEventType[]): RawBuilder<boolean> {
  const hasEdges = sql`EXISTS (SELECT 1 FROM trace_edge x WHERE x.event_id = e.id)`;
  const hasTx = sql`jsonb_array_length(e.biz_tx) > 0`;
  const parts: RawBuilder<unknown>[] = [];
  for (const t of types) {
    if (t === 'ObjectEvent')
      parts.push(
        sql`(e.event_type = 'object' OR (e.event_type = 'transaction' AND NOT ${hasTx})
          OR (e.event_type IN ('aggregation', 'association') AND NOT ${hasEdges}))`,
      );
    if (t === 'TransactionEvent') parts.push(sql`(e.event_type = 'transaction' AND ${hasTx})`);
    if (t === 'TransformationEvent') parts.push(sql`e.event_type = 'transformation'`);
    if (t === 'AggregationEvent') parts.push(sql`(e.event_type = 'aggregation' AND ${hasEdges})`);
    if (t === 'AssociationEvent') parts.push(sql`(e.event_type = 'association' AND ${hasEdges})`);
  }
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` OR `)})` : sql<boolean>`false`;
}

/**
 * The platform's trace events visible to the reader (readFilter: a producer its own, a regulator its jurisdiction),
 * matching the filter, after the cursor. `batchIds` (MATCH_epcClass resolved to batches) matches the event's own
 * batch and the batches its lineage edges name.
 */
export async function platformEvents(
  db: Kysely<DB>,
  rs: ReadScope,
  f: EventFilter,
  batchIds: string[] | null,
  after: Cursor | null,
  limit: number,
) {
  let q = db
    .selectFrom('trace_event as e')
    .selectAll('e')
    .select(timeText('e.event_time').as('t'))
    .where((eb) => readFilter(eb, rs, 'e'));
  if (f.types) {
    q = q.where(typeFilter(f.types));
  }
  if (f.geEventTime) q = q.where('e.event_time', '>=', ts(f.geEventTime));
  if (f.ltEventTime) q = q.where('e.event_time', '<', ts(f.ltEventTime));
  if (f.geRecordTime) q = q.where('e.record_time', '>=', ts(f.geRecordTime));
  if (f.ltRecordTime) q = q.where('e.record_time', '<', ts(f.ltRecordTime));
  if (f.bizSteps) q = q.where('e.biz_step', 'in', f.bizSteps);
  if (batchIds) {
    if (!batchIds.length) return [];
    q = q.where((eb) =>
      eb.or([
        eb('e.batch_id', 'in', batchIds),
        eb.exists(
          eb
            .selectFrom('trace_edge as x')
            .select('x.event_id')
            .whereRef('x.event_id', '=', 'e.id')
            .where((w) => w.or([w('x.from_batch', 'in', batchIds), w('x.to_batch', 'in', batchIds)])),
        ),
      ]),
    );
  }
  if (after) {
    const t = after.t;
    q =
      after.k === 0
        ? q.where((eb) =>
            eb.or([
              eb('e.event_time', '>', sql<Date>`${t}::timestamptz`),
              eb.and([eb('e.event_time', '=', sql<Date>`${t}::timestamptz`), eb('e.id', '>', after.id)]),
            ]),
          )
        : q.where('e.event_time', '>', sql<Date>`${t}::timestamptz`);
  }
  return q.orderBy('e.event_time').orderBy('e.id').limit(limit).execute();
}

export const platformEventById = (db: Kysely<DB>, eventId: string) =>
  db
    .selectFrom('trace_event as e')
    .selectAll('e')
    .select(timeText('e.event_time').as('t'))
    .where('e.event_id', '=', eventId)
    .execute();

export const edgesOf = (db: Kysely<DB>, eventIds: number[]) =>
  eventIds.length
    ? db
        .selectFrom('trace_edge')
        .select(['event_id', 'from_batch', 'to_batch', 'quantity', 'unit'])
        .where('event_id', 'in', eventIds)
        .orderBy('event_id')
        .orderBy('from_batch')
        .orderBy('to_batch')
        .execute()
    : Promise.resolve([]);

export const batchesByIds = (db: Kysely<DB>, ids: string[]) =>
  ids.length
    ? db.selectFrom('batch').select(['id', 'kind', 'code_serial', 'batch_no']).where('id', 'in', ids).execute()
    : Promise.resolve([]);

/** Batches whose own trace code is (kind, serial). */
export const batchesByCode = (db: Kysely<DB>, kind: 'production' | 'circulation', serial: number) =>
  db.selectFrom('batch').select('id').where('kind', '=', kind).where('code_serial', '=', serial).execute();
