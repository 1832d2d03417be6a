import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';

/**
 * Security headers on every response (MLPS level 3 expectations), via @fastify/helmet: a Content-Security-Policy
 * without inline script for the web UI, the server-rendered public pages and the API docs; `nosniff`;
 * `frame-ancestors 'none'`; a strict referrer policy. Inline styles stay allowed (Ant Design's CSS-in-JS and the
 * public pages' style attributes); scripts only from this origin. A same-origin service worker and web manifest are
 * allowed (`worker-src`, `manifest-src`).
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/**
 * The policy for stored files served back (uploads): nothing in them may run or load anything, even if a browser
 * renders them (`sandbox` gives them an opaque origin).
 */
/**
 * Headers that govern a document (a page, a frame, a worker) and do nothing on a script or style sheet a page loads:
 * dropped from the hashed web assets (/assets/*.js, *.css), where they cost ≈ 0.9 KB per response on every first visit
 * over weak signal (issue 16: the login page loads about 25 of them). nosniff, cross-origin-resource-policy and
 * referrer-policy stay; the service worker script (/sw.js) is not an asset and keeps its CSP.
 */
export const DOCUMENT_ONLY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
] as const;

export const STORED_FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

const HELMET_OPTIONS = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  // Cross-origin isolation headers would break opening stored PDFs and images in a new tab; not needed here.
  crossOriginEmbedderPolicy: false,
  crossOriginResourcePolicy: { policy: 'same-origin' as const },
  referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
  frameguard: { action: 'deny' as const },
  hsts: false, // set by the TLS-terminating proxy, which knows whether HTTPS is in use
};

/**
 * The headers @fastify/helmet sets with HELMET_OPTIONS, read once from a throw-away instance: they are the same for
 * every request (no nonces), while the plugin rebuilds helmet from its options and re-parses the policy on every
 * request (issue 19: about 6 % of a public lookup's CPU).
 */
export async function securityHeaders(): Promise<[string, string][]> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, HELMET_OPTIONS);
  probe.get('/', async () => '');
  const res = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  const own = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive']);
  return Object.entries(res.headers).flatMap(([k, v]) => (own.has(k) || v === undefined ? [] : [[k, String(v)]]));
}

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  const headers = await securityHeaders();
  // On the raw response, as helmet does (routes and @fastify/static may replace or remove them there).
  app.addHook('onRequest', (_req, reply, done) => {
    for (const [k, v] of headers) reply.raw.setHeader(k, v);
    done();
  });
}

/**
 * Every public route is rate-limited per client address: routes marked `public` without a limit of their own get
 * `perMinute` (PUBLIC_RATE_LIMIT). Must be installed before @fastify/rate-limit, which reads the route's config.
 */
export function installPublicRateLimit(app: FastifyInstance, perMinute: number): void {
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { public?: boolean; rateLimit?: unknown };
    if (config.public && config.rateLimit === undefined)
      route.config = { ...config, rateLimit: { max: perMinute, timeWindow: '1 minute' } } as typeof route.config;
  });
}

/**
 * Where per-client rate-limit counters live: with REDIS_URL, in Redis, so every app process (WORKERS) and every
 * host counts the same client once; else in this process's memory. If Redis stops answering, requests are served
 * without the limit (logged) rather than refused: the public lookup must not go down with a cache.
 */
export function sharedLimitStore(app: FastifyInstance, config: { redisUrl?: string }) {
  if (!config.redisUrl) return {};
  // ioredis loads only when configured (0.4 s of every start otherwise).
  const { Redis } = createRequire(import.meta.url)('ioredis') as { Redis: typeof RedisClient };
  const redis = new Redis(config.redisUrl, {
    connectTimeout: 500,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis unavailable: rate limits not shared'));
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return { redis, nameSpace: 'suyuan:rl:', skipOnError: true };
}
