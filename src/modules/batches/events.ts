import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import { shareRecord } from '../../kernel/sharing.js';
import type { DB, EventType, Stage } from '../../schema.js';

/**
 * The append-only trace event store (see docs/events.md). `appendEvent` is the ONLY writer of trace_event,
 * trace_edge and of the batch projection columns (quantity, stock, status): it runs in the caller's transaction, so
 * an event, its lineage edges and the projection commit or fail together.
 */
export interface NewEvent {
  eventType: EventType;
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  /** CBV business step (commissioning, shipping, receiving, transforming, inspecting, storing, …). */
  bizStep: string;
  /** NY/T 4712-2025 stage. */
  stage: Stage;
  disposition?: string | null;
  eventTime: Date;
  eventTz?: string;
  subjectId: string | null;
  divisionCode: string;
  readPoint?: string | null;
  batchId?: string | null;
  /** Signed change to the batch's stock (e.g. +harvest, −sold, −consumed by a merge). */
  qtyDelta?: number;
  /** Change to the batch's declared quantity (commissioning and quantity corrections only). */
  quantityDelta?: number;
  unit?: string | null;
  sourceSubjectId?: string | null;
  destSubjectId?: string | null;
  bizTx?: { type: string; id: string }[];
  /** event_id (uuid) of an earlier event this one corrects. */
  corrects?: string | null;
  payload?: Record<string, unknown>;
  /** Lineage: input batch → output batch links made by this event. */
  edges?: { from: string; to: string; quantity?: number | null; unit?: string | null }[];
  /** Marks the batch as merged into another (status 'merged'). */
  merged?: boolean;
  /** Idempotency key for re-sent events (e.g. from a packing line or a lower platform). */
  idempotencyKey?: string;
}

export async function appendEvent(ctx: Ctx<Actor | null>, e: NewEvent): Promise<{ id: number; eventId: string }> {
  const db = ctx.db;
  if (!db.isTransaction) throw new Error('appendEvent() must run inside the write transaction');
  if (e.batchId && (e.qtyDelta || e.quantityDelta || e.merged))
    await applyToBatch(db, e.batchId, e.qtyDelta ?? 0, e.quantityDelta ?? 0, !!e.merged);
  const hash = e.idempotencyKey
    ? createHash('sha256').update(`${e.subjectId}:${e.idempotencyKey}`).digest('hex')
    : null;
  const row = await db
    .insertInto('trace_event')
    .values({
      event_type: e.eventType,
      action: e.action,
      biz_step: e.bizStep,
      stage: e.stage,
      disposition: e.disposition ?? null,
      event_time: e.eventTime,
      event_tz: e.eventTz ?? '+08:00',
      subject_id: e.subjectId,
      division_code: e.divisionCode,
      read_point: e.readPoint ?? null,
      batch_id: e.batchId ?? null,
      qty_delta: e.qtyDelta ?? 0,
      unit: e.unit ?? null,
      source_subject_id: e.sourceSubjectId ?? null,
      dest_subject_id: e.destSubjectId ?? null,
      biz_tx: JSON.stringify(e.bizTx ?? []),
      corrects: e.corrects ?? null,
      payload: JSON.stringify({
        ...(e.payload ?? {}),
        ...(e.quantityDelta ? { quantityDelta: e.quantityDelta } : {}),
        ...(e.merged ? { merged: true } : {}),
      }),
      content_hash: hash,
      actor_id: ctx.actor?.id ?? null,
    })
    .returning(['id', 'event_id'])
    .executeTakeFirstOrThrow();
  // A re-sent event fails here with a unique violation, as it did when trace_event.content_hash was UNIQUE.
  if (hash) await db.insertInto('trace_event_idempotency').values({ content_hash: hash, event_id: row.id }).execute();
  if (e.edges?.length) {
    await db
      .insertInto('trace_edge')
      .values(
        e.edges.map((x) => ({
          from_batch: x.from,
          to_batch: x.to,
          event_id: row.id,
          quantity: x.quantity ?? null,
          unit: x.unit ?? null,
        })),
      )
      .execute();
  }
  // Upward sharing (below national): the event travels as GS1 EPCIS 2.0 (the sharing hook maps it, epcis/mapping.ts).
  await shareRecord(ctx, 'trace_event', row.event_id, { id: row.event_id }, e.divisionCode);
  return { id: row.id, eventId: row.event_id };
}

/**
 * Updates the projection. The row lock of the UPDATE serialises concurrent writers of one batch, and the WHERE
 * clause refuses a negative stock, so two concurrent sales can never oversell (issue 5 relies on this).
 */
async function applyToBatch(db: Kysely<DB>, batchId: string, qty: number, quantityDelta: number, merged: boolean) {
  const res = await sql<{ stock: string }>`
    UPDATE batch SET
      quantity = quantity + ${quantityDelta},
      stock = stock + ${qty},
      status = CASE
        WHEN ${merged} OR status = 'merged' THEN 'merged'
        WHEN stock + ${qty} <= 0 THEN 'sold_out'
        WHEN stock + ${qty} < quantity + ${quantityDelta} THEN 'partly_sold'
        ELSE 'unsold' END
    WHERE id = ${batchId} AND stock + ${qty} >= 0
    RETURNING stock`.execute(db);
  if (res.rows.length === 0) {
    const b = await db.selectFrom('batch').select(['stock', 'unit']).where('id', '=', batchId).executeTakeFirst();
    if (!b) throw new Error(`batch ${batchId} missing`);
    throw new Problem('INSUFFICIENT_STOCK', { stock: Number(b.stock), unit: b.unit, wanted: -qty, field: 'quantity' });
  }
}

/** Recomputes a batch's projection from its events alone (for checks and repair): never used on the write path. */
export async function recomputeBatch(db: Kysely<DB>, batchId: string) {
  const r = await sql<{ quantity: string; stock: string; merged: boolean }>`
    SELECT coalesce(sum(coalesce((payload->>'quantityDelta')::numeric, 0)), 0) AS quantity,
           coalesce(sum(qty_delta), 0) AS stock,
           coalesce(bool_or((payload->>'merged')::boolean), false) AS merged
    FROM trace_event WHERE batch_id = ${batchId}`.execute(db);
  const { quantity, stock, merged } = r.rows[0];
  const q = Number(quantity);
  const s = Number(stock);
  const status = merged ? 'merged' : s <= 0 ? 'sold_out' : s < q ? 'partly_sold' : 'unsold';
  return { quantity: q, stock: s, status };
}

/**
 * Lineage over trace_edge: every batch reachable forward (descendants) or backward (ancestors) from `batchId`, by
 * a recursive CTE that follows one index per step (PK (from_batch, …) forward, trace_edge_to_idx backward). The
 * working set holds batch ids only and UNION discards revisits, so diamonds and cycles terminate and each batch is
 * expanded once (issue 5 builds traceForward/traceBackward, depths and paging on top of this).
 */
export async function walkLineage(db: Kysely<DB>, batchId: string, direction: 'forward' | 'backward', limit = 10_000) {
  const step =
    direction === 'forward'
      ? sql`SELECT e.to_batch FROM trace_edge e JOIN walk w ON e.from_batch = w.batch_id`
      : sql`SELECT e.from_batch FROM trace_edge e JOIN walk w ON e.to_batch = w.batch_id`;
  const r = await sql<{ batch_id: string }>`
    WITH RECURSIVE walk(batch_id) AS (
      SELECT ${batchId}::uuid
      UNION
      ${step}
    )
    SELECT batch_id FROM walk WHERE batch_id <> ${batchId}::uuid LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => x.batch_id);
}
