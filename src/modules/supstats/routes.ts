import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf } from '../../kernel/http.js';
import { DivisionCode, Nullable, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Query = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }), within: Type.Optional(DivisionCode) });
const Rate = Type.Object({ total: Type.Integer(), passed: Type.Integer(), passRate: Nullable(Type.Number()) });

export default async function statsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['statistics'];
  r.get('/supervision/stats', {
    config: { verb: 'supstats.read' },
    schema: {
      operationId: 'getSupervisionStats', summary: '监管统计（巡查完成率、检测合格率、案件类型） Supervision statistics', tags,
      querystring: Query,
      response: {
        200: Type.Object({
          year: Type.Integer(), divisionCode: Type.String(),
          patrols: Type.Object({ planned: Type.Integer(), done: Type.Integer(), completion: Nullable(Type.Number()), byMonth: Type.Array(Type.Object({ month: Type.Integer(), pass: Type.Integer(), fail: Type.Integer(), rectify: Type.Integer() })) }),
          tests: Type.Object({ byProduct: Type.Array(Type.Object({ product: Type.String(), ...Rate.properties })), byItem: Type.Array(Type.Object({ item: Type.String(), ...Rate.properties })) }),
          cases: Type.Object({ byType: Type.Array(Type.Object({ type: Type.String(), zh: Type.String(), total: Type.Integer(), closed: Type.Integer(), fines: Type.Number() })) }),
        }),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => svc.stats(ctxOf(req), req.query));

  r.get('/supervision/stats.xlsx', {
    config: { verb: 'supstats.read' },
    schema: { operationId: 'exportSupervisionStats', summary: '导出监管统计 Excel Export the statistics as Excel', tags, querystring: Query, response: { ...authErrors, ...errors(400) } },
  }, async (req, reply) =>
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''supervision-${req.query.year}.xlsx`)
      .send((await svc.statsWorkbook(ctxOf(req), req.query)) as never));
}
