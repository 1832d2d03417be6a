import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { AuditPage, AuditQuery } from './schemas.js';
import * as svc from './service.js';

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/audit',
    {
      config: { verb: 'audit.read' },
      schema: {
        operationId: 'listAuditLog',
        summary: '本辖区审计日志 Audit log within my jurisdiction',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listAudit(ctxOf(req), req.query, app.verbTable),
  );
}
