import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { CaptureResult, EpcisDocumentBody, EpcisQuery, EpcisQueryDocument } from './schemas.js';
import * as svc from './service.js';

export default async function epcisRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['epcis'];
  // EPCIS 2.0 clients send JSON-LD; it is JSON.
  if (!app.hasContentTypeParser('application/ld+json'))
    app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  r.post(
    '/epcis/capture',
    {
      config: { verb: 'epcis.capture' },
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        operationId: 'captureEpcis',
        summary:
          '采集 EPCIS 2.0 事件（EPCISDocument，按内容哈希幂等）Capture EPCIS 2.0 events (idempotent by content hash)',
        tags,
        body: EpcisDocumentBody,
        response: { 200: CaptureResult, ...authErrors, ...errors(400, 413) },
      },
    },
    async (req) => write(req, (ctx) => svc.captureEpcis(ctx, req.body)),
  );

  r.get(
    '/epcis/events',
    {
      config: { verb: 'epcis.read' },
      schema: {
        operationId: 'queryEpcis',
        summary: '查询 EPCIS 事件（简单事件查询，EPCISQueryDocument）Query EPCIS events (simple event query)',
        tags,
        querystring: EpcisQuery,
        response: { 200: EpcisQueryDocument, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      const { document, nextPageToken } = await svc.queryEpcis(ctxOf(req), req.query);
      if (nextPageToken) {
        const url = new URL(req.url, 'http://x');
        url.searchParams.set('nextPageToken', nextPageToken);
        reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
      }
      return document;
    },
  );
}
