import { hashPassword } from '../../kernel/auth/crypto.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import * as repo from './repo.js';

// ── for the auth module: login bookkeeping and the caller's own password ────
/** The account a login names (case-insensitive), row-locked for the login's transaction, or undefined. */
export function accountForLogin(ctx: Ctx<Actor | null>, username: string) {
  return repo.accountForLogin(ctx.db, username);
}

/** Status and division of an account's organisation. */
export function organisationStatus(ctx: Ctx<Actor | null>, orgId: string) {
  return repo.orgStatus(ctx.db, orgId);
}

/** Failed logins in a row of one username (known or not) from one client, row-locked for the login's transaction. */
export function loginThrottle(ctx: Ctx<Actor | null>, usernameKey: string, client: string) {
  return repo.loginThrottle(ctx.db, usernameKey, client);
}

/** Records a failed login of a (username, client) pair: the running count and the back-off, if any. */
export function recordLoginFailure(
  ctx: Ctx<Actor | null>,
  usernameKey: string,
  client: string,
  failures: number,
  blockedUntil: Date | null,
) {
  return repo.setLoginThrottle(ctx.db, usernameKey, client, failures, blockedUntil);
}

/** A successful login forgets its pair's failures (and pairs idle for a day are dropped on the way). */
export function clearLoginFailures(ctx: Ctx<Actor | null>, usernameKey: string, client: string) {
  return repo.clearLoginThrottle(ctx.db, usernameKey, client, new Date(Date.now() - 86_400_000));
}

/** Records a successful login: failures forgotten, lock lifted, time of login kept. */
export function recordLogin(ctx: Ctx<Actor | null>, id: string) {
  return repo.setLoginState(ctx.db, id, { failed_logins: 0, locked_until: null, last_login_at: new Date() });
}

/** The caller's own account row (phone, last login, password hash). */
export function ownAccount(ctx: Ctx) {
  return repo.ownAccount(ctx.db, ctx.actor.id);
}

/** Sets the caller's own new password (already checked by the caller) and clears the forced change. */
export async function setOwnPassword(ctx: Ctx, password: string) {
  await repo.updateUser(ctx.db, ctx.actor.id, {
    password_hash: await hashPassword(password),
    must_change_password: false,
    password_changed_at: new Date(),
  });
}

// ── for the sso module (docs/sso.md) ─────────────────────────────────────────
/** An account and its organisation (name, division, status), or undefined. */
export function accountWithOrg(ctx: Ctx<Actor | null>, id: string) {
  return repo.accountWithOrg(ctx.db, id);
}

/** The local account linked to an upper platform's subject id, or undefined. */
export async function accountLinkedTo(ctx: Ctx<Actor | null>, subject: string) {
  const row = await repo.accountByUpperSubject(ctx.db, subject);
  return row ? repo.accountWithOrg(ctx.db, row.id) : undefined;
}

/** Links (or, with null, unlinks) an account to an upper platform's subject id; the caller audits. */
export function setUpperSubject(ctx: Ctx<Actor | null>, accountId: string, subject: string | null) {
  return repo.setUpperSubject(ctx.db, accountId, subject);
}
