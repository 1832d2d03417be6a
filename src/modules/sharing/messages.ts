import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { auditOutsideRequest } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import { type ShareCtx, messageHandler } from '../../kernel/sharing.js';
import type { DB } from '../../schema.js';
import { platformIdOf, platformIdentity, signBody, verifyBody } from './identity.js';
import * as repo from './messages-repo.js';
import { connectionByPlatform, upperConnection } from './repo.js';
import type { InboundBatch, NetworkSubject, SubjectLookup, SubjectLookupAnswer, WireMessage } from './schemas.js';

/**
 * Messages between platforms (issue 15 item 3; docs/sharing.md "Messages between platforms"). A module sends a
 * message to another platform through the kernel seam (`sendToPlatform`, in its write's transaction); it is routed
 * hop by hop over the signed sharing channel — up in the sender's pushes, down in the answers to the addressee's
 * pushes or heartbeats, like correction requests — and every platform it passes keeps it once by id, so a resent
 * message is taken once. At the addressee the module that declared the kind handles it in the transaction that
 * takes it (a savepoint: a refusal is kept with its reason and does not block the channel).
 */

type Cfg = Pick<Config, 'platformTier' | 'platformRegion'>;
const meOf = (config: Cfg) => platformIdOf(config.platformTier, config.platformRegion);
/** `province-44` → '44', `national` → ''. */
const regionOf = (platformId: string) => (platformId === 'national' ? '' : (platformId.split('-')[1] ?? ''));

/** Where a message for `to` goes from here: null (it is for us), a lower platform's id, or 'up'. */
async function nextHop(db: Kysely<DB>, config: Cfg, to: string): Promise<string | null> {
  if (to === meOf(config)) return null;
  const region = regionOf(to);
  if (config.platformTier === 'national' || region.startsWith(config.platformRegion)) {
    for (const c of await repo.approvedLower(db)) if (region.startsWith(c.region)) return c.platform_id;
    if (config.platformTier === 'national') throw new Problem('SHARING_NO_ROUTE', { platform: to });
  }
  return 'up';
}

/** The message sender behind kernel/sharing.ts `sendToPlatform` (installed by this module). */
export async function sendMessage(
  ctx: ShareCtx,
  to: string,
  kind: string,
  payload: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  const hop = await nextHop(ctx.db, ctx.config, to);
  if (hop === null) throw new Problem('SHARING_NO_ROUTE', { platform: to });
  await repo.insertMessages(ctx.db, [
    {
      id,
      kind,
      from_platform: meOf(ctx.config),
      to_platform: to,
      payload: JSON.stringify(payload),
      next_hop: hop,
      sent_at: null,
      acked_at: null,
      handled_at: null,
      error: null,
    },
  ]);
  return id;
}

const toWire = (m: repo.MessageRow): WireMessage => ({
  id: m.id,
  kind: m.kind,
  from: m.from_platform,
  to: m.to_platform,
  payload: m.payload,
  at: m.created_at.toISOString(),
});

/**
 * Stores messages that arrived (from a lower platform's push or in the upper platform's answer) and passes each new
 * one on: routed to its next hop, or handed to its module when it is for this platform.
 */
async function take(db: Kysely<DB>, config: Config, list: WireMessage[], fromUpper: boolean) {
  if (!list.length) return new Set<string>();
  const rows = [];
  for (const m of list) {
    let hop: string | null;
    try {
      hop = await nextHop(db, config, m.to);
    } catch {
      hop = null; // no route from here: kept with the reason below, never handled
    }
    rows.push({
      id: m.id,
      kind: m.kind,
      from_platform: m.from,
      to_platform: m.to,
      payload: JSON.stringify(m.payload),
      next_hop: hop,
      from_upper: fromUpper,
      sent_at: null,
      acked_at: null,
      handled_at: null,
      error: null,
    });
  }
  const fresh = await repo.insertMessages(db, rows);
  const me = meOf(config);
  for (const m of list.filter((x) => fresh.has(x.id))) {
    let error: string | null = null;
    if (m.to !== me) {
      if (rows.find((r) => r.id === m.id)?.next_hop === null) {
        error = `no route to ${m.to}`;
        await repo.markHandled(db, m.id, error);
      }
    } else {
      const handle = messageHandler(m.kind);
      if (!handle) error = `no module handles ${m.kind}`;
      else {
        await repo.savepoint(db);
        try {
          await handle({ db, actor: null, ip: null, config }, m);
          await repo.releaseSavepoint(db);
        } catch (e) {
          await repo.rollbackToSavepoint(db);
          error = e instanceof Error ? e.message.slice(0, 500) : String(e);
        }
      }
      await repo.markHandled(db, m.id, error);
    }
    await auditOutsideRequest(db, {
      actor: null,
      verb: 'sharing.message',
      targetType: 'network_message',
      targetId: m.id,
      divisionCode: regionOf(m.to),
      summary: { kind: m.kind, from: m.from, to: m.to, handled: m.to === me, error },
    });
  }
  return fresh;
}

// ── upper side: inside the receiver's transaction ────────────────────────────

/**
 * With every push (batch or heartbeat) of an approved lower platform: takes its acknowledgements and the messages it
 * carries up (each must come from the sender's region), and returns the messages waiting for it.
 */
export async function exchangeMessages(
  ctx: Ctx<Actor | null>,
  from: string,
  senderRegion: string,
  body: Pick<InboundBatch, 'messages' | 'messageAcks'>,
): Promise<{ messages?: WireMessage[]; messageAcks?: string[] }> {
  await repo.markSent(ctx.db, from, body.messageAcks ?? []);
  const list = (body.messages ?? []).filter((m) => regionOf(m.from).startsWith(senderRegion));
  await take(ctx.db, ctx.config, list, false);
  const down = await repo.waiting(ctx.db, from);
  const acks = (body.messages ?? []).map((m) => m.id);
  return { ...(down.length ? { messages: down.map(toWire) } : {}), ...(acks.length ? { messageAcks: acks } : {}) };
}

// ── lower side: in the delivery loop ─────────────────────────────────────────

/** What the next push carries up: messages for the upper platform's way, acknowledgements of messages received. */
export async function outgoingMessages(db: Kysely<DB>): Promise<Pick<InboundBatch, 'messages' | 'messageAcks'>> {
  const up = await repo.waiting(db, 'up');
  const acks = (await repo.toAck(db)).map((r) => r.id);
  return { ...(up.length ? { messages: up.map(toWire) } : {}), ...(acks.length ? { messageAcks: acks } : {}) };
}

/** Takes the upper platform's answer in one transaction: what it acknowledged, and the messages it carries down. */
export async function takeMessagesFromUpper(
  db: Kysely<DB>,
  config: Config,
  sent: Pick<InboundBatch, 'messages' | 'messageAcks'>,
  answer: { status: string; messages?: WireMessage[]; messageAcks?: string[] },
): Promise<number> {
  if (!sent.messageAcks?.length && !answer.messageAcks?.length && !answer.messages?.length) return 0;
  return db.transaction().execute(async (tx) => {
    await repo.markSent(tx, 'up', answer.messageAcks ?? []);
    if (answer.status === 'approved') await repo.markAcked(tx, sent.messageAcks ?? []);
    const list = answer.messages ?? [];
    const fresh = await take(tx, config, list, true);
    await repo.unack(
      tx,
      list.filter((m) => !fresh.has(m.id)).map((m) => m.id),
    );
    return fresh.size;
  });
}

// ── identity look-up across platforms ───────────────────────────────────────

/** Answers a lower platform's signed look-up of a subject by identity code: registered here or shared up to here. */
export async function answerSubjectLookup(ctx: Ctx<Actor | null>, body: SubjectLookup): Promise<SubjectLookupAnswer> {
  const { signature, ...signed } = body;
  const conn = await connectionByPlatform(ctx.db, 'lower', body.from);
  if (!conn || conn.status !== 'approved')
    throw new Problem('SHARING_NOT_CONNECTED', {
      platform: body.from,
      reasonZh: '尚未获批对接',
      reasonEn: 'is not approved',
    });
  if (!verifyBody(conn.public_key, signed, signature))
    throw new Problem('SHARING_BAD_SIGNATURE', { platform: body.from });
  return { subject: await localNetworkSubject(ctx.db, ctx.config, body.identityCode) };
}

async function localNetworkSubject(db: Kysely<DB>, config: Cfg, code: string): Promise<NetworkSubject | null> {
  const own = await repo.ownSubjectByIdentity(db, code);
  if (own)
    return {
      id: own.id,
      name: own.name,
      divisionCode: own.division_code,
      identityCode: code,
      platform: meOf(config),
    };
  const r = await repo.sharedSubjectByIdentity(db, code);
  if (!r) return null;
  const p = r.payload as { name?: unknown };
  return {
    id: r.record_id,
    name: String(p.name ?? ''),
    divisionCode: r.division_code,
    identityCode: code,
    platform: r.origin_platform,
  };
}

/**
 * A subject registered on another platform, by its identity code: at national from the shared registry, below
 * national by asking the upper platform (signed). Null when nobody knows it; 503 when the upper platform cannot be
 * asked.
 */
export async function findNetworkSubject(ctx: Ctx, identityCode: string): Promise<NetworkSubject | null> {
  if (ctx.config.platformTier === 'national') return localNetworkSubject(ctx.db, ctx.config, identityCode);
  const url = ctx.config.upperPlatformUrl;
  const conn = url ? await upperConnection(ctx.db) : undefined;
  if (!url || !conn || conn.status !== 'approved') return null;
  const me = platformIdentity(ctx.config);
  const unsigned = { from: me.id, identityCode, sentAt: new Date().toISOString() };
  try {
    const res = await fetch(`${url}/api/v1/sharing/subject-lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...unsigned, signature: signBody(me, unsigned) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const answer = (await res.json()) as SubjectLookupAnswer;
    return answer.subject && answer.subject.platform !== me.id ? answer.subject : null;
  } catch {
    throw new Problem('NETWORK_LOOKUP_UNAVAILABLE', { code: identityCode, field: 'buyerIdentityCode' });
  }
}
