import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { publicCtxOf } from '../../kernel/http.js';
import { DivisionCode, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Division = Type.Object({
  code: Type.String({ description: 'Division code; "" is the national root' }),
  name: Type.String(),
  level: Type.Integer({ description: '0 national, 1 province, 2 city, 3 county, 4 township, 5 village' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  hasChildren: Type.Boolean(),
});
const PathItem = Type.Object({ code: Type.String(), name: Type.String(), level: Type.Integer() });

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
        querystring: Type.Object({ parent: Type.Optional(Type.Union([DivisionCode, Type.Literal('')])) }),
        response: { 200: Type.Array(Division), ...errors(400) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return svc.children(publicCtxOf(req), req.query.parent ?? '');
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
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 40 }),
          level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
          within: Type.Optional(DivisionCode),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: Type.Array(PathItem), ...errors(400) },
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
        params: Type.Object({ code: DivisionCode }),
        response: {
          200: Type.Object({ ...Division.properties, path: Type.Array(PathItem), fullName: Type.String() }),
          ...errors(400, 404),
        },
      },
    },
    async (req) => svc.get(publicCtxOf(req), req.params.code),
  );
}
