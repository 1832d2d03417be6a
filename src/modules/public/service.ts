import { KIND_DIGIT, parseCode, shortCode } from '../../kernel/codes.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { type Paged, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { resolveCode } from '../codes/resolve.js';
import type { Resolution } from '../codes/schemas.js';
import { platformOfConfig } from '../codes/service.js';
import { DIGIT_KIND, type LookupResult, lookupPublic } from './lookup.js';
import type { QueryLog } from './querylog.js';
import * as repo from './repo.js';
import type { PublicResolver } from './resolver.js';
import type { Geo, QueryLogItem, QueryLogQuery, ScanCountQuery, ScanCounts, TraceViewResult } from './schemas.js';
import { type Viewer, mayReadLogsOf, traceView, viewerOf, visibleResolution } from './visibility.js';

/**
 * The public module's services: the lookup (lookup.ts, the hot path) and what builds on it — the query log written
 * for every lookup, the authenticated trace view cut to the viewer's reach (visibility.ts), the query log and scan
 * counts browsed by regulators and producers.
 */
export { type CachedDoc, type LookupResult, jsonOf, lookupPublic, oneErrorAway, STATUS_TEXT } from './lookup.js';

/** Records a query (buffered; see querylog.ts). */
export function record(
  log: QueryLog,
  ctx: Ctx<Actor | null>,
  input: string,
  r: LookupResult,
  channel: 'html' | 'json' | 'view',
  viewer: Viewer['role'],
  geo?: Geo,
) {
  log.push({
    at: new Date(),
    code: (r.body.code ?? input).slice(0, 64),
    kind: r.owner.kind,
    serial: r.owner.serial,
    result:
      r.body.kind === 'subject'
        ? 'subject'
        : r.body.kind === 'certificate' && r.body.status === 'active'
          ? 'certificate'
          : r.body.status,
    channel,
    viewer,
    actorId: ctx.actor?.id ?? null,
    subjectId: r.owner.subjectId,
    divisionCode: r.owner.divisionCode,
    ip: ctx.ip,
    userAgent: ctx.userAgent ?? null,
    latitude: geo?.lat ?? null,
    longitude: geo?.lng ?? null,
  });
}

// ── authenticated: producers and regulators ─────────────────────────────────
/** The trace view of a code for a producer (own + one step) or a regulator (jurisdiction); 403 beyond reach. */
export async function getTraceView(ctx: Ctx, log: QueryLog, text: string): Promise<TraceViewResult> {
  const viewer = await viewerOf(ctx);
  const r = await lookupPublic(ctx, text);
  record(log, ctx, text, r, 'view', viewer.role);
  if (r.httpStatus !== 200)
    throw new Problem('TRACE_CODE_UNKNOWN', {
      code: text.slice(0, 64),
      reasonZh: r.body.hint ?? r.body.statusText,
      reasonEn: r.body.hintEn ?? r.body.statusTextEn,
      field: 'code',
    });
  let batchId: string | null = null;
  if (r.owner.kind !== null && r.owner.serial !== null) {
    batchId = await repo.batchOfCode(ctx.db, r.owner.kind, r.owner.serial);
  } else if (r.body.kind === 'certificate' && r.body.certificate) {
    batchId = (await repo.certificateByNumber(ctx.db, r.body.certificate.number))?.batch_id ?? null;
  }
  if (!batchId) {
    if (!mayReadLogsOf(viewer, r.owner)) throw new Problem('OUT_OF_TRACE_REACH');
    return { public: r.body, view: null };
  }
  const view = await traceView(ctx.db, viewer, batchId);
  if (!view) throw new Problem('OUT_OF_TRACE_REACH');
  return { public: r.body, view };
}

function parseFilterCode(ctx: Ctx, code: string | undefined) {
  if (!code) return undefined;
  const p = parseCode(code);
  if (!p.ok) throw problems.invalid('code', '不是有效的追溯码', 'is not a valid trace code');
  if (p.code.platform !== platformOfConfig(ctx.config))
    throw problems.invalid('code', '不是本平台签发的码', 'was not issued by this platform');
  return { kind: KIND_DIGIT[p.code.kind], serial: p.code.serial };
}

const coarse = (deg: number) => Math.round(deg * 10) / 10;
/** The browser family of a user agent (`WeChat`, `Alipay`, `Chrome`, …), without versions or device details. */
export function browserFamily(ua: string | null): string | null {
  if (!ua) return null;
  for (const [re, name] of [
    [/MicroMessenger/i, 'WeChat'],
    [/AlipayClient/i, 'Alipay'],
    [/Edg\//, 'Edge'],
    [/Chrome\//, 'Chrome'],
    [/Firefox\//, 'Firefox'],
    [/Safari\//, 'Safari'],
  ] as const)
    if (re.test(ua)) return name;
  return 'other';
}

/** Query log: regulators within their jurisdiction, producers their own codes' queries. */
export async function listQueryLogs(ctx: Ctx, q: QueryLogQuery): Promise<Paged<QueryLogItem>> {
  const viewer = await viewerOf(ctx);
  if (viewer.role === 'consumer') throw new Problem('NOT_A_PRODUCER');
  const { page, pageSize, limit, offset } = pageOf(q, { pageSize: 50 });
  const code = parseFilterCode(ctx, q.code);
  if (q.from && q.to && q.to < q.from)
    throw problems.invalid('to', '结束时间不能早于开始时间', 'must not be before `from`');
  const filter: repo.LogFilter = viewer.role === 'producer' ? { subjectId: viewer.subjectId } : { scope: viewer.scope };
  const { rows, total } = await repo.listLogs(ctx.db, filter, {
    code,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    limit,
    offset,
  });
  const full = viewer.role === 'regulator';
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      code: r.code,
      result: r.result,
      channel: r.channel,
      viewer: r.viewer,
      anonymous: r.actor_id === null,
      actorId: full ? r.actor_id : null,
      divisionCode: r.division_code,
      // Producers see where from only coarsely (the network), never consumers' full addresses.
      clientIp: full ? r.client_ip : null,
      clientNet: r.client_net,
      // …and only the browser family of the user agent, and coordinates rounded to 0.1° (about 10 km).
      userAgent: full ? r.user_agent : browserFamily(r.user_agent),
      latitude: full || r.latitude === null ? r.latitude : coarse(r.latitude),
      longitude: full || r.longitude === null ? r.longitude : coarse(r.longitude),
    })),
    total,
    page,
    pageSize,
  };
}

/** Producers: how often each of their codes was queried. */
export async function listScanCounts(ctx: Ctx, q: ScanCountQuery): Promise<ScanCounts> {
  const viewer = await viewerOf(ctx);
  if (viewer.role !== 'producer') throw new Problem('NOT_A_PRODUCER');
  const { page, pageSize, limit, offset } = pageOf(q, { pageSize: 50 });
  const rows = await repo.scanCounts(ctx.db, viewer.subjectId, limit, offset);
  const totals = await repo.scanTotal(ctx.db, viewer.subjectId);
  const platform = platformOfConfig(ctx.config);
  return {
    items: rows.map((r) => ({
      code: shortCode({ kind: DIGIT_KIND[r.code_kind], platform, serial: Number(r.code_serial) }),
      scans: Number(r.n),
      firstAt: r.first_at.toISOString(),
      lastAt: r.last_at.toISOString(),
    })),
    total: totals.codes,
    totalScans: totals.scans,
    page,
    pageSize,
  };
}

/** resolveTraceCode: what any scanned or typed text is, and its holder as the viewer may see it (visibility.ts). */
export async function resolveTraceCode(
  ctx: Ctx<Actor | null>,
  text: string,
  resolver?: PublicResolver,
): Promise<Resolution> {
  await resolver?.fresh();
  const known = resolver ? (kind: number, serial: number) => resolver.status(kind, serial) : undefined;
  const [raw, viewer] = await Promise.all([resolveCode(ctx, text, known), viewerOf(ctx)]);
  return visibleResolution(viewer, raw);
}
