import { randomUUID } from 'node:crypto';
import { hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import { revokeSessionsOf } from '../../kernel/auth/sessions.js';
import { type AuditEntry, audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { shareRecord } from '../../kernel/sharing.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { ActiveStatus, OrgKind } from '../../schema.js';
import * as repo from './repo.js';

/**
 * Accounts and organisations as other modules (and the demo data) create and change them: one creation path (one
 * username rule, one password rule, one hash), and the few changes other modules make to the accounts and
 * organisations they manage. Re-exported by `service.ts`, which callers import.
 */

// ── the one way accounts and organisations come into being ──────────────────
/**
 * Creates an account: the username must be free (compared case-insensitively), the password strong, and it is hashed
 * once, here (argon2id). Every module that opens accounts (administrators, producer registration and staff, service
 * agencies, demo data) calls this; the audit row is written here too, in the caller's words (`audit`), or not at all
 * when `audit` is null (demo data, bootstrap).
 */
export async function insertAccount(
  ctx: Ctx<Actor | null>,
  a: {
    username: string;
    displayName: string;
    phone?: string | null;
    orgId: string;
    roles: string[];
    password: string;
    mustChangePassword: boolean;
    userCode?: string | null;
    status?: ActiveStatus;
    /** A pre-computed hash (demo data hashes one password once for many accounts). */
    passwordHash?: string;
    /** Set when the holder chose the password itself (self-registration). */
    passwordChangedAt?: Date | null;
  },
  auditAs: Omit<AuditEntry, 'targetType' | 'targetId'> | null,
): Promise<{ id: string }> {
  const username = a.username.trim();
  if (await repo.usernameTaken(ctx.db, username)) throw problems.duplicate('用户名', 'Username', username, 'username');
  if (!a.passwordHash && !isStrongPassword(a.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  const { id } = await repo.insertUser(ctx.db, {
    username,
    display_name: a.displayName.trim(),
    phone: a.phone ?? null,
    org_id: a.orgId,
    roles: a.roles,
    password_hash: a.passwordHash ?? (await hashPassword(a.password)),
    must_change_password: a.mustChangePassword,
    created_by: ctx.actor?.id ?? null,
    user_code: a.userCode ?? null,
    ...(a.status ? { status: a.status } : {}),
    ...(a.passwordChangedAt ? { password_changed_at: a.passwordChangedAt } : {}),
  });
  if (auditAs) await audit(ctx, { ...auditAs, targetType: 'account', targetId: id });
  return { id };
}

/** Creates an organisation (an agency, a producer's own organisation); audited in the caller's words unless null. */
export async function insertOrganisation(
  ctx: Ctx<Actor | null>,
  o: {
    name: string;
    kind: OrgKind;
    divisionCode: string;
    status?: ActiveStatus;
    contactName?: string | null;
    contactPhone?: string | null;
    address?: string | null;
  },
  auditAs: Omit<AuditEntry, 'targetType' | 'targetId'> | null,
): Promise<{ id: string }> {
  const { id } = await repo.insertOrg(ctx.db, {
    name: o.name.trim(),
    kind: o.kind,
    division_code: o.divisionCode,
    contact_name: o.contactName ?? null,
    contact_phone: o.contactPhone ?? null,
    address: o.address ?? null,
    created_by: ctx.actor?.id ?? null,
    ...(o.status ? { status: o.status } : {}),
  });
  await shareRecord(ctx, 'organisation', id, orgRecord(id, o), o.divisionCode);
  if (auditAs) await audit(ctx, { ...auditAs, targetType: 'organisation', targetId: id });
  return { id };
}

/**
 * Many organisations at once (bulk imports, e.g. historic producers): the same normalisation as
 * `insertOrganisation`, one statement; the caller audits the import as a whole. Returns the new ids in order.
 */
export async function insertOrganisations(
  ctx: Ctx<Actor | null>,
  orgs: {
    name: string;
    kind: OrgKind;
    divisionCode: string;
    contactName?: string | null;
    contactPhone?: string | null;
    address?: string | null;
  }[],
): Promise<string[]> {
  const ids = orgs.map(() => randomUUID());
  await repo.insertOrgs(
    ctx.db,
    orgs.map((o, i) => ({
      id: ids[i],
      name: o.name.trim(),
      kind: o.kind,
      division_code: o.divisionCode,
      contact_name: o.contactName ?? null,
      contact_phone: o.contactPhone ?? null,
      address: o.address ?? null,
      created_by: ctx.actor?.id ?? null,
    })),
  );
  for (const [i, o] of orgs.entries())
    await shareRecord(ctx, 'organisation', ids[i], orgRecord(ids[i], o), o.divisionCode);
  return ids;
}

// ── changes other modules make to the accounts and organisations they manage ──
// (producer approval and cancellation, producer sub-accounts, service agency approval). Not audited here: the caller
// audits the change in its own words, in the same transaction.

/** Refuses a weak password before anything is written (insertAccount and setAccountPassword check again). */
export function assertStrongPassword(password: string, field = 'password'): void {
  if (!isStrongPassword(password)) throw new Problem('WEAK_PASSWORD', { field });
}

/** Refuses a username that is taken (compared case-insensitively) before anything is written. */
export async function assertUsernameFree(ctx: Ctx<Actor | null>, username: string): Promise<void> {
  const name = username.trim();
  if (await repo.usernameTaken(ctx.db, name)) throw problems.duplicate('用户名', 'Username', name, 'username');
}

/** Sets an account's roles (a producer's main account becomes producer_admin on approval, and back). */
export async function setAccountRoles(ctx: Ctx, accountId: string, roles: string[]): Promise<void> {
  await repo.updateUser(ctx.db, accountId, { roles });
}

/** Updates an account's details; disabling it ends its sessions. */
export async function updateAccountDetails(
  ctx: Ctx,
  accountId: string,
  patch: { displayName?: string; phone?: string | null; status?: 'active' | 'disabled'; userCode?: string | null },
): Promise<void> {
  await repo.updateUser(ctx.db, accountId, {
    display_name: patch.displayName?.trim(),
    phone: patch.phone,
    status: patch.status,
    user_code: patch.userCode,
  });
  if (patch.status === 'disabled') await revokeSessionsOf(ctx.db, accountId);
}

/** Sets a new password (strong, hashed once here) and ends the account's sessions. */
export async function setAccountPassword(
  ctx: Ctx,
  accountId: string,
  password: string,
  opts: { mustChange: boolean },
): Promise<void> {
  assertStrongPassword(password);
  await repo.updateUser(ctx.db, accountId, {
    password_hash: await hashPassword(password),
    must_change_password: opts.mustChange,
  });
  await revokeSessionsOf(ctx.db, accountId);
}

/** Updates an organisation's name, division or status (a producer's approved change, an agency's approval). */
export async function updateOrganisationDetails(
  ctx: Ctx,
  orgId: string,
  patch: { name?: string; divisionCode?: string; status?: 'active' | 'disabled' },
): Promise<void> {
  await repo.updateOrg(ctx.db, orgId, { name: patch.name, division_code: patch.divisionCode, status: patch.status });
  await shareOrganisation(ctx, orgId);
}

/** Shares an organisation as it now is with the upper platform (upward sharing, src/modules/sharing). */
export async function shareOrganisation(ctx: Ctx<Actor | null>, orgId: string): Promise<void> {
  const org = await repo.orgById(ctx.db, orgId);
  if (org)
    await shareRecord(
      ctx,
      'organisation',
      orgId,
      orgRecord(orgId, { ...org, divisionCode: org.division_code }),
      org.division_code,
    );
}

/** The shared form of an organisation. */
function orgRecord(
  id: string,
  o: { name: string; kind: string; divisionCode: string; status?: string; address?: string | null },
) {
  return {
    id,
    name: o.name.trim(),
    kind: o.kind,
    divisionCode: o.divisionCode,
    status: o.status ?? 'active',
    address: o.address ?? null,
  };
}
