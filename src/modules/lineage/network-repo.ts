import { type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * Reads of the trace events shared up from lower platforms (shared_record, resource trace_event: GS1 EPCIS 2.0
 * events, docs/sharing.md "EPCIS"), for the chain across platforms. Events are append-only: one version each.
 */
export interface SharedEvent {
  origin_platform: string;
  division_code: string;
  record_id: string;
  payload: Record<string, unknown>;
}

const lots = sql`coalesce(r.payload->'quantityList', '[]'::jsonb) || coalesce(r.payload->'inputQuantityList', '[]'::jsonb) || coalesce(r.payload->'outputQuantityList', '[]'::jsonb)`;

/** Shared events naming any of these lots (trace-code URLs) in a quantity list. */
export async function eventsOfLots(db: Kysely<DB>, classes: readonly string[]): Promise<SharedEvent[]> {
  if (!classes.length) return [];
  const r = await sql<SharedEvent>`
    SELECT r.origin_platform, r.division_code, r.record_id, r.payload FROM shared_record r
    WHERE r.resource = 'trace_event'
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(${lots}) q
                  WHERE q->>'epcClass' IN (${sql.join(classes.map((c) => sql`${c}`))}))`.execute(db);
  return r.rows;
}

/** Shared events naming a lot whose trace-code URL ends with `/t/{code}` (the issuer's base URL is not known here). */
export async function eventsOfCode(db: Kysely<DB>, code: string): Promise<SharedEvent[]> {
  const r = await sql<SharedEvent>`
    SELECT r.origin_platform, r.division_code, r.record_id, r.payload FROM shared_record r
    WHERE r.resource = 'trace_event'
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(${lots}) q WHERE right(q->>'epcClass', ${code.length + 3}) = ${`/t/${code}`})`.execute(
    db,
  );
  return r.rows;
}

/** Shared events carrying any of these sales (bizTransaction `urn:suyuan:sale:{id}`). */
export async function eventsOfSales(db: Kysely<DB>, saleUris: readonly string[]): Promise<SharedEvent[]> {
  if (!saleUris.length) return [];
  const r = await sql<SharedEvent>`
    SELECT r.origin_platform, r.division_code, r.record_id, r.payload FROM shared_record r
    WHERE r.resource = 'trace_event'
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(r.payload->'bizTransactionList', '[]'::jsonb)) t
                  WHERE t->>'bizTransaction' IN (${sql.join(saleUris.map((c) => sql`${c}`))}))`.execute(db);
  return r.rows;
}
