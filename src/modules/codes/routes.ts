import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf, write } from '../../kernel/http.js';
import { Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { Problem } from '../../kernel/problems.js';
import * as svc from './service.js';

const Issued = Type.Object({ code: Type.String(), url: Type.String() });
const Reservation = Type.Object({
  id: Uuid, kind: Type.String(), count: Type.Integer(), firstCode: Type.String(), lastCode: Type.String(), printer: Nullable(Type.String()),
  status: Type.String({ description: 'generating 生成中 · ready 可下载' }), jobId: Nullable(Uuid), activated: Type.Integer(), createdAt: Type.String(),
});
const CodeText = Type.String({ minLength: 1, maxLength: 300, description: '20-digit short code, 29-char long code, or a URL ending in /t/{code}' });
const Resolution = Type.Object({
  input: Type.String(),
  status: Type.String({ description: 'active · inactive (printed, not yet activated) · void · unknown · foreign (another platform) · malformed' }),
  message: Type.String(), messageEn: Type.String(),
  reason: Type.Optional(Type.String()), reasonEn: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()), longCode: Type.Optional(Type.String()), kind: Type.Optional(Type.String()), kindName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.Object({ tier: Type.String(), region: Type.String() })),
  issuedAt: Type.Optional(Type.String()), certificateNumber: Type.Optional(Type.String()),
  subject: Type.Optional(Nullable(Type.Object({ id: Uuid, name: Nullable(Type.String()), status: Type.Optional(Type.String()) }))),
  batch: Type.Optional(Nullable(Type.Object({
    id: Uuid, batchNo: Nullable(Type.String()), productName: Nullable(Type.String()), producedAt: Nullable(Type.String()), status: Nullable(Type.String()), divisionCode: Nullable(Type.String()),
  }))),
});

export default async function codeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['codes'];

  r.post('/codes/issue', {
    config: { verb: 'code.issue' },
    schema: {
      operationId: 'issueTraceCodes', summary: '生产线取码（单个或成批，API 令牌）Issue codes for a packing line (singly or in blocks, API token)', tags,
      body: Type.Object({
        batchId: Uuid,
        count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
        kind: Type.Optional(Type.Union([Type.Literal('production'), Type.Literal('temporary')])),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ batchId: Uuid, count: Type.Integer(), codes: Type.Array(Issued) }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.issueTraceCodes(ctx, req.body))));

  r.post('/codes/reservations', {
    config: { verb: 'code.reserve' },
    schema: {
      operationId: 'reserveCodes', summary: '预留未激活码段交第三方印刷（最多 100 万）Reserve inactive codes for a third-party printer (up to 1,000,000)', tags,
      body: Type.Object({ count: Type.Integer({ minimum: 1, maximum: 1_000_000 }), printer: Type.Optional(Nullable(Type.String({ maxLength: 100 }))) }, { additionalProperties: false }),
      response: { 201: Reservation, 202: Reservation, ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => {
    const out = await write(req, (ctx) => svc.reserveCodes(ctx, req.body));
    return reply.status(out.status === 'ready' ? 201 : 202).send(out);
  });

  r.get('/codes/reservations', {
    config: { verb: 'code.reserve' },
    schema: { operationId: 'listCodeReservations', summary: '预留码段列表 My code reservations', tags, response: { 200: Type.Array(Reservation), ...authErrors } },
  }, async (req) => svc.listReservations(ctxOf(req)));

  r.get('/codes/reservations/:id', {
    config: { verb: 'code.reserve' },
    schema: { operationId: 'getCodeReservation', summary: '预留码段 A code reservation', tags, params: Type.Object({ id: Uuid }), response: { 200: Reservation, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.reservationDto(req.server.config, await svc.getReservation(ctxOf(req), req.params.id)));

  r.get('/codes/reservations/:id/file', {
    config: { verb: 'code.reserve' },
    schema: {
      operationId: 'downloadCodeReservation', summary: '下载印刷文件（CSV）Download the printer file (CSV)', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'text/csv' }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => {
    const res = await svc.getReservation(ctxOf(req), req.params.id);
    if (res.status !== 'ready') throw new Problem('INVALID_STATE', { stateZh: '生成中', stateEn: 'generating', actionZh: '下载', actionEn: 'download' });
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="codes-${res.id}.csv"`)
      .send(Readable.from(svc.reservationCsv(req.server.config, res)));
  });

  r.post('/codes/activate', {
    config: { verb: 'code.reserve' },
    schema: {
      operationId: 'activateCodes', summary: '按码段或扫码激活预印码并绑定批次 Activate printed codes by range or by scanning, binding them to a batch', tags,
      body: Type.Object({
        batchId: Uuid,
        from: Type.Optional(CodeText),
        to: Type.Optional(CodeText),
        codes: Type.Optional(Type.Array(CodeText, { minItems: 1, maxItems: 5000 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ batchId: Uuid, activated: Type.Integer() }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.activateCodes(ctx, req.body)));

  r.get('/public/codes/:code', {
    config: { public: true },
    schema: {
      operationId: 'resolveTraceCode', summary: '解析追溯码（公开）Resolve a trace code (public)', tags: ['public'],
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: 'short or long code, identity code or certificate number' }) }),
      response: { 200: Resolution },
    },
  }, async (req) => svc.resolveCode(publicCtxOf(req), req.params.code));
}
