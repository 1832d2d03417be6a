import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Nullable, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Notice = Type.Object({
  id: Uuid, holderSubjectId: Nullable(Uuid), holderName: Type.String(), contactName: Nullable(Type.String()), phone: Nullable(Type.String()), divisionCode: Nullable(Type.String()),
  batchId: Nullable(Uuid), batchNo: Nullable(Type.String()), code: Nullable(Type.String()), saleId: Nullable(Uuid), quantity: Nullable(Type.Number()), unit: Nullable(Type.String()),
  status: Type.String(), acknowledgedAt: Nullable(Type.String()), recoveredQuantity: Nullable(Type.Number()), note: Nullable(Type.String()),
});
const Recall = Type.Object({
  id: Uuid, number: Type.String(), batchId: Uuid, batchNo: Type.String(), code: Nullable(Type.String()), productName: Type.String(), subjectName: Type.String(), divisionCode: Type.String(),
  openerKind: Type.String(), level: Type.Integer(), levelName: Type.String(), reason: Type.String(), status: Type.String(), statusName: Type.String(), openedAt: Type.String(), closedAt: Nullable(Type.String()),
  progress: Type.Object({ batches: Type.Integer(), holders: Type.Integer(), acknowledged: Type.Integer(), external: Type.Integer(), percent: Type.Integer(), recovered: Type.Number() }),
  notices: Type.Array(Notice), allowedActions: Type.Array(Type.String()),
});

export default async function recallRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['recall'];
  r.post('/recalls', {
    config: { verb: 'recall.open' },
    schema: {
      operationId: 'openRecall', summary: '发起召回（向下追踪并通知每个持有者）Open a recall (forward trace, notice to every holder)', tags,
      body: Type.Object({ batchId: Uuid, reason: Type.String({ minLength: 2, maxLength: 500 }), level: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })) }, { additionalProperties: false }),
      response: { 201: Recall, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.openRecall(ctx, req.body))));
  r.get('/recalls', {
    config: { verb: 'recall.read' },
    schema: {
      operationId: 'listRecalls', summary: '召回列表 Recalls', tags,
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])), ...PageQuery }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, number: Type.String(), status: Type.String(), statusName: Type.String(), level: Type.Integer(), reason: Type.String(), openedAt: Type.String(), divisionCode: Type.String(), batchNo: Type.String(), productName: Type.String(), holders: Type.Integer(), acknowledged: Type.Integer() })), page: Type.Integer(), pageSize: Type.Integer() }),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => svc.listRecalls(ctxOf(req), req.query));
  r.get('/recalls/:id', {
    config: { verb: 'recall.read' },
    schema: { operationId: 'getRecall', summary: '召回详情和进度 A recall with its progress', tags, params: Type.Object({ id: Uuid }), response: { 200: Recall, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getRecall(ctxOf(req), req.params.id));
  r.post('/recalls/:id/acknowledge', {
    config: { verb: 'recall.acknowledge' },
    schema: {
      operationId: 'acknowledgeRecall', summary: '持有者确认召回通知 A holder acknowledges the recall notice', tags, params: Type.Object({ id: Uuid }),
      body: Type.Object({ recoveredQuantity: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: Recall, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.acknowledgeRecall(ctx, req.params.id, req.body)));
  r.post('/recalls/:id/close', {
    config: { verb: 'recall.open' },
    schema: {
      operationId: 'closeRecall', summary: '结束召回 Close a recall', tags, params: Type.Object({ id: Uuid }),
      body: Type.Object({ note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Recall, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.closeRecall(ctx, req.params.id, req.body)));
  for (const fmt of ['xlsx', 'pdf'] as const) {
    r.get(`/recalls/:id/report.${fmt}`, {
      config: { verb: 'recall.read' },
      schema: {
        operationId: fmt === 'xlsx' ? 'recallReportXlsx' : 'recallReportPdf', summary: fmt === 'xlsx' ? '召回报告及通知名单（Excel）Recall report and holder list (Excel)' : '召回报告（PDF）Recall report (PDF)', tags,
        params: Type.Object({ id: Uuid }), response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...authErrors, ...errors(400, 404) },
      },
    }, async (req, reply) => {
      const ctx = ctxOf(req);
      if (fmt === 'xlsx') {
        const x = await svc.recallXlsx(ctx, req.params.id);
        return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${x.filename}"`).send(x.xlsx);
      }
      const x = await svc.recallPdf(ctx, req.params.id);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${x.filename}"`).send(x.pdf);
    });
  }
}
