import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Page, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { Batch, BatchInput, BatchQuery, BatchWithEvents, CorrectionInput } from './schemas.js';
import * as svc from './service.js';

export default async function batchRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['batches'];

  r.post(
    '/batches',
    {
      config: { verb: 'batch.create' },
      schema: {
        operationId: 'createBatch',
        summary: '新建生产批次（生成生产批次码）Create a production batch (issues its batch code)',
        tags,
        body: BatchInput,
        response: { 201: Batch, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createBatch(ctx, req.body))),
  );

  r.get(
    '/batches',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listBatches',
        summary: '批次列表 Batches',
        tags,
        querystring: BatchQuery,
        response: { 200: Page(Batch), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listBatches(ctxOf(req), req.query),
  );

  r.get(
    '/batches/:id',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'getBatch',
        summary: '批次详情及其追溯事件 A batch with its trace events',
        tags,
        params: Type.Object({ id: Uuid }),
        response: {
          200: BatchWithEvents,
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req) => svc.getBatch(ctxOf(req), req.params.id),
  );

  r.post(
    '/batches/:id/corrections',
    {
      config: { verb: 'batch.create' },
      schema: {
        operationId: 'correctBatch',
        summary: '更正批次数量（追加更正事件）Correct a batch quantity (appends a corrective event)',
        tags,
        params: Type.Object({ id: Uuid }),
        body: CorrectionInput,
        response: {
          200: BatchWithEvents,
          ...authErrors,
          ...errors(400, 404, 409),
        },
      },
    },
    async (req) => write(req, (ctx) => svc.correctBatch(ctx, req.params.id, req.body)),
  );
}
