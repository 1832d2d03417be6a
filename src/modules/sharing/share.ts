import type { Kysely } from 'kysely';
import type { ShareCtx } from '../../kernel/sharing.js';
import type { DB } from '../../schema.js';
import { projectRecord, sharePolicy } from './catalog.js';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { platformIdOf, sm3Hex } from './identity.js';
import * as repo from './repo.js';
import { traceEventAsEpcis } from '../epcis/service.js';

export interface ShareRecord {
  origin: string;
  resource: string;
  id: string;
  version: number;
  division: string;
  catalogVersion: string;
  hash: string;
  createdAt: Date;
  record: Record<string, unknown>;
}

/**
 * The share hook (installed as kernel/sharing.ts `shareRecord`, which owning services call in the write's
 * transaction with the record as written). It appends an outbox row with the next number of the platform's gap-free
 * sequence (the counter row is locked until the transaction ends, so numbers commit in order or roll back with the
 * write), a new version per record and the SM3 hash of the shared fields. An unchanged record (same hash as its last
 * version) appends nothing. The national platform shares with no one and keeps no outbox.
 */
export async function share(
  ctx: ShareCtx,
  resource: string,
  id: string,
  record: Record<string, unknown>,
  divisionCode: string,
): Promise<number | null> {
  if (ctx.config.platformTier === 'national') return null;
  if (!ctx.db.isTransaction) throw new Error('share() must run inside the write transaction');
  const policy = await sharePolicy(ctx.db, resource);
  if (!policy) return null;
  // Trace events travel whole, as GS1 EPCIS 2.0 JSON-LD events (docs/sharing.md "EPCIS"); other records as the
  // catalogue's fields.
  const payload = resource === 'trace_event' ? await traceEventAsEpcis(ctx, id) : projectRecord(record, policy.fields);
  if (!payload) return null;
  const origin = platformIdOf(ctx.config.platformTier, ctx.config.platformRegion);
  return repo.appendVersion(ctx.db, {
    origin,
    resource,
    id,
    division: divisionCode,
    catalogVersion: policy.catalogVersion,
    hash: sm3Hex(canonicalJson(payload)),
    payload: JSON.stringify(payload),
    createdAt: new Date(),
  });
}

/** Appends one record to the outbox under the next sequence number. */
export async function appendOutbox(db: Kysely<DB>, r: ShareRecord): Promise<number> {
  return appendOutboxMany(db, [r]);
}

/**
 * Appends records to the outbox under consecutive numbers of the sequence, taken at once (also used to relay a
 * lower platform's batch, keeping each record's origin). Returns the first number.
 */
export async function appendOutboxMany(db: Kysely<DB>, rs: ShareRecord[]): Promise<number> {
  const first = await repo.takeSeqs(db, rs.length);
  await repo.insertOutbox(
    db,
    rs.map((r, i) => ({
      seq: first + i,
      origin_platform: r.origin,
      resource: r.resource,
      record_id: r.id,
      version: r.version,
      division_code: r.division,
      catalog_version: r.catalogVersion,
      content_hash: r.hash,
      payload: JSON.stringify(r.record),
      origin_created_at: r.createdAt,
    })),
  );
  return first;
}
