import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { LABEL_SIZES } from './render.js';
import * as svc from './service.js';

export default async function labelRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['labels'];

  r.post('/batches/:id/labels', {
    config: { verb: 'code.issue' },
    schema: {
      operationId: 'printLabels', summary: '打印标签（PDF：40×30、60×40 毫米或 A4）Print labels (PDF: 40×30, 60×40 mm or A4 sheets)', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        size: Type.Union(Object.keys(LABEL_SIZES).map((k) => Type.Literal(k)), { description: '40x30 · 60x40 · a4' }),
        copies: Type.Integer({ minimum: 1, maximum: 2000 }),
        unique: Type.Optional(Type.Boolean({ description: 'true: a fresh code per label (一物一码); false: the batch code on every label' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const { pdf, filename } = await write(req, (ctx) => svc.printLabels(ctx, req.params.id, req.body as never));
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${filename}"`).send(pdf);
  });

  r.get('/batches/:id/codes', {
    config: { verb: 'code.issue' },
    schema: {
      operationId: 'downloadBatchCodes', summary: '下载批次码表（Excel/CSV，本地打印）Download a batch\'s codes (Excel/CSV, for local printing)', tags,
      params: Type.Object({ id: Uuid }),
      querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'xlsx' })) }),
      response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'text/csv or xlsx' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const out = await svc.exportCodes(ctxOf(req), req.params.id, req.query.format ?? 'xlsx');
    return reply.type(out.type).header('content-disposition', `attachment; filename="${out.filename}"`).send(out.body);
  });
}
