import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './kernel/db/connect.js';
import { installAuth, installErrorHandling, installReadYourWrites } from './kernel/http.js';
import { installIdempotency } from './kernel/idempotency.js';
import { installInputGuards } from './kernel/input-guard.js';
import { installModules } from './kernel/module.js';
import { lazyCompilersFactory } from './kernel/lazy-compilers.js';
import { installOpenApi } from './kernel/openapi.js';
import {
  DOCUMENT_ONLY_HEADERS,
  installPublicRateLimit,
  installSecurityHeaders,
  sharedLimitStore,
} from './kernel/security.js';
import { installDrain } from './kernel/shutdown.js';
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
    logger: logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    bodyLimit: config.bodyLimitBytes,
    // Codes typed or pasted as URLs reach 300 characters (the public lookups validate that length themselves).
    routerOptions: { maxParamLength: 512 },
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY); else clients could forge it.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true } },
    // Validators and serialisers compile on a route's first request, not at start (src/kernel/lazy-compilers.ts).
    schemaController: { compilersFactory: lazyCompilersFactory() },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.decorate('config', config);
  app.decorate('database', database);
  // The read replica (DATABASE_READ_URL) says in this log when it stops or starts being used.
  if (database.replica) database.replica.log = app.log;
  app.decorate('verbTable', VERB_TABLE);
  app.addHook('onClose', async () => {
    await database.close();
  });

  installErrorHandling(app);
  await installSecurityHeaders(app);
  await app.register(cookie);
  installDrain(app);
  installPublicRateLimit(app, config.publicTrace.rateLimitPerMinute);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new Problem('RATE_LIMITED'),
    ...sharedLimitStore(app, config),
  });
  await installOpenApi(app, config, VERB_TABLE);
  installAuth(app);
  installReadYourWrites(app);
  installInputGuards(app);
  installIdempotency(app);

  installModules(MODULES);
  for (const m of MODULES) if (m.routes) await app.register(m.routes, { prefix: m.prefix ?? '/api/v1' });

  const hasWeb = existsSync(`${WEB_DIST}index.html`);
  if (hasWeb)
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/',
      wildcard: false,
      index: false,
      // Field app (issue 16): .br/.gz twins made at build, hashed assets cached for good, the shell and the
      // service worker always revalidated (so a new build reaches phones on their next visit).
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        const name = file.slice(WEB_DIST.length - 1).replaceAll('\\', '/');
        res.setHeader(
          'cache-control',
          name.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        if (name === '/sw.js') res.setHeader('service-worker-allowed', '/');
        else if (name.startsWith('/assets/') && /\.(js|css)(\.br|\.gz)?$/.test(name))
          // @fastify/static passes the raw ServerResponse (its type names only a subset), where helmet set them.
          for (const h of DOCUMENT_ONLY_HEADERS) (res as unknown as ServerResponse).removeHeader(h);
      },
    });
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
