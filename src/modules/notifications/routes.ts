import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { Marked, Notification, NotificationPage, NotificationParams, NotificationQuery } from './schemas.js';
import * as svc from './service.js';

/** Every authenticated account reads its own (and its organisation's) notifications: no verb needed. */
export default async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['notifications'];

  r.get(
    '/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        summary: '我的站内通知 My notifications',
        tags,
        querystring: NotificationQuery,
        response: { 200: NotificationPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listNotifications(ctxOf(req), req.query),
  );

  r.post(
    '/notifications/:id/read',
    {
      schema: {
        operationId: 'markNotificationRead',
        summary: '标记为已读 Mark a notification read',
        tags,
        params: NotificationParams,
        response: { 200: Notification, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.markRead(ctx, req.params.id)),
  );

  r.post(
    '/notifications/read-all',
    {
      schema: {
        operationId: 'markAllNotificationsRead',
        summary: '全部标记为已读 Mark all my notifications read',
        tags,
        response: { 200: Marked, ...authErrors },
      },
    },
    async (req) => write(req, (ctx) => svc.markAllRead(ctx)),
  );
}
