import type { FastifyContextConfig, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from './db/connect.js';
import { type ReadHandle, lsnValue } from './db/replica.js';
import { SESSION_COOKIE, resolveSecret } from './auth/sessions.js';
import { type VerbTable, allowsVerb } from './auth/roles.js';
import { collected } from './collection.js';
import { type Actor, type Ctx, inTransaction } from './context.js';
import { markCommitted } from './idempotency.js';
import { Problem } from './problems.js';
import { validationProblem } from './validation.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No authentication at all (public pages, login, health). */
    public?: boolean;
    /** The permission verb the caller must hold; absent = any authenticated account. */
    verb?: string;
    /** Reachable while a password change is pending (profile, password change, logout). */
    allowPendingPassword?: boolean;
    /** Largest file part a multipart route accepts, named by its 413 (else the JSON body limit is named). */
    uploadLimitBytes?: number;
  }
  interface FastifyInstance {
    config: Config;
    database: Database;
    verbTable: VerbTable;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The primary's WAL position after this request's write committed (with a read replica only). */
    wroteLsn: string | null;
  }
}

/** The secret a request carries: `Authorization: Bearer …` (session or API token), else the session cookie. */
export function bearerOf(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  return req.cookies?.[SESSION_COOKIE];
}

/**
 * The one permission mechanism, part 1: every route is authenticated unless its config says `public`, and the
 * route's `verb` must be held. Part 2, jurisdiction, is the repo layer's `scopeFilter` / `assertInScope`.
 *
 * It runs on `onRequest`, before the body is parsed or anything is validated: an anonymous call to an authenticated
 * route is a 401 and a call without the verb a 403, whatever its body says (a 400 naming a field would tell an
 * unauthenticated caller about the route's contract). Public routes resolve the actor too, when there is one.
 */
export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  const authenticate = async (req: FastifyRequest, cfg: FastifyContextConfig, secret: string) => {
    const res = await resolveSecret(app.database.db, secret, app.verbTable, app.config.sessionCacheMs);
    if ('actor' in res) req.actor = res.actor;
    else if (!cfg.public) throw new Problem(res.error);
    allowed(req, cfg);
  };
  // Without a secret (every anonymous public lookup) the hook is synchronous: no promise per request (issue 19).
  app.addHook('onRequest', (req, _reply, done) => {
    const cfg = req.routeOptions.config ?? {};
    const secret = bearerOf(req);
    if (secret) return authenticate(req, cfg, secret) as unknown as undefined;
    allowed(req, cfg);
    done();
  });
  /** Throws unless the request may reach its route (public, or an actor holding the route's verb). */
  function allowed(req: FastifyRequest, cfg: FastifyContextConfig) {
    if (cfg.public) return;
    // Routes unknown to the router (404s) carry no config; let the not-found handler answer them.
    if (!req.routeOptions.url) return;
    const actor = req.actor;
    if (!actor) throw new Problem('UNAUTHENTICATED');
    if (actor.mustChangePassword && !cfg.allowPendingPassword) throw new Problem('PASSWORD_CHANGE_REQUIRED');
    const actingFor = !!req.headers['x-acting-for'];
    if (cfg.verb && !allowsVerb(actor.verbs, cfg.verb, app.verbTable, actingFor))
      throw new Problem('FORBIDDEN_VERB', { verb: cfg.verb });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The producer a service agency acts for (`X-Acting-For: <subject id>`), checked later by the owner module. */
function delegateOf(req: FastifyRequest): Ctx['delegate'] {
  const h = req.headers['x-acting-for'];
  if (h === undefined || h === '') return null;
  if (typeof h !== 'string' || !UUID.test(h))
    throw new Problem('VALIDATION_FAILED', {
      field: 'X-Acting-For',
      reasonZh: '须为主体编号',
      reasonEn: 'must be a subject id',
    });
  return { subjectId: h.toLowerCase(), confirmed: false };
}

/** Context for an authenticated read. */
export function ctxOf(req: FastifyRequest): Ctx {
  if (!req.actor) throw new Problem('UNAUTHENTICATED');
  return {
    db: req.server.database.db,
    actor: req.actor,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    config: req.server.config,
    delegate: delegateOf(req),
  };
}

/** Context for a public route: the actor is whoever is logged in, or null. */
export function publicCtxOf(req: FastifyRequest): Ctx<Actor | null> {
  return {
    db: req.server.database.db,
    actor: req.actor,
    ip: req.ip,
    userAgent: req.headers['user-agent'] ?? null,
    config: req.server.config,
  };
}

// ── reads a read replica may serve (DATABASE_READ_URL, kernel/db/replica.ts) ─────────────────────────────────────
/** The cookie carrying the primary's WAL position after the session's last write (read-your-writes across WORKERS). */
export const LSN_COOKIE = 'suyuan_lsn';
/** The same per account, in this process: API-token clients keep no cookies. */
const lastWrites = new Map<string, { lsn: bigint; at: number }>();

/** The position the request's reads must have seen: its cookie's, or its account's last write here, the later. */
function readAfter(req: FastifyRequest): bigint | null {
  let after = lsnValue(req.cookies?.[LSN_COOKIE]);
  const mine = req.actor ? lastWrites.get(req.actor.id) : undefined;
  if (mine && (after === null || mine.lsn > after)) after = mine.lsn;
  return after;
}

/**
 * Where this request's reads go when a read replica may serve them: the replica, unless this session wrote
 * something the replica has not replayed yet, or the replica lags beyond DATABASE_READ_MAX_LAG_MS or is down (then
 * the primary, read-only). Without a replica: the primary. Writes through the handle fail either way.
 */
export function readOf(req: FastifyRequest): ReadHandle {
  const database = req.server.database;
  return database.replica ? database.read(readAfter(req)) : database.read();
}

/**
 * Context for an authenticated read a replica may serve (reports, statistics, exports): `db` is `readOf(req)`;
 * `inTransaction` (an audit row recording the read) still writes on the primary.
 */
export function readCtxOf(req: FastifyRequest): Ctx {
  return { ...ctxOf(req), db: readOf(req).db, primary: req.server.database.db };
}

/** Context for a public read a replica may serve (the public lookups' database path). */
export function publicReadCtxOf(req: FastifyRequest): Ctx<Actor | null> {
  return { ...publicCtxOf(req), db: readOf(req).db, primary: req.server.database.db };
}

/** After a write committed (replica set): the session's reads stay on the primary until the replica has replayed it. */
async function noteWrite(req: FastifyRequest): Promise<void> {
  const replica = req.server.database.replica;
  if (!replica) return;
  const lsn = await replica.primaryLsn().catch(() => null);
  const value = lsnValue(lsn);
  if (!lsn || value === null) return;
  req.wroteLsn = lsn;
  if (!req.actor) return;
  const now = Date.now();
  lastWrites.delete(req.actor.id);
  lastWrites.set(req.actor.id, { lsn: value, at: now });
  // Oldest first: entries older than the lag bound no longer matter (the replica is used only when within it).
  const stale = now - req.server.config.readReplicaMaxLagMs * 2;
  for (const [id, w] of lastWrites) {
    if (w.at >= stale && lastWrites.size <= 100_000) break;
    lastWrites.delete(id);
  }
}

/** With a read replica: a write response hands its session the primary's position after the commit (cookie). */
export function installReadYourWrites(app: FastifyInstance): void {
  app.decorateRequest('wroteLsn', null);
  if (!app.database.replica) return;
  const maxAge = Math.ceil(app.config.readReplicaMaxLagMs / 1000) * 2 + 5;
  const secure = app.config.publicBaseUrl.startsWith('https://');
  app.addHook('onSend', async (req, reply) => {
    if (req.wroteLsn)
      void reply.setCookie(LSN_COOKIE, req.wroteLsn, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  });
}

/** An authenticated write: one transaction for the whole request, audit row included. */
export async function write<T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const result = await inTransaction(ctxOf(req), async (ctx) => {
    const result = await collected(ctx, operationOf(req), req.body, paramsOf(req), fn);
    await markCommitted(ctx.db, req, result);
    return result;
  });
  await noteWrite(req);
  return result;
}

/** A public write (registration, complaints, login). */
export async function publicWrite<T>(req: FastifyRequest, fn: (ctx: Ctx<Actor | null>) => Promise<T>): Promise<T> {
  const result = await inTransaction(publicCtxOf(req), async (ctx) => {
    const result = await collected(ctx, operationOf(req), req.body, paramsOf(req), fn);
    await markCommitted(ctx.db, req, result);
    return result;
  });
  await noteWrite(req);
  return result;
}

/** The route's operationId: how the collection hook (kernel/collection.ts) knows what a write collects. */
function operationOf(req: FastifyRequest): string | undefined {
  return (req.routeOptions.schema as { operationId?: string } | undefined)?.operationId;
}
const paramsOf = (req: FastifyRequest) => (req.params ?? {}) as Record<string, unknown>;
/** A byte count as people read a limit: `5 MB`, `512 KiB`. */
export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} KiB`;

/** Maps every error to a catalogued problem; 5xx details go to the log, never to the client. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err.validation) problem = validationProblem(err.validation, err.validationContext);
    else if (err.code === 'FST_REQ_FILE_TOO_LARGE')
      problem = new Problem('FILE_TOO_LARGE', {
        field: 'file',
        limit: sizeText(req.routeOptions.config?.uploadLimitBytes ?? app.config.bodyLimitBytes),
      });
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413)
      problem = new Problem('BODY_TOO_LARGE', {
        limit: sizeText(req.routeOptions.config?.uploadLimitBytes ?? app.config.bodyLimitBytes),
      });
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      problem = new Problem('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '') });
    else if (
      err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      (err instanceof SyntaxError && err.statusCode === 400)
    )
      problem = new Problem('MALFORMED_JSON');
    else if (err.statusCode === 429) problem = new Problem('RATE_LIMITED');
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      req.log.warn({ err }, 'unclassified client error');
      problem = new Problem('VALIDATION_FAILED', {
        field: '-',
        reasonZh: '请求不合法',
        reasonEn: 'request is invalid',
      });
      (problem as { statusCode: number }).statusCode = err.statusCode;
    } else {
      req.log.error({ err }, 'internal error');
      problem = new Problem('INTERNAL');
    }
    if (problem.statusCode >= 500 && err instanceof Problem) req.log.error({ err }, problem.code);
    void reply.status(problem.statusCode).type('application/json; charset=utf-8').send(problem.toJSON());
  });
}
