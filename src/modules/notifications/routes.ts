import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Nullable, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Notification = Type.Object({
  id: Uuid, kind: Type.String(), title: Type.String(), titleEn: Type.String(), body: Type.Record(Type.String(), Type.Unknown()),
  targetType: Nullable(Type.String()), targetId: Nullable(Type.String()), createdAt: Type.String(), readAt: Nullable(Type.String()),
});

export default async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];
  r.get('/notifications', {
    schema: {
      operationId: 'listNotifications', summary: '本机构的通知 Notifications to my organisation', tags,
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery }),
      response: { 200: Page(Notification), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listNotifications(ctxOf(req), req.query));
  r.post('/notifications/:id/read', {
    schema: {
      operationId: 'markNotificationRead', summary: '标为已读 Mark a notification read', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Notification, ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => write(req, (ctx) => svc.markRead(ctx, req.params.id)));
}
