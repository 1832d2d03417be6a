import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.js';
import { Problem } from './problems.js';

/**
 * Idempotency-Key, one mechanism for every write (issue 16). An offline queue resends a write until it hears back;
 * a write sent with an `Idempotency-Key` header is applied once, and every retry with the same key and the same
 * request gets the first answer again (status and body, with `Idempotent-Replayed: true`). The same key with a
 * different request is a 422 IDEMPOTENCY_KEY_REUSED; a retry while the first is still running a 409
 * IDEMPOTENCY_IN_PROGRESS (retry later).
 *
 * Keys belong to the caller (account, or API token): two accounts never see each other's answers. Anonymous
 * requests (login, registration, public forms) and routes marked `config.noReplay` (answers carrying a secret)
 * ignore the header, so no secret is ever stored. 5xx answers are not kept: the retry runs again.
 *
 * States: `pending` (claimed; nothing committed) → `committed` (set by `write()` inside the write's own
 * transaction, so a commit and its mark are one) → `done` (the answer stored by onSend). A `pending` claim older
 * than two minutes belongs to a request that died before committing and may be taken over.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer carries a secret (a new token or password): never stored, the Idempotency-Key is ignored. */
    noReplay?: boolean;
  }
  interface FastifyRequest {
    idempotency: { principal: string; key: string } | null;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const STALE_PENDING_MS = 2 * 60_000;
const KEEP_DAYS = 7;
const PURGE_EVERY_MS = 60 * 60_000;

/** The request's identity for "the same request": method, URL (path and query) and body. */
export function fingerprint(method: string, url: string, body: unknown, contentLength?: string): string {
  const h = createHash('sha256');
  h.update(`${method} ${url}\n`);
  // Multipart bodies are parsed by the handler, after this hook: their length stands for them.
  h.update(body === undefined ? `len:${contentLength ?? ''}` : JSON.stringify(body));
  return h.digest('base64url');
}

export function installIdempotency(app: FastifyInstance): void {
  app.decorateRequest('idempotency', null);
  let lastPurge = 0;

  // Both hooks return at once, without a promise, on the requests they do not concern (every read, every write
  // without a key): run on every request, an async hook costs a promise and a microtask hop (issue 19).
  const claim = async (req: FastifyRequest, reply: FastifyReply) => {
    const raw = req.headers['idempotency-key'];
    if (raw === undefined) return;
    if (!req.actor || req.routeOptions.config?.noReplay) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new Problem('IDEMPOTENCY_KEY_INVALID');
    const principal = req.actor.tokenId ? `token:${req.actor.tokenId}` : `account:${req.actor.id}`;
    const fp = fingerprint(req.method, req.url, req.body, req.headers['content-length']);
    const db = app.database.db;

    if (Date.now() - lastPurge > PURGE_EVERY_MS) {
      lastPurge = Date.now();
      await db
        .deleteFrom('idempotency_key')
        .where('created_at', '<', sql<Date>`now() - make_interval(days => ${KEEP_DAYS})`)
        .execute();
    }

    const claimed = await db
      .insertInto('idempotency_key')
      .values({ principal, key, fingerprint: fp })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      req.idempotency = { principal, key };
      return;
    }
    const row = await db
      .selectFrom('idempotency_key')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw new Problem('IDEMPOTENCY_IN_PROGRESS'); // purged in between: the client retries
    if (row.fingerprint !== fp) throw new Problem('IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
    if (row.state === 'pending') {
      const taken = await db
        .updateTable('idempotency_key')
        .set({ created_at: sql<Date>`now()` })
        .where('principal', '=', principal)
        .where('key', '=', key)
        .where('state', '=', 'pending')
        .where('created_at', '<', new Date(Date.now() - STALE_PENDING_MS))
        .returning('key')
        .executeTakeFirst();
      if (!taken) throw new Problem('IDEMPOTENCY_IN_PROGRESS');
      req.idempotency = { principal, key };
      return;
    }
    reply.header('idempotent-replayed', 'true');
    reply.status(row.status_code ?? 200);
    if (row.content_type) reply.type(row.content_type);
    return reply.send(row.body ?? '');
  };
  app.addHook('preHandler', (req, reply, done) => {
    if (!WRITE_METHODS.has(req.method) || req.headers['idempotency-key'] === undefined) return done();
    return claim(req, reply) as unknown as undefined;
  });

  const record = async (
    _req: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    claim: NonNullable<FastifyRequest['idempotency']>,
  ) => {
    const db = app.database.db;
    const where = db
      .updateTable('idempotency_key')
      .where('principal', '=', claim.principal)
      .where('key', '=', claim.key);
    if (reply.statusCode >= 500) {
      // Nothing was applied unless the write committed; then its mark stays and a retry gets the committed result.
      await db
        .deleteFrom('idempotency_key')
        .where('principal', '=', claim.principal)
        .where('key', '=', claim.key)
        .where('state', '=', 'pending')
        .execute();
      return payload;
    }
    const ct = reply.getHeader('content-type');
    await where
      .set({
        state: 'done',
        status_code: reply.statusCode,
        content_type: typeof ct === 'string' ? ct : null,
        body:
          typeof payload === 'string'
            ? payload
            : Buffer.isBuffer(payload) && isText(ct)
              ? payload.toString('utf8')
              : null,
      })
      .execute();
    return payload;
  };
  app.addHook('onSend', (req, reply, payload, done) => {
    const claim = req.idempotency;
    if (!claim) return done(null, payload);
    req.idempotency = null;
    return record(req, reply, payload, claim) as unknown as undefined;
  });
}

function isText(ct: unknown): boolean {
  return typeof ct === 'string' && /^(text\/|application\/(json|problem\+json))/.test(ct);
}

/** Called by `write()` inside the write's transaction: the claim is committed with the change it produced. */
export async function markCommitted(db: Kysely<DB>, req: FastifyRequest, result: unknown): Promise<void> {
  const claim = req.idempotency;
  if (!claim) return;
  await db
    .updateTable('idempotency_key')
    .set({
      state: 'committed',
      status_code: 200,
      content_type: 'application/json; charset=utf-8',
      body: JSON.stringify(result ?? null),
    })
    .where('principal', '=', claim.principal)
    .where('key', '=', claim.key)
    .where('state', '=', 'pending')
    .execute();
}
