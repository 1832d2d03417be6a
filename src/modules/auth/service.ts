import { audit } from '../../kernel/audit.js';
import { hashPassword, isStrongPassword, verifyPassword } from '../../kernel/auth/crypto.js';
import { ROLES, type VerbTable, assistedVerbsOf, isRole } from '../../kernel/auth/roles.js';
import {
  createApiToken,
  createSession,
  deleteSession,
  resolveSecret,
  revokeApiToken,
  revokeSessionsOf,
} from '../../kernel/auth/sessions.js';
import { type Actor, type Ctx, inTransaction } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as accounts from '../accounts/service.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import { afterFailure, blockedMinutes } from './throttle.js';
import type {
  ApiToken,
  ApiTokenInput,
  CreatedApiToken,
  LoginInput,
  LoginResult,
  PasswordChange,
  Profile,
  TokenQuery,
} from './schemas.js';

// A real argon2id hash, verified when the username is unknown so that timing does not reveal which usernames exist.
const DUMMY_HASH = hashPassword('dummy-password-1');

/**
 * Login. Failures are throttled per (username, client address) with back-off (`throttle.ts`), committed even though
 * the request fails; unknown and known usernames are answered alike, and each failure says how many attempts remain.
 * Returns a session token for the cookie and for `Authorization: Bearer`, with the profile of the account it opens.
 */
export async function login(
  ctx: Ctx<Actor | null>,
  input: LoginInput,
  verbs: VerbTable,
): Promise<LoginResult & { expires: Date }> {
  const { username, password } = input;
  const key = username.trim().toLowerCase();
  const client = ctx.ip ?? '';
  const outcome = await inTransaction(ctx, async (tx) => {
    const now = Date.now();
    const state = await accounts.loginThrottle(tx, key, client);
    const wait = blockedMinutes(state, now);
    if (wait > 0) return { error: new Problem('LOGIN_THROTTLED', { minutes: wait }) };
    const acc = await accounts.accountForLogin(tx, username);
    let ok = false;
    if (acc) ok = await verifyPassword(acc.password_hash, password);
    else await verifyPassword(await DUMMY_HASH, password);
    const who = acc ? { id: acc.id, username: acc.username, orgId: acc.org_id } : null;
    if (!acc || !ok) {
      const next = afterFailure(state, now, ctx.config.maxFailedLogins, ctx.config.lockMinutes);
      await accounts.recordLoginFailure(tx, key, client, next.failures, next.blockedUntil);
      await audit(tx, {
        verb: next.blockedUntil ? 'auth.throttled' : 'auth.loginFailed',
        targetType: 'account',
        targetId: acc?.id,
        summary: { username, failed: next.failures, ...(acc ? {} : { reason: 'unknown' }) },
        actor: who,
      });
      return {
        error: next.blockedUntil
          ? new Problem('LOGIN_THROTTLED', { minutes: next.blockMinutes })
          : new Problem('INVALID_CREDENTIALS', { remaining: next.remaining }),
      };
    }
    if (acc.locked_until && acc.locked_until > new Date()) {
      const minutes = Math.ceil((acc.locked_until.getTime() - Date.now()) / 60_000);
      return { error: new Problem('ACCOUNT_LOCKED', { minutes }) };
    }
    await accounts.clearLoginFailures(tx, key, client);
    const org = await accounts.organisationStatus(tx, acc.org_id);
    if (acc.status !== 'active' || org.status !== 'active') return { error: new Problem('ACCOUNT_DISABLED') };
    await accounts.recordLogin(tx, acc.id);
    const session = await createSession(tx.db, acc.id, ctx.config.sessionTtlHours, {
      ip: ctx.ip,
      userAgent: ctx.userAgent ?? null,
    });
    await audit(tx, {
      verb: 'auth.login',
      targetType: 'account',
      targetId: acc.id,
      divisionCode: org.division_code,
      actor: who,
    });
    return { session };
  });
  if ('error' in outcome) throw outcome.error;
  const { session } = outcome;
  const res = await resolveSecret(ctx.db, session.token, verbs);
  if (!('actor' in res)) throw new Error('fresh session did not resolve');
  return {
    token: session.token,
    expiresAt: session.expiresAt.toISOString(),
    expires: session.expiresAt,
    user: await me({ ...ctx, actor: res.actor }, verbs),
  };
}

export async function logout(ctx: Ctx, token: string) {
  await deleteSession(ctx.db, token);
  await audit(ctx, {
    verb: 'auth.logout',
    targetType: 'account',
    targetId: ctx.actor.id,
    divisionCode: ctx.actor.scope,
  });
}

/** The caller's profile: account, organisation, jurisdiction path, roles and verbs. */
export async function me(ctx: Ctx, table: VerbTable): Promise<Profile> {
  const a = ctx.actor;
  const row = await accounts.ownAccount(ctx);
  const division = await regions.get(ctx, a.scope);
  const kind = accounts.ORG_KIND_LABELS[a.orgKind];
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    phone: row.phone,
    orgId: a.orgId,
    orgName: a.orgName,
    orgKind: a.orgKind,
    orgKindZh: kind.zh,
    orgKindEn: kind.en,
    scope: a.scope,
    scopeName: a.scope === '' ? '全国' : division.fullName,
    roles: a.roles.map((r) => ({ code: r, zh: isRole(r) ? ROLES[r].zh : r, en: isRole(r) ? ROLES[r].en : r })),
    verbs: [...a.verbs].sort(),
    assistedVerbs: assistedVerbsOf(a.verbs, table),
    mustChangePassword: a.mustChangePassword,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    viaToken: !!a.tokenId,
    platformTier: ctx.config.platformTier,
  };
}

/** Changes the caller's own password and ends the caller's other sessions (the one in use stays). */
export async function changePassword(ctx: Ctx, input: PasswordChange, currentSecret?: string) {
  const { currentPassword: current, newPassword: next } = input;
  const acc = await accounts.ownAccount(ctx);
  if (!(await verifyPassword(acc.password_hash, current)))
    throw new Problem('WRONG_PASSWORD', { field: 'currentPassword' });
  if (!isStrongPassword(next)) throw new Problem('WEAK_PASSWORD', { field: 'newPassword' });
  if (current === next) throw new Problem('PASSWORD_REUSED', { field: 'newPassword' });
  await accounts.setOwnPassword(ctx, next);
  await revokeSessionsOf(ctx.db, ctx.actor.id, ctx.actor.tokenId ? undefined : currentSecret);
  await audit(ctx, {
    verb: 'auth.changePassword',
    targetType: 'account',
    targetId: ctx.actor.id,
    divisionCode: ctx.actor.scope,
  });
}

// ── API tokens for machine clients ───────────────────────────────────────────
type TokenRow = NonNullable<Awaited<ReturnType<typeof repo.tokenOf>>>;

const tokenDto = (t: TokenRow): ApiToken => ({
  id: t.id,
  name: t.name,
  prefix: t.token_prefix,
  verbs: t.verbs,
  createdAt: t.created_at.toISOString(),
  expiresAt: t.expires_at?.toISOString() ?? null,
  revokedAt: t.revoked_at?.toISOString() ?? null,
  lastUsedAt: t.last_used_at?.toISOString() ?? null,
});

export async function createToken(ctx: Ctx, input: ApiTokenInput): Promise<CreatedApiToken> {
  if (ctx.actor.tokenId) throw new Problem('FORBIDDEN_VERB', { verb: 'token.manage (session only)' });
  for (const verb of input.verbs)
    if (!ctx.actor.verbs.has(verb)) throw new Problem('VERB_NOT_HELD', { verb, field: 'verbs' });
  const { row, secret } = await createApiToken(ctx.db, {
    accountId: ctx.actor.id,
    name: input.name.trim(),
    verbs: input.verbs,
    expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
  });
  await audit(ctx, {
    verb: 'token.create',
    targetType: 'api_token',
    targetId: row.id,
    divisionCode: ctx.actor.scope,
    summary: { name: row.name, verbs: row.verbs },
  });
  return { ...tokenDto(row), token: secret };
}

export async function listTokens(ctx: Ctx, q: TokenQuery) {
  return mapPage(await repo.tokensOf(ctx.db, ctx.actor.id, pageOf(q, { pageSize: 200 })), tokenDto);
}

export async function revokeToken(ctx: Ctx, id: string): Promise<ApiToken> {
  const row = await repo.tokenOf(ctx.db, ctx.actor.id, id);
  if (!row) throw problems.notFound('令牌', 'Token');
  if (!row.revoked_at) {
    await revokeApiToken(ctx.db, id);
    await audit(ctx, {
      verb: 'token.revoke',
      targetType: 'api_token',
      targetId: id,
      divisionCode: ctx.actor.scope,
      summary: { name: row.name },
    });
  }
  return tokenDto({ ...row, revoked_at: row.revoked_at ?? new Date() });
}
