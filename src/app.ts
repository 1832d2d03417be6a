import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './kernel/db/connect.js';
import { installAuth, installErrorHandling } from './kernel/http.js';
import { Problem } from './kernel/problems.js';
import { MODULES, VERB_TABLE } from './modules/index.js';

const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface BuildOptions {
  config: Config;
  database: Database;
  /** Logger: true/false, or pino options. Defaults to JSON logs at `config.logLevel`. */
  logger?: boolean | object;
}

/** Builds the HTTP application: kernel plugins, then every module's routes, then the web UI. Does not listen. */
export async function buildApp({ config, database, logger }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ?? { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'] },
    bodyLimit: config.bodyLimitBytes,
    // Codes typed or pasted as URLs reach 300 characters (the public lookups validate that length themselves).
    maxParamLength: 512,
    trustProxy: true,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('verbTable', VERB_TABLE);
  app.addHook('onClose', async () => {
    await database.close();
  });

  installErrorHandling(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false, errorResponseBuilder: () => new Problem('RATE_LIMITED') });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Suyuan 溯源 API',
        version: config.version,
        description: '农产品质量安全追溯管理信息平台 — agricultural product quality-safety traceability platform. Errors are `{statusCode, code, message (zh-CN), messageEn, field?}`.',
      },
      servers: [{ url: config.publicBaseUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'session token from `login`, or an API token (`syt_…`)' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'suyuan_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  // Document each route's permission verb and public-ness in OpenAPI.
  app.addHook('onRoute', (route) => {
    // Static assets and the API browser are public; API routes are authenticated unless they say otherwise.
    if (!route.url.startsWith('/api/')) route.config = { public: true, ...(route.config as object) };
    const cfg = (route.config ?? {}) as { public?: boolean; verb?: string };
    if (!route.schema) return;
    const schema = route.schema as Record<string, unknown>;
    if (cfg.public) schema.security = [];
    if (cfg.verb) schema.description = `${schema.description ? `${schema.description}\n\n` : ''}Permission 权限: \`${cfg.verb}\` (within the caller's jurisdiction).`;
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
  installAuth(app);

  for (const m of MODULES) await app.register(m.routes, { prefix: m.prefix ?? '/api/v1' });

  const hasWeb = existsSync(`${WEB_DIST}index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false, maxAge: '1h' });
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0];
    if (req.method === 'GET' && hasWeb && !url.startsWith('/api/') && !url.startsWith('/docs')) {
      // Single-page app: every other GET serves index.html and the client router takes over.
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const p = new Problem('ROUTE_NOT_FOUND', { method: req.method, url });
    return reply.status(404).send(p.toJSON());
  });
  return app;
}
