import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../../kernel/auth/sessions.js';
import { bearerOf, ctxOf, publicCtxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import {
  ApiToken,
  ApiTokenInput,
  ApiTokenPage,
  CreatedApiToken,
  LoginInput,
  LoginResult,
  PasswordChange,
  Profile,
  TokenParams,
  TokenQuery,
} from './schemas.js';
import * as svc from './service.js';

export default async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['auth'];

  r.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'login',
        summary: '登录 Log in',
        tags,
        body: LoginInput,
        response: { 200: LoginResult, ...errors(400, 401, 403, 423, 429) },
      },
    },
    async (req, reply) => {
      const { expires, ...result } = await svc.login(publicCtxOf(req), req.body, app.verbTable);
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.publicBaseUrl.startsWith('https://'),
        expires,
      });
      return result;
    },
  );

  r.post(
    '/auth/logout',
    {
      config: { allowPendingPassword: true },
      schema: {
        operationId: 'logout',
        summary: '退出登录 Log out',
        tags,
        response: { 204: Type.Null({ description: 'logged out' }), ...authErrors },
      },
    },
    async (req, reply) => {
      const token = bearerOf(req);
      if (token && !req.actor?.tokenId) await write(req, (ctx) => svc.logout(ctx, token));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  r.get(
    '/auth/me',
    {
      config: { allowPendingPassword: true },
      schema: {
        operationId: 'getProfile',
        summary: '当前账号 My profile',
        tags,
        response: { 200: Profile, ...authErrors },
      },
    },
    async (req) => svc.me(ctxOf(req), app.verbTable),
  );

  r.post(
    '/auth/password',
    {
      config: { allowPendingPassword: true },
      schema: {
        operationId: 'changePassword',
        summary: '修改密码 Change my password',
        tags,
        body: PasswordChange,
        response: { 204: Type.Null({ description: 'password changed' }), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      await write(req, (ctx) => svc.changePassword(ctx, req.body, bearerOf(req)));
      return reply.status(204).send();
    },
  );

  r.get(
    '/auth/tokens',
    {
      config: { verb: 'token.manage' },
      schema: {
        operationId: 'listApiTokens',
        summary: '我的 API 令牌 My API tokens',
        tags,
        querystring: TokenQuery,
        response: { 200: ApiTokenPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listTokens(ctxOf(req), req.query),
  );

  r.post(
    '/auth/tokens',
    {
      config: { verb: 'token.manage', noReplay: true },
      schema: {
        operationId: 'createApiToken',
        summary: '创建 API 令牌（仅返回一次）Create an API token (secret shown once)',
        tags,
        body: ApiTokenInput,
        response: { 201: CreatedApiToken, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createToken(ctx, req.body))),
  );

  r.delete(
    '/auth/tokens/:id',
    {
      config: { verb: 'token.manage' },
      schema: {
        operationId: 'revokeApiToken',
        summary: '吊销 API 令牌 Revoke an API token',
        tags,
        params: TokenParams,
        response: { 200: ApiToken, ...authErrors, ...errors(404) },
      },
    },
    async (req) => write(req, (ctx) => svc.revokeToken(ctx, req.params.id)),
  );
}
