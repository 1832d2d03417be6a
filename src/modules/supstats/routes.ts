import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { readCtxOf } from '../../kernel/http.js';
import { FileResponse, authErrors, errors } from '../../kernel/schemas.js';
import { Stats, StatsQuery } from './schemas.js';
import * as svc from './service.js';

export default async function statsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['statistics'];
  r.get(
    '/supervision/stats',
    {
      config: { verb: 'supstats.read' },
      schema: {
        operationId: 'getSupervisionStats',
        summary: '监管统计（巡查完成率、检测合格率、案件类型） Supervision statistics',
        tags,
        querystring: StatsQuery,
        response: { 200: Stats, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.stats(readCtxOf(req), req.query),
  );

  r.get(
    '/supervision/stats.xlsx',
    {
      config: { verb: 'supstats.read' },
      schema: {
        operationId: 'exportSupervisionStats',
        summary: '导出监管统计 Excel Export the statistics as Excel',
        tags,
        querystring: StatsQuery,
        response: { 200: FileResponse(MIME.xlsx, 'the statistics workbook (Excel)'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) =>
      sendFile(reply, await svc.statsWorkbook(readCtxOf(req), req.query), {
        filename: `supervision-${req.query.year}.xlsx`,
        type: MIME.xlsx,
      }),
  );
}
