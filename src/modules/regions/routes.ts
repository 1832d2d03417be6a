import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { publicCtxOf } from '../../kernel/http.js';
import { errors } from '../../kernel/schemas.js';
import { ChildrenQuery, DivisionDetail, DivisionPage, DivisionParams, PathItemPage, SearchQuery } from './schemas.js';
import * as svc from './service.js';

export default async function regionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['divisions'];

  r.get(
    '/divisions',
    {
      config: { public: true },
      schema: {
        operationId: 'listDivisionChildren',
        summary: '下级行政区划 Children of a division',
        tags,
        querystring: ChildrenQuery,
        response: { 200: DivisionPage, ...errors(400) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return svc.childrenPage(publicCtxOf(req), req.query);
    },
  );

  r.get(
    '/divisions/search',
    {
      config: { public: true },
      schema: {
        operationId: 'searchDivisions',
        summary: '按名称搜索行政区划 Search divisions by name',
        tags,
        querystring: SearchQuery,
        response: { 200: PathItemPage, ...errors(400) },
      },
    },
    async (req) => svc.search(publicCtxOf(req), req.query),
  );

  r.get(
    '/divisions/:code',
    {
      config: { public: true },
      schema: {
        operationId: 'getDivision',
        summary: '行政区划及其到根的路径 A division with its path to the root',
        tags,
        params: DivisionParams,
        response: { 200: DivisionDetail, ...errors(400, 404) },
      },
    },
    async (req) => svc.get(publicCtxOf(req), req.params.code),
  );
}
