import { sql } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { hashPassword, isStrongPassword, newSecret, sm3, verifyPassword } from '../../kernel/auth/crypto.js';
import { ROLES, isRole } from '../../kernel/auth/roles.js';
import { API_TOKEN_PREFIX, createSession, deleteSession } from '../../kernel/auth/sessions.js';
import { type Actor, type Ctx, inTransaction } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';

// A real argon2id hash, verified when the username is unknown so that timing does not reveal which usernames exist.
const DUMMY_HASH = hashPassword('dummy-password-1');

/**
 * Login. Failures are counted and committed even though the request fails; after `maxFailedLogins` in a row the
 * account locks for `lockMinutes`. Returns a session token for the cookie and for `Authorization: Bearer`.
 */
export async function login(ctx: Ctx<Actor | null>, username: string, password: string) {
  const outcome = await inTransaction(ctx, async (tx) => {
    const acc = await tx.db
      .selectFrom('account')
      .select(['id', 'username', 'org_id', 'password_hash', 'status', 'failed_logins', 'locked_until'])
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .forUpdate()
      .executeTakeFirst();
    if (!acc) {
      await verifyPassword(await DUMMY_HASH, password);
      await audit(tx, { verb: 'auth.loginFailed', targetType: 'account', summary: { username, reason: 'unknown' }, actor: null });
      return { error: new Problem('INVALID_CREDENTIALS') };
    }
    const who = { id: acc.id, username: acc.username, orgId: acc.org_id };
    if (acc.locked_until && acc.locked_until > new Date()) {
      const minutes = Math.ceil((acc.locked_until.getTime() - Date.now()) / 60_000);
      return { error: new Problem('ACCOUNT_LOCKED', { minutes }) };
    }
    if (!(await verifyPassword(acc.password_hash, password))) {
      const failed = acc.failed_logins + 1;
      const lock = failed >= ctx.config.maxFailedLogins;
      await tx.db
        .updateTable('account')
        .set({ failed_logins: lock ? 0 : failed, locked_until: lock ? new Date(Date.now() + ctx.config.lockMinutes * 60_000) : null })
        .where('id', '=', acc.id)
        .execute();
      await audit(tx, { verb: lock ? 'auth.locked' : 'auth.loginFailed', targetType: 'account', targetId: acc.id, summary: { username, failed }, actor: who });
      return { error: lock ? new Problem('ACCOUNT_LOCKED', { minutes: ctx.config.lockMinutes }) : new Problem('INVALID_CREDENTIALS') };
    }
    const org = await tx.db.selectFrom('organisation').select(['status', 'division_code']).where('id', '=', acc.org_id).executeTakeFirstOrThrow();
    if (acc.status !== 'active' || org.status !== 'active') return { error: new Problem('ACCOUNT_DISABLED') };
    await tx.db.updateTable('account').set({ failed_logins: 0, locked_until: null, last_login_at: new Date() }).where('id', '=', acc.id).execute();
    const session = await createSession(tx.db, acc.id, ctx.config.sessionTtlHours, { ip: ctx.ip, userAgent: ctx.userAgent ?? null });
    await audit(tx, { verb: 'auth.login', targetType: 'account', targetId: acc.id, divisionCode: org.division_code, actor: who });
    return { session, accountId: acc.id };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome;
}

export async function logout(ctx: Ctx, token: string) {
  await deleteSession(ctx.db, token);
  await audit(ctx, { verb: 'auth.logout', targetType: 'account', targetId: ctx.actor.id, divisionCode: ctx.actor.scope });
}

/** The caller's profile: account, organisation, jurisdiction path, roles and verbs. */
export async function me(ctx: Ctx) {
  const a = ctx.actor;
  const row = await ctx.db.selectFrom('account').select(['phone', 'last_login_at', 'password_changed_at']).where('id', '=', a.id).executeTakeFirstOrThrow();
  const division = await regions.get(ctx, a.scope);
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    phone: row.phone,
    orgId: a.orgId,
    orgName: a.orgName,
    orgKind: a.orgKind,
    scope: a.scope,
    scopeName: a.scope === '' ? '全国' : division.fullName,
    roles: a.roles.map((r) => ({ code: r, zh: isRole(r) ? ROLES[r].zh : r, en: isRole(r) ? ROLES[r].en : r })),
    verbs: [...a.verbs].sort(),
    mustChangePassword: a.mustChangePassword,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    viaToken: !!a.tokenId,
  };
}

export async function changePassword(ctx: Ctx, current: string, next: string) {
  const acc = await ctx.db.selectFrom('account').select(['password_hash']).where('id', '=', ctx.actor.id).executeTakeFirstOrThrow();
  if (!(await verifyPassword(acc.password_hash, current))) throw new Problem('WRONG_PASSWORD', { field: 'currentPassword' });
  if (!isStrongPassword(next)) throw new Problem('WEAK_PASSWORD', { field: 'newPassword' });
  if (current === next) throw new Problem('PASSWORD_REUSED', { field: 'newPassword' });
  await ctx.db
    .updateTable('account')
    .set({ password_hash: await hashPassword(next), must_change_password: false, password_changed_at: new Date(), updated_at: new Date() })
    .where('id', '=', ctx.actor.id)
    .execute();
  await audit(ctx, { verb: 'auth.changePassword', targetType: 'account', targetId: ctx.actor.id, divisionCode: ctx.actor.scope });
}

// ── API tokens for machine clients ───────────────────────────────────────────
const tokenDto = (t: { id: string; name: string; token_prefix: string; verbs: string[]; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null }) => ({
  id: t.id,
  name: t.name,
  prefix: t.token_prefix,
  verbs: t.verbs,
  createdAt: t.created_at.toISOString(),
  expiresAt: t.expires_at?.toISOString() ?? null,
  revokedAt: t.revoked_at?.toISOString() ?? null,
  lastUsedAt: t.last_used_at?.toISOString() ?? null,
});

export async function createToken(ctx: Ctx, input: { name: string; verbs: string[]; expiresInDays?: number }) {
  if (ctx.actor.tokenId) throw new Problem('FORBIDDEN_VERB', { verb: 'token.manage (session only)' });
  for (const verb of input.verbs) if (!ctx.actor.verbs.has(verb)) throw new Problem('VERB_NOT_HELD', { verb, field: 'verbs' });
  const secret = newSecret(API_TOKEN_PREFIX);
  const row = await ctx.db
    .insertInto('api_token')
    .values({
      account_id: ctx.actor.id,
      name: input.name.trim(),
      token_hash: sm3(secret),
      token_prefix: secret.slice(0, 10),
      verbs: input.verbs,
      expires_at: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, { verb: 'token.create', targetType: 'api_token', targetId: row.id, divisionCode: ctx.actor.scope, summary: { name: row.name, verbs: row.verbs } });
  return { ...tokenDto(row), token: secret };
}

export async function listTokens(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('api_token').selectAll().where('account_id', '=', ctx.actor.id).orderBy('created_at', 'desc').execute();
  return rows.map(tokenDto);
}

export async function revokeToken(ctx: Ctx, id: string) {
  const row = await ctx.db.selectFrom('api_token').selectAll().where('id', '=', id).where('account_id', '=', ctx.actor.id).executeTakeFirst();
  if (!row) throw problems.notFound('令牌', 'Token');
  if (!row.revoked_at) {
    await ctx.db.updateTable('api_token').set({ revoked_at: new Date() }).where('id', '=', id).execute();
    await audit(ctx, { verb: 'token.revoke', targetType: 'api_token', targetId: id, divisionCode: ctx.actor.scope, summary: { name: row.name } });
  }
  return tokenDto({ ...row, revoked_at: row.revoked_at ?? new Date() });
}
