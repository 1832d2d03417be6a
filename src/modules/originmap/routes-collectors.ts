import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { ListQuery, RecordPage } from './schemas.js';
import { CollectorGrant, CollectorGrantBody } from './schemas-collectors.js';
import * as svc from './service/collectors.js';
import { listMyRecords } from './service/records.js';

const tags = ['originmap'];

/** Who collects besides the regulators: producers (own records), agencies acting for them, county-authorised collectors. */
export async function collectorRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/origin/my-records',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'listMyOriginRecords',
        summary:
          '我可采集的记录：主体自己的、代录主体的或授权县的 Records I may collect: my own, my client’s, or my authorised county’s',
        tags,
        querystring: ListQuery,
        response: { 200: RecordPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => listMyRecords(ctxOf(req), req.query),
  );

  r.get(
    '/origin/collectors',
    {
      config: { verb: 'origin.authorise' },
      schema: {
        operationId: 'listOriginCollectors',
        summary: '第三方采集机构授权（本辖区）Third-party collectors authorised in my jurisdiction',
        tags,
        response: { 200: Type.Array(CollectorGrant), ...authErrors },
      },
    },
    async (req) => svc.listCollectorGrants(ctxOf(req)),
  );

  r.post(
    '/origin/collectors',
    {
      config: { verb: 'origin.authorise' },
      schema: {
        operationId: 'grantOriginCollector',
        summary: '县级授权第三方采集（须签保密协议）The county authorises a third-party collector (with an NDA)',
        tags,
        body: CollectorGrantBody,
        response: { 200: Type.Array(CollectorGrant), ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.grantCollector(ctx, req.body)),
  );

  r.post(
    '/origin/collectors/:id/revoke',
    {
      config: { verb: 'origin.authorise' },
      schema: {
        operationId: 'revokeOriginCollector',
        summary: '撤销第三方采集授权 Revoke a collector authorisation',
        tags,
        params: Type.Object({ id: Uuid }),
        response: { 200: Type.Array(CollectorGrant), ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.revokeCollector(ctx, req.params.id)),
  );
}
