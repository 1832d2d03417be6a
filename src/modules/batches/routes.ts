import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DateTime, Nullable, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { Unit } from '../catalog/routes.js';
import * as svc from './service.js';

const Status = Type.Union([Type.Literal('unsold'), Type.Literal('partly_sold'), Type.Literal('sold_out'), Type.Literal('merged')]);
const Warning = Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.String() });
export const Batch = Type.Object({
  id: Uuid, batchNo: Type.String(), kind: Type.String(), subjectId: Uuid, subjectName: Type.String(), productId: Uuid, productName: Type.String(),
  baseId: Nullable(Uuid), baseName: Nullable(Type.String()), divisionCode: Type.String(), originName: Nullable(Type.String()),
  quantity: Type.Number(), unit: Type.String(), stock: Type.Number(), status: Type.String(), statusName: Type.String(), producedAt: Type.String(),
  selfCheck: Type.String(), selfCheckNote: Nullable(Type.String()), code: Nullable(Type.String()), codeUrl: Nullable(Type.String()),
  allowedActions: Type.Array(Type.String()), warnings: Type.Array(Warning), createdAt: Type.String(),
});
const Event = Type.Object({
  eventId: Uuid, type: Type.String(), action: Nullable(Type.String()), bizStep: Type.String(), stage: Type.String(), disposition: Nullable(Type.String()),
  eventTime: Type.String(), recordTime: Type.String(), qtyDelta: Type.Number(), corrects: Nullable(Type.String()), payload: Type.Record(Type.String(), Type.Unknown()),
});
const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });

export default async function batchRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['batches'];

  r.post('/batches', {
    config: { verb: 'batch.create' },
    schema: {
      operationId: 'createBatch', summary: '新建生产批次（生成生产批次码）Create a production batch (issues its batch code)', tags,
      body: Type.Object({
        productId: Uuid,
        baseId: Type.Optional(Nullable(Uuid)),
        quantity: Quantity,
        unit: Type.Optional(Unit),
        producedAt: DateTime,
        selfCheck: Type.Optional(Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('untested')], { description: '自检结果 pass 合格 · fail 不合格 · untested 未检' })),
        selfCheckNote: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, pattern: '^[0-9A-Za-z_-]+$' })),
      }, { additionalProperties: false }),
      response: { 201: Batch, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createBatch(ctx, req.body))));

  r.get('/batches', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'listBatches', summary: '批次列表 Batches', tags,
      querystring: Type.Object({ status: Type.Optional(Status), productId: Type.Optional(Uuid), ...PageQuery }),
      response: { 200: Type.Object({ items: Type.Array(Batch), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listBatches(ctxOf(req), req.query));

  r.get('/batches/:id', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'getBatch', summary: '批次详情及其追溯事件 A batch with its trace events', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ ...Batch.properties, events: Type.Array(Event) }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => svc.getBatch(ctxOf(req), req.params.id));

  r.post('/batches/:id/corrections', {
    config: { verb: 'batch.create' },
    schema: {
      operationId: 'correctBatch', summary: '更正批次数量（追加更正事件）Correct a batch quantity (appends a corrective event)', tags, params: Type.Object({ id: Uuid }),
      body: Type.Object({ quantity: Quantity, reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ...Batch.properties, events: Type.Array(Event) }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.correctBatch(ctx, req.params.id, req.body)));
}
