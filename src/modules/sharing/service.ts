import { assertInScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { namesOf } from '../regions/service.js';
import { namedResources, resourceNamer } from './catalog.js';

/** Names resources and their fields for people (other modules' lists of collected records use it). */
export { resourceNamer };
import { identityKey } from './identity-key.js';
import { isSm2PublicKey, platformIdOf, platformIdentity, signBody, verifyBody } from './identity.js';
import * as repo from './repo.js';
import type {
  Application,
  ApplicationAnswer,
  ApplyInput,
  Connection,
  ConnectionActionInput,
  ConnectionList,
  ParkedRecord,
  SharedRecord,
  SharedRecordQuery,
} from './schemas.js';
import { type ConnectionSide, connectionWorkflow } from './states.js';

export { share } from './share.js';
export { receiveBatch } from './inbound.js';
export { namePlatform, namePlatformId } from './names.js';

const TIER_RANK: Record<string, number> = { national: 0, province: 1, city: 2, county: 3 };
const REGION_LENGTH: Record<string, number> = { province: 2, city: 4, county: 6 };
const CLOCK_SKEW_MS = 10 * 60_000;

/** Posts JSON to another platform; throws SHARING_UPPER_UNREACHABLE with the reason on any failure. */
export async function postToPlatform<T>(url: string, body: unknown, timeoutMs = 10_000): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new Problem('SHARING_UPPER_UNREACHABLE', { reasonZh: msg, reasonEn: msg });
  }
  const text = await res.text();
  let json: { message?: string; messageEn?: string } & Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  if (!res.ok)
    throw new Problem('SHARING_UPPER_UNREACHABLE', {
      reasonZh: `${res.status} ${json.message ?? text.slice(0, 200)}`,
      reasonEn: `${res.status} ${json.messageEn ?? text.slice(0, 200)}`,
    });
  return json as T;
}

// ── lower side: apply to the upper platform ────────────────────────────────

/** applyConnection: signs this platform's application and sends it to UPPER_PLATFORM_URL. */
export async function applyConnection(ctx: Ctx, input: ApplyInput): Promise<Connection> {
  const upperUrl = ctx.config.upperPlatformUrl;
  if (!upperUrl || ctx.config.platformTier === 'national') throw new Problem('SHARING_NO_UPPER');
  const me = platformIdentity(ctx.config);
  const application = {
    platformId: me.id,
    tier: me.tier,
    region: me.region,
    publicKey: me.publicKeyPem,
    contactName: input.contactName,
    contactPhone: input.contactPhone,
    entryUrl: input.entryUrl ?? ctx.config.publicBaseUrl,
    signedAt: new Date().toISOString(),
  };
  const answer = await postToPlatform<ApplicationAnswer>(`${upperUrl}/api/v1/sharing/applications`, {
    ...application,
    signature: signBody(me, application),
  });
  const existing = await repo.connectionByPlatform(ctx.db, 'upper', answer.platformId, true);
  const row = await repo.upsertConnection(ctx.db, {
    direction: 'upper',
    platform_id: answer.platformId,
    tier: answer.platformId.split('-')[0] ?? 'national',
    region: answer.platformId.split('-')[1] ?? '',
    public_key: answer.publicKey,
    entry_url: upperUrl,
    contact_name: input.contactName,
    contact_phone: input.contactPhone,
    status: existing?.status === 'suspended' ? 'suspended' : answer.status === 'approved' ? 'approved' : 'applied',
    peer_status: answer.status,
  });
  await audit(ctx, {
    verb: 'sharing.manage',
    targetType: 'platform_connection',
    targetId: row.id,
    divisionCode: ctx.config.platformRegion,
    summary: { action: 'apply', upper: answer.platformId, status: answer.status },
  });
  return toDto(ctx, row, await liveBacklog(ctx, row));
}

// ── upper side: receive applications, decide ───────────────────────────────

/** An application from a lower platform (platform to platform, signed with the key it registers). */
export async function receiveApplication(ctx: Ctx<Actor | null>, a: Application): Promise<ApplicationAnswer> {
  const { signature, ...signed } = a;
  const me = platformIdentity(ctx.config);
  if (!isSm2PublicKey(a.publicKey)) throw problems.invalid('publicKey', '不是 SM2 公钥', 'is not an SM2 public key');
  if (!verifyBody(a.publicKey, signed, signature))
    throw new Problem('SHARING_BAD_SIGNATURE', { platform: a.platformId });
  if (Math.abs(Date.now() - Date.parse(a.signedAt)) > CLOCK_SKEW_MS)
    throw problems.invalid('signedAt', '签名时间与本平台时钟相差超过 10 分钟', 'is more than 10 minutes off our clock');
  if ((TIER_RANK[a.tier] ?? 0) <= (TIER_RANK[me.tier] ?? 0))
    throw problems.invalid('tier', '只有下级平台可以申请对接', 'only a lower-tier platform may apply');
  if (a.region.length !== REGION_LENGTH[a.tier] || !a.region.startsWith(me.region))
    throw problems.invalid('region', '不在本平台的区域内', "is not inside this platform's region");
  if (a.platformId !== platformIdOf(a.tier, a.region))
    throw problems.invalid('platformId', '与层级和区域不符', 'does not match the tier and region');
  const existing = await repo.connectionByPlatform(ctx.db, 'lower', a.platformId, true);
  const keep = existing && existing.public_key === a.publicKey && existing.status !== 'rejected';
  const row = await repo.upsertConnection(ctx.db, {
    direction: 'lower',
    platform_id: a.platformId,
    tier: a.tier,
    region: a.region,
    public_key: a.publicKey,
    entry_url: a.entryUrl,
    contact_name: a.contactName,
    contact_phone: a.contactPhone,
    status: keep ? existing.status : 'applied',
    peer_status: null,
  });
  await audit(ctx, {
    actor: null,
    verb: 'sharing.apply',
    targetType: 'platform_connection',
    targetId: row.id,
    divisionCode: a.region,
    summary: { platformId: a.platformId, entryUrl: a.entryUrl, status: row.status },
  });
  return { platformId: me.id, publicKey: me.publicKeyPem, status: row.status };
}

/** approveConnection / rejectConnection / suspend / resume, by the state table. */
export async function actOnConnection(ctx: Ctx, id: string, input: ConnectionActionInput): Promise<Connection> {
  const row = await repo.connectionById(ctx.db, id, true);
  if (!row) throw problems.notFound('平台对接', 'platform connection');
  const side: ConnectionSide = row.direction === 'lower' ? 'upper' : 'lower';
  const t = connectionWorkflow.transition(row.status, input.action, [side]);
  await repo.updateConnection(ctx.db, id, { status: t.to, reason: input.reason ?? null });
  await audit(ctx, {
    verb: 'sharing.manage',
    targetType: 'platform_connection',
    targetId: id,
    divisionCode: row.region,
    summary: {
      action: input.action,
      platformId: row.platform_id,
      before: row.status,
      after: t.to,
      reason: input.reason,
    },
  });
  const after = { ...row, status: t.to, reason: input.reason ?? null };
  return toDto(ctx, after, await liveBacklog(ctx, after));
}

// ── status ──────────────────────────────────────────────────────────────────

/** The live backlog and lag of our own outbox toward the upper platform. */
async function liveBacklog(ctx: Pick<Ctx, 'db'>, row: repo.ConnectionRow) {
  if (row.direction !== 'upper') return { backlog: row.backlog, lagMs: row.lag_ms };
  const b = await repo.outboxBacklog(ctx.db, Number(row.next_seq));
  return { backlog: b.backlog, lagMs: b.oldest ? Math.max(0, Date.now() - b.oldest.getTime()) : 0 };
}

function toDto(
  _ctx: unknown,
  r: repo.ConnectionRow,
  live: { backlog: number; lagMs: number },
  regionName: string | null = null,
): Connection {
  const side: ConnectionSide = r.direction === 'lower' ? 'upper' : 'lower';
  return {
    id: r.id,
    direction: r.direction,
    platformId: r.platform_id,
    tier: r.tier,
    region: r.region,
    regionName,
    entryUrl: r.entry_url,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    status: r.status,
    statusLabel: connectionWorkflow.stateLabel(r.status),
    peerStatus: r.peer_status,
    reason: r.reason,
    nextSeq: Number(r.next_seq),
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lagMs: live.lagMs,
    backlog: live.backlog,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at?.toISOString() ?? null,
    errorCount: r.error_count,
    receivedCount: Number(r.received_count),
    parkedCount: Number(r.parked_count),
    createdAt: r.created_at.toISOString(),
    allowedActions: connectionWorkflow.allowedActions(r.status, [side]),
  };
}

/** listConnections: this platform's identity, its link upward and every lower platform, with lag, backlog, errors. */
export async function listConnections(ctx: Ctx): Promise<ConnectionList> {
  const me = platformIdentity(ctx.config);
  const rows = await repo.listConnections(ctx.db);
  const names = await namesOf(ctx, rows.map((r) => r.region).filter(Boolean));
  const items = await Promise.all(
    rows.map(async (r) => toDto(ctx, r, await liveBacklog(ctx, r), names.get(r.region) ?? null)),
  );
  return {
    platform: {
      platformId: me.id,
      tier: me.tier,
      region: me.region,
      publicKey: me.publicKeyPem,
      upperPlatformUrl: ctx.config.upperPlatformUrl ?? null,
      outboxLastSeq: await repo.lastSeq(ctx.db),
      identityKey: await identityKey(ctx.db, ctx.config).then((k) => ({
        source: k.source,
        fingerprint: k.fingerprint,
      })),
    },
    items,
  };
}

/** Records shared up from lower platforms (latest version each), marked with their origin, scoped by division. */
export async function searchSharedRecords(ctx: Ctx, q: SharedRecordQuery) {
  if (q.divisionCode) assertInScope(ctx.actor.scope, q.divisionCode, '区划', 'division');
  const page = await repo.searchShared(ctx.db, ctx.actor.scope, q, pageOf(q));
  const names = await resourceNamer(ctx.db);
  return mapPage(
    page,
    (r): SharedRecord => ({
      resource: r.resource,
      resourceLabel: names.resource(r.resource),
      recordId: r.record_id,
      version: r.version,
      originPlatform: r.origin_platform,
      senderPlatform: r.sender_platform,
      senderSeq: Number(r.sender_seq),
      divisionCode: r.division_code,
      catalogVersion: r.catalog_version,
      contentHash: r.content_hash,
      record: r.payload,
      originCreatedAt: r.origin_created_at.toISOString(),
      receivedAt: r.received_at.toISOString(),
    }),
  );
}

/** The resources shared between platforms, with their names and their fields' names (for pickers). */
export async function listSharedResources(ctx: Ctx) {
  return { items: await namedResources(ctx.db) };
}

/**
 * The connection and sharing figures of every lower platform (考核评价, issue 13 item 5): connected (approved and
 * not suspended), last success, lag, backlog, errors and parked records as the connection keeps them, and the record
 * versions received from it since `from`. Read by the evaluation module.
 */
export async function lowerConnectionFigures(ctx: Pick<Ctx, 'db'>, from: Date) {
  const [rows, received] = await Promise.all([repo.listConnections(ctx.db), repo.receivedSince(ctx.db, from)]);
  const got = new Map(received.map((r) => [r.sender_platform, Number(r.n)]));
  return rows
    .filter((r) => r.direction === 'lower' && r.status !== 'rejected')
    .map((r) => ({
      platformId: r.platform_id,
      region: r.region,
      status: r.status,
      connected: r.status === 'approved',
      lastSuccessAt: r.last_success_at,
      lagMs: r.lag_ms,
      backlog: r.backlog,
      errorCount: r.error_count,
      parkedCount: Number(r.parked_count),
      sharedInPeriod: got.get(r.platform_id) ?? 0,
    }));
}

/** Records that arrived but could not be applied, with the reason. */
export async function listParked(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  return mapPage(
    await repo.listParked(ctx.db, pageOf(q)),
    (r): ParkedRecord => ({
      id: r.id,
      senderPlatform: r.sender_platform,
      senderSeq: Number(r.sender_seq),
      originPlatform: r.origin_platform,
      resource: r.resource,
      recordId: r.record_id,
      version: r.version,
      reason: { zh: r.reason_zh, en: r.reason_en },
      parkedAt: r.parked_at.toISOString(),
    }),
  );
}

// ── for single sign-on (sso module, docs/sso.md) ────────────────────────────

/** A lower platform whose connection this (upper) platform has approved and not suspended, or undefined. */
export async function approvedLowerPlatform(ctx: Pick<Ctx, 'db'>, platformId: string) {
  const row = await repo.connectionByPlatform(ctx.db, 'lower', platformId);
  return row?.status === 'approved' ? { platformId: row.platform_id, entryUrl: row.entry_url } : undefined;
}

/** Whether our connection to the upper platform is approved on both ends (signing in there is allowed then). */
export async function upperApproved(ctx: Pick<Ctx, 'db'>): Promise<boolean> {
  const row = await repo.upperConnection(ctx.db);
  return row?.status === 'approved' && row.peer_status === 'approved';
}

/** The portal (门户): every approved or suspended lower platform with its entry URL and health, by region. */
export async function lowerPlatformEntries(ctx: Ctx) {
  const rows = (await repo.listConnections(ctx.db)).filter(
    (r) => r.direction === 'lower' && (r.status === 'approved' || r.status === 'suspended'),
  );
  const names = await namesOf(ctx, rows.map((r) => r.region).filter(Boolean));
  return rows.map((r) => ({
    platformId: r.platform_id,
    tier: r.tier,
    region: r.region,
    regionName: names.get(r.region) ?? null,
    entryUrl: r.entry_url,
    status: r.status,
    statusLabel: connectionWorkflow.stateLabel(r.status),
    lastSuccessAt: r.last_success_at?.toISOString() ?? null,
    lagMs: r.lag_ms,
    backlog: r.backlog,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at?.toISOString() ?? null,
  }));
}

// ── for 通查通识 (public module, public/remote.ts) ──────────────────────────

/**
 * The platform to ask about a code issued by the platform serving `region` (a division prefix, '' national): when
 * that region lies inside ours, the approved lower platform whose region covers it most closely (a province relays
 * for its counties); otherwise the upper platform, when the connection is approved on both ends. Undefined: nobody.
 */
export async function platformToAsk(
  ctx: Pick<Ctx, 'db' | 'config'>,
  region: string,
): Promise<{ platformId: string; url: string } | undefined> {
  const rows = await repo.listConnections(ctx.db);
  if (region.startsWith(ctx.config.platformRegion) && region !== ctx.config.platformRegion) {
    const lower = rows
      .filter((r) => r.direction === 'lower' && r.status === 'approved' && r.region && region.startsWith(r.region))
      .sort((a, b) => b.region.length - a.region.length)[0];
    return lower ? { platformId: lower.platform_id, url: lower.entry_url } : undefined;
  }
  const upper = rows.find((r) => r.direction === 'upper');
  return upper?.status === 'approved' && upper.peer_status === 'approved'
    ? { platformId: upper.platform_id, url: upper.entry_url }
    : undefined;
}

/**
 * Whether a request was signed by a connected platform (approved, either direction) with its SM2 key: `body` is what
 * it signed. Used to spare platforms relaying 通查通识 lookups from the per-client rate limit.
 */
export async function signedByConnectedPlatform(
  ctx: Pick<Ctx, 'db'>,
  platformId: string,
  body: unknown,
  signature: string,
): Promise<boolean> {
  for (const direction of ['lower', 'upper'] as const) {
    const row = await repo.connectionByPlatform(ctx.db, direction, platformId);
    if (row?.status === 'approved' && verifyBody(row.public_key, body, signature)) return true;
  }
  return false;
}

// ── signed requests between connected platforms (the national registry, subjects/registry.ts) ───────────────

/**
 * Whether this platform has an upper platform to ask: `none` (national, or no UPPER_PLATFORM_URL: a standalone
 * platform), `down` (configured, but the connection is not approved on both ends), `up`.
 */
export async function upperState(ctx: Pick<Ctx, 'db' | 'config'>): Promise<'none' | 'down' | 'up'> {
  if (ctx.config.platformTier === 'national' || !ctx.config.upperPlatformUrl) return 'none';
  return (await upperApproved(ctx)) ? 'up' : 'down';
}

/**
 * POSTs `body` to the upper platform at `path`, signed with this platform's SM2 key (`from`, `signedAt` and the
 * signature added). Throws SHARING_UPPER_UNREACHABLE on any failure; call only when `upperState` is `up`.
 */
export async function askUpper<T>(
  ctx: Pick<Ctx, 'config'>,
  path: string,
  body: Record<string, unknown>,
  timeoutMs: number,
): Promise<T> {
  const me = platformIdentity(ctx.config);
  const signed = { ...body, from: me.id, signedAt: new Date().toISOString() };
  return postToPlatform<T>(
    `${ctx.config.upperPlatformUrl}${path}`,
    { ...signed, signature: signBody(me, signed) },
    timeoutMs,
  );
}

/** The other end of `askUpper`: the body must be signed by an approved lower platform within the clock skew. */
export async function assertSignedByLower(
  ctx: Pick<Ctx, 'db'>,
  body: { from: string; signedAt: string; signature: string },
): Promise<void> {
  const { signature, ...signed } = body;
  const row = await repo.connectionByPlatform(ctx.db, 'lower', body.from);
  if (!row || row.status !== 'approved')
    throw new Problem('SHARING_NOT_CONNECTED', {
      platform: body.from,
      reasonZh: '未获批对接',
      reasonEn: 'is not approved',
    });
  if (!verifyBody(row.public_key, signed, signature))
    throw new Problem('SHARING_BAD_SIGNATURE', { platform: body.from });
  if (Math.abs(Date.now() - Date.parse(body.signedAt)) > CLOCK_SKEW_MS)
    throw problems.invalid('signedAt', '签名时间与本平台时钟相差超过 10 分钟', 'is more than 10 minutes off our clock');
}

export { identityKey } from './identity-key.js';
export { platformIdentity } from './identity.js';
