import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Nullable(Type.String()),
  bodyEn: Nullable(Type.String()),
  link: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});

export default async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  r.get('/notifications', {
    schema: {
      operationId: 'listMyNotifications', summary: '我的通知 My notifications (mine and my organisation’s)', tags,
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
      response: { 200: Type.Object({ items: Type.Array(Notification), unread: Type.Integer() }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listMine(ctxOf(req), req.query));

  r.post('/notifications/:id/read', {
    schema: {
      operationId: 'markNotificationRead', summary: '标记已读 Mark a notification read', tags,
      params: Type.Object({ id: Uuid }),
      response: { 204: Type.Null(), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    await write(req, (ctx) => svc.markRead(ctx, req.params.id));
    return reply.status(204).send();
  });
}
