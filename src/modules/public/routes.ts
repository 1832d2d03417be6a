import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf } from '../../kernel/http.js';
import { DateTime, Nullable, Page, PageQuery, authErrors, errors } from '../../kernel/schemas.js';
import { queryLogOf } from './log.js';
import * as svc from './service.js';

const Str = Type.String();
const NStr = Nullable(Type.String());
const Origin = Type.Object({
  batchNo: Str,
  product: Type.Object({ name: Str, classification: NStr, unit: Str }),
  producer: Type.Object({ name: Type.String({ description: 'natural persons masked: 张**' }), orgForm: Str, orgFormName: Str, divisionName: Str, identityCode: NStr, phone: Nullable(Type.String({ description: 'masked 138****0000' })) }),
  divisionCode: Str, divisionName: Str,
  base: Nullable(Type.Object({ name: Str, divisionName: Str })),
  harvestDate: Type.String({ description: 'YYYY-MM-DD, Beijing time' }),
  selfCheck: Type.Object({ result: Str, text: Str }),
  marks: Type.Array(Type.Object({ type: Str, name: Str, number: NStr, validTo: NStr })),
  tests: Type.Array(Type.Object({ item: Str, result: Str, at: Str, agency: NStr })),
  certificates: Type.Array(Type.Object({ number: Str, issuedAt: Str, verifyPath: Str })),
});
export const PublicTrace = Type.Object({
  input: Str, code: NStr, longCode: NStr, kind: Nullable(Type.String({ description: 'production · circulation · voucher · temporary · subject · certificate' })), kindName: NStr,
  status: Type.String({ description: 'active · inactive (not activated) · void · recalled · unknown · malformed (hint says why, e.g. check character) · foreign' }),
  statusText: Str, statusTextEn: Str, hint: NStr, hintEn: NStr,
  suggestions: Type.Array(Type.String(), { description: 'existing codes one typing error away (after a check-character failure)' }),
  recall: Nullable(Type.Object({ batchId: Str, number: Str, level: Type.Integer(), at: Str, reason: NStr }, { description: 'an open recall covering this batch (issue 5)' })),
  origins: Type.Array(Origin), moreOrigins: Type.Integer(),
  subject: Nullable(Type.Object({ name: Str, orgFormName: Str, subjectType: Str, industries: Type.Array(Str), marks: Type.Array(Str), divisionName: Str, identityCode: NStr, status: Str, statusText: Str, approvedAt: NStr })),
  certificate: Nullable(Type.Object({ number: Str, valid: Type.Boolean(), productName: Str, quantity: Type.Number(), unit: Str, subjectName: Str, origin: Str, issuedAt: Str })),
});
const CodeParam = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });
const Geo = Type.Object({
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'optional browser geolocation (counterfeit signals)' })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
const Node = Type.Object({
  batchId: Str, batchNo: Str, kind: Str, productName: Str, subjectId: Str, subjectName: Str, divisionCode: Str, producedAt: Str, quantity: Type.Number(), stock: Type.Number(), unit: Str, status: Str,
});

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

export default async function publicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const rate = { max: app.config.publicTrace.rateLimitPerMinute, timeWindow: '1 minute' };

  r.get('/public/trace/:code', {
    config: { public: true, rateLimit: rate },
    schema: {
      operationId: 'getPublicTrace', summary: '公开追溯查询（消费者：仅产地信息）Public trace lookup (consumers: origin only)', tags: ['public'],
      params: CodeParam, querystring: Geo,
      response: { 200: PublicTrace, 304: Type.Null(), 404: PublicTrace, ...errors(400, 429) },
    },
  }, async (req, reply) => {
    const ctx = publicCtxOf(req);
    const res = await svc.lookupPublic(ctx, req.params.code, app.database.prepared);
    svc.record(queryLogOf(app), ctx, req.params.code, res, 'json', req.actor ? (req.actor.orgKind === 'producer' ? 'producer' : 'regulator') : 'consumer', req.query);
    if (res.httpStatus === 200 && sendCached(req, reply, res.etag, 'j')) return reply;
    // Sent pre-serialised (the cached origins JSON is reused); the schema above still documents the shape.
    return reply.status(res.httpStatus).type('application/json; charset=utf-8').send(svc.jsonOf(res.body, res.cached) as never);
  });

  r.get('/trace/:code', {
    config: { verb: 'trace.read' },
    schema: {
      operationId: 'getTraceView', summary: '追溯查看（生产者：本主体及上下一级；监管：本辖区）Trace view (producers: own + one step up/down; regulators: jurisdiction)', tags: ['trace'],
      params: CodeParam,
      response: {
        200: Type.Object({
          public: PublicTrace,
          view: Nullable(Type.Object({
            reach: Type.String({ description: 'own · neighbour (one step from your batch) · jurisdiction' }),
            batch: Node, origin: Type.Any(),
            events: Type.Array(Type.Object({ eventId: Str, bizStep: Str, stage: Str, disposition: NStr, eventTime: Str, qtyDelta: Type.Number(), subjectId: NStr })),
            upstream: Type.Array(Node), downstream: Type.Array(Node), hiddenUpstream: Type.Integer(), hiddenDownstream: Type.Integer(),
          })),
        }),
        ...authErrors, ...errors(400, 404),
      },
    },
  }, async (req) => svc.getTraceView(ctxOf(req), queryLogOf(app), req.params.code));

  r.get('/query-logs', {
    config: { verb: 'querylog.read' },
    schema: {
      operationId: 'listQueryLogs', summary: '查询记录（监管：本辖区；生产者：本主体的码）Query log (regulators: jurisdiction; producers: own codes)', tags: ['trace'],
      querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 64 })), from: Type.Optional(DateTime), to: Type.Optional(DateTime), ...PageQuery }),
      response: {
        200: Page(Type.Object({
          id: Type.Integer(), at: Str, code: Str, result: Str, channel: Str, viewer: Str, anonymous: Type.Boolean(), actorId: NStr, divisionCode: NStr,
          clientIp: Nullable(Type.String({ description: 'regulators only' })), clientNet: NStr, userAgent: NStr, latitude: Nullable(Type.Number()), longitude: Nullable(Type.Number()),
        })),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => svc.listQueryLogs(ctxOf(req), req.query));

  r.get('/scan-counts', {
    config: { verb: 'trace.read' },
    schema: {
      operationId: 'listScanCounts', summary: '本主体追溯码被查询次数 How often my codes were scanned (producers)', tags: ['trace'],
      querystring: Type.Object(PageQuery),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Str, scans: Type.Integer(), firstAt: Str, lastAt: Str })), total: Type.Integer(), totalScans: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...authErrors },
    },
  }, async (req) => svc.listScanCounts(ctxOf(req), req.query));
}
