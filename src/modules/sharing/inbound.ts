import { sql } from 'kysely';
import type { Config } from '../../config.js';
import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import { isKnownResource } from './catalog.js';
import { canonicalJson } from '../../kernel/canonical-json.js';
import { platformIdentity, sm3Hex, verifyBody } from './identity.js';
import { identityKey, sealIdentityKey } from './identity-key.js';
import * as repo from './repo.js';
import { exchangeWithLower } from './corrections.js';
import { exchangeMessages } from './messages.js';
import type { InboundAnswer, InboundBatch, WireRecord } from './schemas.js';
import { type ShareRecord, appendOutboxMany } from './share.js';
import { eventSchemaError } from '../epcis/validate.js';

interface ParkReason {
  code: string;
  zh: string;
  en: string;
}

/** Why a record cannot be applied, or null when it can. */
async function checkRecord(
  ctx: Ctx<Actor | null>,
  r: WireRecord,
  senderRegion: string,
  known: Map<string, boolean>,
): Promise<ParkReason | null> {
  if (!known.has(r.resource)) known.set(r.resource, await isKnownResource(ctx.db, r.resource));
  if (!known.get(r.resource))
    return {
      code: 'UNKNOWN_RESOURCE',
      zh: `目录中没有资源“${r.resource}”`,
      en: `resource "${r.resource}" is not in the catalogue`,
    };
  if (!r.division.startsWith(senderRegion))
    return {
      code: 'OUTSIDE_REGION',
      zh: `记录所属区划 ${r.division} 不在发送平台的区域 ${senderRegion} 内`,
      en: `the record's division ${r.division} is outside the sender's region ${senderRegion}`,
    };
  if (r.resource === 'trace_event') {
    const err = eventSchemaError(r.record);
    if (err)
      return {
        code: 'EPCIS_INVALID',
        zh: `追溯事件不符合 EPCIS 2.0 JSON 模式：“${err.path}”${err.reasonZh}`,
        en: `the trace event does not match the EPCIS 2.0 JSON schema: "${err.path}" ${err.reasonEn}`,
      };
  }
  if (sm3Hex(canonicalJson(r.record)) !== r.hash)
    return {
      code: 'HASH_MISMATCH',
      zh: '记录内容与其 SM3 摘要不符',
      en: "the record's content does not match its SM3 hash",
    };
  return null;
}

/**
 * Receives a signed batch from a lower platform: verifies the sender (known, SM2 signature, approved) and the
 * continuity of its sequence, then applies each record idempotently by (origin, resource, id, version) with its
 * content hash, parks what cannot be applied with a readable reason, relays applied records to our own upper
 * platform (keeping their origin), and advances the expected sequence — all in one transaction. A batch that starts
 * below the expected number is a redelivery: the records already taken are skipped. An empty batch is a heartbeat.
 */
export async function receiveBatch(ctx: Ctx<Actor | null>, body: InboundBatch): Promise<InboundAnswer> {
  const { signature, ...signed } = body;
  const conn = await repo.connectionByPlatform(ctx.db, 'lower', body.from, true);
  if (!conn)
    throw new Problem('SHARING_NOT_CONNECTED', {
      platform: body.from,
      reasonZh: '未申请对接',
      reasonEn: 'has not applied',
    });
  if (!verifyBody(conn.public_key, signed, signature))
    throw new Problem('SHARING_BAD_SIGNATURE', { platform: body.from });
  const expected = Number(conn.next_seq);
  const answer = { status: conn.status, expected, applied: 0, parked: 0, duplicates: 0 };
  if (body.records.length === 0) {
    await repo.updateConnection(ctx.db, conn.id, { backlog: body.backlog, lag_ms: body.lagMs });
    // A heartbeat also carries correction requests down (and acknowledgements and answers up).
    if (conn.status !== 'approved') return answer;
    return {
      ...answer,
      ...(await exchangeWithLower(ctx, body.from, body, [])),
      ...(await keyFor(ctx, conn.public_key, body.identityKeyFp)),
      ...(await exchangeMessages(ctx, body.from, conn.region, body)),
    };
  }
  if (conn.status !== 'approved') {
    const why = conn.status === 'suspended' ? ['已暂停对接', 'is suspended'] : ['尚未获批对接', 'is not approved'];
    throw new Problem('SHARING_NOT_CONNECTED', { platform: body.from, reasonZh: why[0], reasonEn: why[1] });
  }
  if (body.firstSeq > expected)
    throw new Problem('SHARING_SEQUENCE_GAP', { expected, got: body.firstSeq }, { expected });
  body.records.forEach((r, i) => {
    if (r.seq !== body.firstSeq + i)
      throw new Problem('SHARING_SEQUENCE_GAP', { expected: body.firstSeq + i, got: r.seq }, { expected });
  });
  const relay = ctx.config.platformTier !== 'national';
  let next = expected;
  const fresh: WireRecord[] = [];
  const parked: { r: WireRecord; reason: ParkReason }[] = [];
  const known = new Map<string, boolean>();
  for (const r of body.records) {
    if (r.seq < next) {
      answer.duplicates++;
      continue;
    }
    next = r.seq + 1;
    const reason = await checkRecord(ctx, r, conn.region, known);
    if (reason) parked.push({ r, reason });
    else fresh.push(r);
  }
  // Set-based apply: one multi-row insert for the batch, then one look-up to tell redeliveries from conflicts.
  const inserted = await repo.insertSharedRecords(
    ctx.db,
    fresh.map((r) => ({
      origin_platform: r.origin,
      sender_platform: body.from,
      sender_seq: r.seq,
      resource: r.resource,
      record_id: r.id,
      version: r.version,
      division_code: r.division,
      catalog_version: r.catalogVersion,
      content_hash: r.hash,
      payload: JSON.stringify(r.record),
      origin_created_at: new Date(r.createdAt),
    })),
  );
  const keyOf = (r: WireRecord) => repo.sharedKey(r.origin, r.resource, r.id, r.version);
  const applied: WireRecord[] = [];
  const rest: WireRecord[] = [];
  for (const r of fresh) {
    // Only the first copy of a version inserted by this batch is applied; a second copy is checked like a redelivery.
    if (inserted.delete(keyOf(r))) applied.push(r);
    else rest.push(r);
  }
  const stored = rest.length ? await repo.sharedRecordHashes(ctx.db, rest) : new Map<string, string>();
  for (const r of rest) {
    if (stored.get(keyOf(r)) === r.hash) answer.duplicates++;
    else
      parked.push({
        r,
        reason: {
          code: 'VERSION_CONFLICT',
          zh: `同一记录的第 ${r.version} 版已以不同内容收到`,
          en: `version ${r.version} of this record was already received with different content`,
        },
      });
  }
  answer.applied = applied.length;
  answer.parked = parked.length;
  // Relay to our own upper platform, keeping each record's origin, under consecutive numbers of our sequence.
  if (relay && applied.length) await appendOutboxMany(ctx.db, applied.map(wireToShare));
  if (parked.length)
    await repo.insertParked(
      ctx.db,
      parked.map(({ r, reason }) => ({
        sender_platform: body.from,
        sender_seq: r.seq,
        origin_platform: r.origin,
        resource: r.resource,
        record_id: r.id,
        version: r.version,
        reason_code: reason.code,
        reason_zh: reason.zh,
        reason_en: reason.en,
        payload: JSON.stringify(r),
      })),
    );
  await repo.updateConnection(ctx.db, conn.id, {
    next_seq: next,
    last_success_at: new Date(),
    backlog: body.backlog,
    lag_ms: body.lagMs,
    error_count: 0,
    received_count: sql<number>`received_count + ${answer.applied}`,
    parked_count: sql<number>`parked_count + ${answer.parked}`,
  });
  await audit(ctx, {
    actor: null,
    verb: 'sharing.receive',
    targetType: 'platform_connection',
    targetId: conn.id,
    divisionCode: conn.region,
    summary: { from: body.from, firstSeq: body.firstSeq, ...answer, expected: next },
  });
  // Correction requests (更正请求) ride the same signed exchange: docs/sharing.md "Corrections requested from above".
  const down = await exchangeWithLower(ctx, body.from, body, applied);
  // Messages between platforms (a sale for another province, a recall notice) ride it too.
  const messages = await exchangeMessages(ctx, body.from, conn.region, body);
  return {
    ...answer,
    expected: next,
    ...down,
    ...messages,
    ...(await keyFor(ctx, conn.public_key, body.identityKeyFp)),
  };
}

/**
 * The national identity key for an approved lower platform that does not hold it yet (its heartbeat names the key
 * it holds by fingerprint), sealed to its SM2 key; nothing while this platform holds no national key itself.
 */
async function keyFor(ctx: Ctx<Actor | null>, lowerPublicKey: string, heldFp: string | undefined) {
  const k = await identityKey(ctx.db, ctx.config);
  if (k.source !== 'national' || heldFp === k.fingerprint) return {};
  return { identityKey: sealIdentityKey(platformIdentity(ctx.config), lowerPublicKey, k.key) };
}

const wireToShare = (r: WireRecord): ShareRecord => ({
  origin: r.origin,
  resource: r.resource,
  id: r.id,
  version: r.version,
  division: r.division,
  catalogVersion: r.catalogVersion,
  hash: r.hash,
  createdAt: new Date(r.createdAt),
  record: r.record,
});

/** This platform's identity as the upper platform states it to applicants. */
export function upperIdentity(config: Config) {
  return platformIdentity(config);
}
