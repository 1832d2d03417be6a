import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { Draw, DrawInput, DrawListQuery, DrawPage, IdParams } from './schemas.js';
import * as svc from './service.js';

export default async function randomCheckRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['random checks'];
  r.post(
    '/random-draws',
    {
      config: { verb: 'randomcheck.draw' },
      schema: {
        operationId: 'drawRandomChecks',
        summary: '双随机抽取（可复现） Draw random checks (seeded, reproducible)',
        tags,
        body: DrawInput,
        response: { 201: Draw, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.drawRandomChecks(ctx, req.body))),
  );

  r.get(
    '/random-draws',
    {
      config: { verb: 'randomcheck.read' },
      schema: {
        operationId: 'listRandomDraws',
        summary: '双随机抽取记录 Random draws in my jurisdiction',
        tags,
        querystring: DrawListQuery,
        response: { 200: DrawPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listDraws(ctxOf(req), req.query),
  );

  r.get(
    '/random-draws/:id',
    {
      config: { verb: 'randomcheck.read' },
      schema: {
        operationId: 'getRandomDraw',
        summary: '抽取详情与复现校验 A draw, re-run to verify',
        tags,
        params: IdParams,
        response: { 200: Draw, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getDraw(ctxOf(req), req.params.id),
  );
}
