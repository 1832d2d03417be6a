import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE } from '../../kernel/auth/sessions.js';
import { bearerOf, ctxOf, publicCtxOf } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { Portal, SignOutAnswer, SsoStatus, StartQuery } from './schemas.js';
import * as svc from './service.js';

const STATE_COOKIE = 'suyuan_sso_state';
/** Marks a session opened through the upper platform (its logout also ends the upper session). */
const VIA_COOKIE = 'suyuan_sso';

function problemPage(reply: FastifyReply, p: Problem) {
  return reply
    .status(p.statusCode)
    .type('text/html; charset=utf-8')
    .send(
      svc.page(
        '无法登录',
        'Cannot sign in',
        `<p>${svc.escapeHtml(p.message)}</p><p>${svc.escapeHtml(p.messageEn)}</p><p><a href="/login">返回登录页 Back to sign-in</a></p>`,
      ),
    );
}

export default async function ssoRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sso'];
  const secure = app.config.publicBaseUrl.startsWith('https://');
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };

  // ── OpenID provider (every platform; its clients are the approved lower platforms) ──
  await app.register(async (oidcApp) => {
    // The provider parses its own bodies (form posts to /token and /session/end/confirm): hand it the raw stream.
    oidcApp.removeAllContentTypeParsers();
    oidcApp.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

    /** The login/consent interaction, answered from the platform's own session (a signed-in user is not asked). */
    oidcApp.get(
      `${svc.OIDC_MOUNT}/interaction/:uid`,
      { config: { public: true }, schema: { hide: true } },
      async (req, reply) => {
        const outcome = await svc.interaction(app, req, reply);
        if (outcome === 'login') return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
        if (outcome instanceof Problem) return problemPage(reply, outcome);
        return reply; // hijacked: the provider answered
      },
    );
    const handOver = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      await svc.handOver(app, req.raw, reply.raw);
    };
    for (const url of [svc.OIDC_MOUNT, `${svc.OIDC_MOUNT}/*`])
      oidcApp.route({
        method: ['GET', 'POST'],
        url,
        // The token endpoint is called by lower platforms' servers: one address for all their users' sign-ins.
        config: { public: true, rateLimit: { max: 3000, timeWindow: '1 minute' } },
        schema: { hide: true },
        handler: handOver,
      });
  });

  // ── relying party (lower platforms) ──
  r.get(
    '/api/v1/sso/status',
    {
      config: { public: true },
      schema: {
        operationId: 'getSsoStatus',
        summary: '能否通过上级平台登录 Whether sign-in with the upper platform is offered',
        tags,
        response: { 200: SsoStatus },
      },
    },
    async (req) => svc.ssoStatus(publicCtxOf(req)),
  );

  r.get(
    '/api/v1/sso/login',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'startSsoLogin',
        summary:
          '通过上级平台登录（浏览器跳转；link=1 为当前账号关联上级账号）Sign in with the upper platform (browser redirect; link=1 links the signed-in account)',
        tags,
        querystring: StartQuery,
      },
    },
    async (req, reply) => {
      const ctx = publicCtxOf(req);
      const link = req.query.link === '1';
      if (link && !ctx.actor) return problemPage(reply, new Problem('UNAUTHENTICATED'));
      try {
        const { url, state } = await svc.startSignIn(ctx, req.query.next, link ? (ctx.actor?.id ?? null) : null);
        reply.setCookie(STATE_COOKIE, state, { ...cookieOpts, maxAge: 600 });
        return reply.redirect(url);
      } catch (err) {
        if (err instanceof Problem) return problemPage(reply, err);
        throw err;
      }
    },
  );

  r.get(
    '/api/v1/sso/callback',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'finishSsoLogin',
        summary: '上级平台登录回调 Callback from the upper platform',
        tags,
        querystring: Type.Object({}, { additionalProperties: Type.String() }),
      },
    },
    async (req, reply) => {
      reply.clearCookie(STATE_COOKIE, { path: '/' });
      try {
        const url = new URL(req.url, app.config.publicBaseUrl);
        const out = await svc.finishSignIn(publicCtxOf(req), url, req.cookies[STATE_COOKIE]);
        if ('refused' in out) return problemPage(reply, out.refused as Problem);
        if ('session' in out && out.session) {
          reply.setCookie(SESSION_COOKIE, out.session.token, { ...cookieOpts, expires: out.session.expiresAt });
          reply.setCookie(VIA_COOKIE, '1', { ...cookieOpts, expires: out.session.expiresAt });
        }
        return reply.redirect(out.returnTo);
      } catch (err) {
        if (err instanceof Problem) return problemPage(reply, err);
        throw err;
      }
    },
  );

  r.post(
    '/api/v1/sso/logout',
    {
      config: { allowPendingPassword: true },
      schema: {
        operationId: 'ssoLogout',
        summary:
          '退出登录；经上级平台登录的会话同时退出上级平台（返回跳转地址）Log out; a session opened through the upper platform also ends the upper one (answers where to go)',
        tags,
        response: { 200: SignOutAnswer, ...authErrors },
      },
    },
    async (req, reply) => {
      const out = await svc.signOut(ctxOf(req), bearerOf(req), req.cookies[VIA_COOKIE] === '1');
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(VIA_COOKIE, { path: '/' });
      return out;
    },
  );

  // ── portal (upper platforms) ──
  r.get(
    '/api/v1/sso/portal',
    {
      schema: {
        operationId: 'getPortal',
        summary: '下级平台入口与运行状况 Entry points of the connected lower platforms, with their health',
        tags,
        response: { 200: Portal, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.portal(ctxOf(req)),
  );
}
