import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { InputUse, InputUseInput, InputUseQuery } from './schemas.js';
import * as svc from './service.js';

export default async function inputRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production-process'];

  r.post(
    '/input-uses',
    {
      config: { verb: 'input.record' },
      schema: {
        operationId: 'recordInputUse',
        summary: '记录投入品使用或农事操作 Record an input used or a farming operation',
        tags,
        body: InputUseInput,
        response: { 201: InputUse, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.recordInputUse(ctx, req.body))),
  );

  r.get(
    '/input-uses',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listInputUses',
        summary: '生产过程记录 Production-process records',
        tags,
        querystring: InputUseQuery,
        response: { 200: Type.Array(InputUse), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listInputUses(ctxOf(req), req.query),
  );
}
