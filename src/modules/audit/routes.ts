import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf } from '../../kernel/http.js';
import { DateTime, DivisionCode, Nullable, Page, PageQuery, authErrors, errors } from '../../kernel/schemas.js';
import * as repo from './repo.js';

const Entry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  orgId: Nullable(Type.String()),
  onBehalfOf: Nullable(Type.String()),
  verb: Type.String(),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  divisionCode: Type.String(),
  ip: Nullable(Type.String()),
  summary: Type.Record(Type.String(), Type.Unknown()),
});

export default async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/audit', {
    config: { verb: 'audit.read' },
    schema: {
      operationId: 'listAuditLog', summary: '本辖区审计日志 Audit log within my jurisdiction', tags: ['audit'],
      querystring: Type.Object({
        within: Type.Optional(DivisionCode),
        verb: Type.Optional(Type.String({ maxLength: 60, description: 'exact verb, or a prefix ending with "." (e.g. "user.")' })),
        actor: Type.Optional(Type.String({ maxLength: 64 })),
        targetType: Type.Optional(Type.String({ maxLength: 40 })),
        targetId: Type.Optional(Type.String({ maxLength: 80 })),
        from: Type.Optional(DateTime),
        to: Type.Optional(DateTime),
        ...PageQuery,
      }),
      response: { 200: Page(Entry), ...authErrors, ...errors(400) },
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const page = req.query.page ?? 1;
    const pageSize = req.query.pageSize ?? 20;
    const { rows, total } = await repo.list(ctx.db, { ...req.query, scope: ctx.actor.scope, limit: pageSize, offset: (page - 1) * pageSize });
    return {
      items: rows.map((l) => ({
        id: l.id, at: l.at.toISOString(), actorId: l.actor_id, actorName: l.actor_name, orgId: l.org_id, onBehalfOf: l.on_behalf_of,
        verb: l.verb, targetType: l.target_type, targetId: l.target_id, divisionCode: l.division_code, ip: l.ip, summary: l.summary as Record<string, unknown>,
      })),
      total, page, pageSize,
    };
  });
}
