import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import { Resolution } from '../codes/schemas.js';
import { queryLogOf, quietPublicRoutes } from './log.js';
import {
  CodeParam,
  Geo,
  PublicTrace,
  QueryLogItem,
  QueryLogQuery,
  ScanCountQuery,
  ScanCounts,
  TraceViewResult,
} from './schemas.js';
import { HOPS_HEADER, MAX_HOPS, SIGNATURE_HEADER, isSignedRelay } from './remote.js';
import { lookupSourceOf } from './resolver.js';
import * as svc from './service.js';

/** Cache headers: every scan revalidates (so it is logged and a recall shows at once); unchanged → 304. */
export function sendCached(req: FastifyRequest, reply: FastifyReply, etag: string | null, channel: string) {
  if (!etag) return false;
  const tag = `W/"${channel}-${etag}"`;
  void reply.header('etag', tag).header('cache-control', 'public, no-cache').header('vary', 'accept-encoding');
  if (req.headers['if-none-match'] === tag) {
    void reply.status(304).send();
    return true;
  }
  return false;
}

/** How many platforms already relayed this request (通查通识, remote.ts); 0 for a consumer. */
export function relayHops(req: FastifyRequest): number {
  const n = Number(req.headers[HOPS_HEADER]);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_HOPS) : 0;
}

export default async function publicRoutes(app: FastifyInstance) {
  quietPublicRoutes(app);
  const lookupSource = lookupSourceOf(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const rate = { max: app.config.publicTrace.rateLimitPerMinute, timeWindow: '1 minute' };
  // Platforms relaying 通查通识 lookups sign them (remote.ts): they ask for many consumers at once.
  const relayRate = {
    ...rate,
    // A consumer's request (no signature header) is answered synchronously: no promise per lookup.
    allowList: (req: FastifyRequest) =>
      req.headers[SIGNATURE_HEADER] !== undefined &&
      isSignedRelay({ db: app.database.db }, req.headers, (req.params as { code?: string }).code ?? ''),
  };

  r.get(
    '/public/codes/:code',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'resolveTraceCode',
        summary: '解析追溯码（公开）Resolve a trace code (public)',
        tags: ['public'],
        params: Type.Object({
          code: Type.String({
            minLength: 1,
            maxLength: 64,
            description: 'short or long code, identity code or certificate number',
          }),
        }),
        response: { 200: Resolution, ...errors(400, 429) },
      },
    },
    // With the resolver ready, its memory (from the primary) says the status and the rest is read from the primary
    // too, so the two agree; otherwise the whole answer may come from the read replica.
    async (req) => {
      const { resolver } = lookupSource;
      const ctx = resolver?.fills() ? publicCtxOf(req) : lookupSource.of(req).ctx;
      return svc.resolveTraceCode(ctx, req.params.code, resolver);
    },
  );

  r.get(
    '/public/trace/:code',
    {
      config: { public: true, rateLimit: relayRate },
      schema: {
        operationId: 'getPublicTrace',
        summary: '公开追溯查询（消费者：仅产地信息）Public trace lookup (consumers: origin only)',
        tags: ['public'],
        params: CodeParam,
        querystring: Geo,
        response: {
          200: PublicTrace,
          304: Type.Null({ description: 'unchanged since the ETag sent in If-None-Match' }),
          404: PublicTrace,
          503: PublicTrace,
          ...errors(400, 429),
        },
      },
    },
    async (req, reply) => {
      const { ctx, src } = lookupSource.of(req);
      const res = await svc.lookupPublic(ctx, req.params.code, src, relayHops(req));
      svc.record(
        queryLogOf(app),
        ctx,
        req.params.code,
        res,
        'json',
        req.actor ? (req.actor.orgKind === 'producer' ? 'producer' : 'regulator') : 'consumer',
        req.query,
      );
      if (res.httpStatus === 200 && sendCached(req, reply, res.etag, 'j')) return reply;
      if (res.httpStatus === 503) void reply.header('retry-after', '5');
      // Serialised by jsonOf, which reuses the cached origins JSON; the schema above still documents the shape.
      return reply
        .status(res.httpStatus)
        .type('application/json; charset=utf-8')
        .serializer(() => svc.jsonOf(res.body, res.cached))
        .send(res.body);
    },
  );

  r.get(
    '/trace/:code',
    {
      config: { verb: 'trace.read' },
      schema: {
        operationId: 'getTraceView',
        summary:
          '追溯查看（生产者：本主体及上下一级；监管：本辖区）Trace view (producers: own + one step up/down; regulators: jurisdiction)',
        tags: ['trace'],
        params: CodeParam,
        response: { 200: TraceViewResult, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getTraceView(ctxOf(req), queryLogOf(app), req.params.code),
  );

  r.get(
    '/query-logs',
    {
      config: { verb: 'querylog.read' },
      schema: {
        operationId: 'listQueryLogs',
        summary:
          '查询记录（监管：本辖区；生产者：本主体的码）Query log (regulators: jurisdiction; producers: own codes)',
        tags: ['trace'],
        querystring: QueryLogQuery,
        response: { 200: Page(QueryLogItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listQueryLogs(ctxOf(req), req.query),
  );

  r.get(
    '/scan-counts',
    {
      config: { verb: 'trace.read' },
      schema: {
        operationId: 'listScanCounts',
        summary: '本主体追溯码被查询次数 How often my codes were scanned (producers)',
        tags: ['trace'],
        querystring: ScanCountQuery,
        response: { 200: ScanCounts, ...authErrors },
      },
    },
    async (req) => svc.listScanCounts(ctxOf(req), req.query),
  );
}
