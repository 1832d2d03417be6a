import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenTable, DB, OrgKind } from '../../schema.js';
import type { Actor } from '../context.js';
import { newSecret, sm3 } from './crypto.js';
import { type VerbTable, verbsOfRoles } from './roles.js';

export const SESSION_COOKIE = 'suyuan_session';
export const API_TOKEN_PREFIX = 'syt_';

export async function createSession(
  db: Kysely<DB>,
  accountId: string,
  ttlHours: number,
  client: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = newSecret();
  const expiresAt = new Date(Date.now() + ttlHours * 3600_000);
  await db
    .insertInto('session')
    .values({
      token_hash: sm3(token),
      account_id: accountId,
      expires_at: expiresAt,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, expiresAt };
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  resolved.delete(token);
  await db.deleteFrom('session').where('token_hash', '=', sm3(token)).execute();
}

/** Ends every session of an account (password changed or reset, account disabled, role taken away). */
export async function revokeSessionsOf(db: Kysely<DB>, accountId: string, exceptToken?: string): Promise<void> {
  forgetActors({ accountId, except: exceptToken });
  let q = db.deleteFrom('session').where('account_id', '=', accountId);
  if (exceptToken) q = q.where('token_hash', '!=', sm3(exceptToken));
  await q.execute();
}

/** Revokes every API token of an account (an administrator's password reset). */
export async function revokeApiTokensOf(db: Kysely<DB>, accountId: string): Promise<void> {
  forgetActors({ accountId });
  await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Creates an API token for an account; the secret is returned once (only its SM3 hash and prefix are stored). */
export async function createApiToken(
  db: Kysely<DB>,
  t: { accountId: string; name: string; verbs: string[]; expiresAt: Date | null },
): Promise<{ row: Selectable<ApiTokenTable>; secret: string }> {
  const secret = newSecret(API_TOKEN_PREFIX);
  const row = await db
    .insertInto('api_token')
    .values({
      account_id: t.accountId,
      name: t.name,
      token_hash: sm3(secret),
      token_prefix: secret.slice(0, 10),
      verbs: t.verbs,
      expires_at: t.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}

/** Revokes an API token (idempotent: an already revoked token keeps its revocation time). */
export async function revokeApiToken(db: Kysely<DB>, id: string): Promise<void> {
  forgetActors({ tokenId: id });
  await db
    .updateTable('api_token')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

interface ActorRow {
  id: string;
  username: string;
  display_name: string;
  roles: string[];
  must_change_password: boolean;
  status: string;
  org_id: string;
  org_name: string;
  org_kind: OrgKind;
  org_status: string;
  division_code: string;
}

function actorQuery(db: Kysely<DB>) {
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select([
      'a.id',
      'a.username',
      'a.display_name',
      'a.roles',
      'a.must_change_password',
      'a.status',
      'o.id as org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.status as org_status',
      'o.division_code',
    ]);
}

function toActor(row: ActorRow, verbs: Set<string>): Actor {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgName: row.org_name,
    orgKind: row.org_kind,
    scope: row.division_code,
    roles: row.roles,
    verbs,
    mustChangePassword: row.must_change_password,
  };
}

/** The actor of an account found by username (for work run as an account outside a request, e.g. demo data). */
export async function actorByUsername(db: Kysely<DB>, username: string, table: VerbTable): Promise<Actor | undefined> {
  const row = await actorQuery(db).where('a.username', '=', username).executeTakeFirst();
  return row ? toActor(row, verbsOfRoles(row.roles, table)) : undefined;
}

export type Resolution = { actor: Actor } | { error: 'UNAUTHENTICATED' | 'SESSION_EXPIRED' | 'ACCOUNT_DISABLED' };

/**
 * Session resolution cached briefly (issue 19): a secret resolved to an actor is remembered in this process for
 * `cacheMs` (SESSION_CACHE_MS, default 5 s; never past the session's or token's expiry), so a burst of requests of
 * one signed-in user costs one lookup. Only successful resolutions are kept. In this process every revocation
 * forgets the actors it concerns at once: logout (deleteSession), a password change or reset, disabling
 * (revokeSessionsOf), revoking API tokens, and any edit of an account or an organisation (accounts repo →
 * forgetActors). Another process (WORKERS > 1) keeps its copy until the window ends: a revoked session, a disabled
 * account or a role taken away there stops working within `cacheMs` at most, as does a change racing the commit.
 */
const resolved = new Map<string, { until: number; actor: Actor }>();
/** Bound on remembered secrets; past it the map starts afresh (an eviction costs a lookup, never a stale answer). */
const MAX_REMEMBERED = 10_000;

/** Forgets cached resolutions: of an account (but the `except` secret), of an organisation's accounts, of a token. */
export function forgetActors(o: { accountId?: string; orgId?: string; tokenId?: string; except?: string } = {}): void {
  const all = o.accountId === undefined && o.orgId === undefined && o.tokenId === undefined;
  for (const [secret, e] of resolved)
    if (
      secret !== o.except &&
      (all || e.actor.id === o.accountId || e.actor.orgId === o.orgId || (o.tokenId && e.actor.tokenId === o.tokenId))
    )
      resolved.delete(secret);
}

/**
 * Resolves a bearer secret (session token or `syt_` API token) to an actor; with `cacheMs` > 0 (the request hook)
 * through the short-lived cache above.
 */
export async function resolveSecret(
  db: Kysely<DB>,
  secret: string,
  table: VerbTable,
  cacheMs = 0,
): Promise<Resolution> {
  if (cacheMs > 0) {
    const hit = resolved.get(secret);
    if (hit && hit.until > Date.now()) return { actor: hit.actor };
    const res = await lookUp(db, secret, table);
    if ('actor' in res) {
      if (resolved.size >= MAX_REMEMBERED) resolved.clear();
      const expires = res.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
      resolved.set(secret, { until: Math.min(Date.now() + cacheMs, expires), actor: res.actor });
      return { actor: res.actor };
    }
    return res;
  }
  const res = await lookUp(db, secret, table);
  return 'actor' in res ? { actor: res.actor } : res;
}

async function lookUp(
  db: Kysely<DB>,
  secret: string,
  table: VerbTable,
): Promise<{ actor: Actor; expiresAt: Date | null } | Exclude<Resolution, { actor: Actor }>> {
  const hash = sm3(secret);
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const row = await actorQuery(db)
      .innerJoin('api_token as t', 't.account_id', 'a.id')
      .select(['t.id as token_id', 't.verbs as token_verbs', 't.expires_at', 't.revoked_at', 't.last_used_at'])
      .where('t.token_hash', '=', hash)
      .executeTakeFirst();
    if (!row || row.revoked_at) return { error: 'UNAUTHENTICATED' };
    if (row.expires_at && row.expires_at < new Date()) return { error: 'SESSION_EXPIRED' };
    if (row.status !== 'active' || row.org_status !== 'active') return { error: 'ACCOUNT_DISABLED' };
    const held = verbsOfRoles(row.roles, table);
    const verbs = new Set(row.token_verbs.filter((v) => held.has(v)));
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
      await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', row.token_id).execute();
    }
    // A machine client never has a password to change.
    return {
      actor: { ...toActor(row, verbs), mustChangePassword: false, tokenId: row.token_id },
      expiresAt: row.expires_at,
    };
  }
  const row = await actorQuery(db)
    .innerJoin('session as s', 's.account_id', 'a.id')
    .select(['s.expires_at', 's.last_seen_at'])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return { error: 'UNAUTHENTICATED' };
  if (row.expires_at < new Date()) {
    await db.deleteFrom('session').where('token_hash', '=', hash).execute();
    return { error: 'SESSION_EXPIRED' };
  }
  if (row.status !== 'active' || row.org_status !== 'active') return { error: 'ACCOUNT_DISABLED' };
  if (Date.now() - row.last_seen_at.getTime() > 5 * 60_000) {
    await db.updateTable('session').set({ last_seen_at: new Date() }).where('token_hash', '=', hash).execute();
  }
  return { actor: toActor(row, verbsOfRoles(row.roles, table)), expiresAt: row.expires_at };
}
