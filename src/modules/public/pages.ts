import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { HtmlResponse, errors } from '../../kernel/schemas.js';
import { renderNotFound, renderTrace } from './html.js';
import { closeLogOnShutdown, queryLogOf, quietPublicRoutes } from './log.js';
import { relayHops, sendCached } from './routes.js';
import { CodeParam, Geo } from './schemas.js';
import { lookupSourceOf } from './resolver.js';
import * as svc from './service.js';

/**
 * The server-rendered public pages: /t/{code} and /t?code=… (the retype form). The complaint form under
 * /t/{code}/complaint is the complaints module's (complaints/pages.ts).
 */
export default async function publicPages(app: FastifyInstance) {
  quietPublicRoutes(app);
  const lookupSource = lookupSourceOf(app);
  closeLogOnShutdown(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const rate = { max: app.config.publicTrace.rateLimitPerMinute, timeWindow: '1 minute' };
  const html = 'text/html; charset=utf-8';

  r.get(
    '/t/:code',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'publicTracePage',
        summary: '公开追溯页面（HTML，无需脚本）Public trace page (HTML, no JavaScript)',
        tags: ['public'],
        params: CodeParam,
        querystring: Geo,
        response: {
          200: HtmlResponse('the trace page: origin, certificates, recall warning'),
          304: Type.Null({ description: 'unchanged since the ETag sent in If-None-Match' }),
          404: HtmlResponse('not found: why (e.g. a check-character error), suggestions, the retype form'),
          503: HtmlResponse('the platform that issued the code did not answer in time: try again'),
          ...errors(400, 429),
        },
      },
    },
    async (req, reply) => {
      const { ctx, src } = lookupSource.of(req);
      const res = await svc.lookupPublic(ctx, req.params.code, src, relayHops(req));
      svc.record(
        queryLogOf(app),
        ctx,
        req.params.code,
        res,
        'html',
        req.actor ? (req.actor.orgKind === 'producer' ? 'producer' : 'regulator') : 'consumer',
        req.query,
      );
      if (res.httpStatus === 200 && sendCached(req, reply, res.etag, 'h')) return reply;
      if (res.httpStatus === 503) void reply.header('retry-after', '5');
      return reply
        .status(res.httpStatus)
        .type(html)
        .send(res.httpStatus === 200 ? renderTrace(res.body, res.cached) : renderNotFound(res.body));
    },
  );

  // The subject identity card's QR (issue 3: `{PUBLIC_BASE_URL}/s/{identity code}`) resolves like any code.
  r.get(
    '/s/:code',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'publicSubjectPage',
        summary: '主体身份码（转到公开主体卡片）Subject identity code → public subject card',
        tags: ['public'],
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 301: Type.Null({ description: 'redirect to /t/{code}' }) },
      },
    },
    async (req, reply) => reply.redirect(`/t/${encodeURIComponent(req.params.code)}`, 301),
  );

  r.get(
    '/t',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'publicTraceForm',
        summary: '追溯码输入（重定向）Typed code → redirect',
        tags: ['public'],
        querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 300 })) }),
        response: { 303: Type.Null({ description: 'redirect to /t/{code}' }) },
      },
    },
    async (req, reply) => {
      const code = (req.query.code ?? '').replace(/[\s-]/g, '');
      return reply.redirect(code ? `/t/${encodeURIComponent(code)}` : '/t/-', 303);
    },
  );
}
