import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE, resolveSecret } from '../../kernel/auth/sessions.js';
import { ctxOf, publicCtxOf, write } from '../../kernel/http.js';
import { Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

export const Profile = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  orgId: Uuid,
  orgName: Type.String(),
  orgKind: Type.String(),
  scope: Type.String({ description: 'jurisdiction division code; "" = national' }),
  scopeName: Type.String(),
  roles: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  verbs: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  viaToken: Type.Boolean(),
});

const Token = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  verbs: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  revokedAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];

  r.post('/auth/login', {
    config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      operationId: 'login', summary: '登录 Log in', tags,
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Profile }), ...errors(400, 401, 403, 423, 429) },
    },
  }, async (req, reply) => {
    const { session } = await svc.login(publicCtxOf(req), req.body.username, req.body.password);
    reply.setCookie(SESSION_COOKIE, session.token, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.publicBaseUrl.startsWith('https://'), expires: session.expiresAt,
    });
    const res = await resolveSecret(app.database.db, session.token, app.verbTable);
    if (!('actor' in res)) throw new Error('fresh session did not resolve');
    req.actor = res.actor;
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: await svc.me(ctxOf(req)) };
  });

  r.post('/auth/logout', {
    config: { allowPendingPassword: true },
    schema: { operationId: 'logout', summary: '退出登录 Log out', tags, response: { 204: Type.Null(), ...authErrors } },
  }, async (req, reply) => {
    const h = req.headers.authorization;
    const token = h?.startsWith('Bearer ') ? h.slice(7) : req.cookies[SESSION_COOKIE];
    if (token && !req.actor?.tokenId) await write(req, (ctx) => svc.logout(ctx, token));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  r.get('/auth/me', {
    config: { allowPendingPassword: true },
    schema: { operationId: 'getProfile', summary: '当前账号 My profile', tags, response: { 200: Profile, ...authErrors } },
  }, async (req) => svc.me(ctxOf(req)));

  r.post('/auth/password', {
    config: { allowPendingPassword: true },
    schema: {
      operationId: 'changePassword', summary: '修改密码 Change my password', tags,
      body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Type.String({ minLength: 8, maxLength: 128 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => {
    await write(req, (ctx) => svc.changePassword(ctx, req.body.currentPassword, req.body.newPassword));
    return reply.status(204).send();
  });

  r.get('/auth/tokens', {
    config: { verb: 'token.manage' },
    schema: { operationId: 'listApiTokens', summary: '我的 API 令牌 My API tokens', tags, response: { 200: Type.Array(Token), ...authErrors } },
  }, async (req) => svc.listTokens(ctxOf(req)));

  r.post('/auth/tokens', {
    config: { verb: 'token.manage' },
    schema: {
      operationId: 'createApiToken', summary: '创建 API 令牌（仅返回一次）Create an API token (secret shown once)', tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 60 }),
        verbs: Type.Array(Type.String({ pattern: '^[a-z][a-zA-Z]*\\.[a-z][a-zA-Z]*$' }), { minItems: 1, maxItems: 50, uniqueItems: true }),
        expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ ...Token.properties, token: Type.String() }), ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createToken(ctx, req.body))));

  r.delete('/auth/tokens/:id', {
    config: { verb: 'token.manage' },
    schema: { operationId: 'revokeApiToken', summary: '吊销 API 令牌 Revoke an API token', tags, params: Type.Object({ id: Uuid }), response: { 200: Token, ...authErrors, ...errors(404) } },
  }, async (req) => write(req, (ctx) => svc.revokeToken(ctx, req.params.id)));
}
