import { generatePassword, hashPassword } from '../../kernel/auth/crypto.js';
import {
  ROLES,
  ROLE_CODES,
  type VerbTable,
  isRole,
  producerSide,
  rolesOfVerb,
  verbsOfRoles,
} from '../../kernel/auth/roles.js';
import { assertInScope } from '../../kernel/auth/scope.js';
import { revokeApiTokensOf, revokeSessionsOf } from '../../kernel/auth/sessions.js';
import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { OrgKind } from '../../schema.js';
import * as regions from '../regions/service.js';
import { insertAccount, insertOrganisation, shareOrganisation } from './provision.js';
import * as repo from './repo.js';
import {
  ORG_KIND_LABELS,
  type OrgInput,
  type OrgPatch,
  type OrgQuery,
  type Organisation,
  type RoleInfo,
  type VerbInfo,
  type RoleQuery,
  type User,
  type UserInput,
  type UserPatch,
  type UserQuery,
} from './schemas.js';
import { type OrgWho, type UserWho, orgWorkflow, statusAction, userWorkflow } from './states.js';

export { ORG_KIND_LABELS };

const ORG = ['机构', 'Organisation'] as const;
const USER = ['账号', 'Account'] as const;
const selfForbidden = () => new Problem('SELF_ACTION_FORBIDDEN');

/** What the actor is to an organisation in its workflow: a manager of any organisation but its own. */
function orgWho(actor: Actor, orgId: string): OrgWho[] {
  return actor.verbs.has('org.update') && orgId !== actor.orgId ? ['manager'] : [];
}

/** What the actor is to an account in its workflow; nobody manages or resets their own account here. */
function userWho(actor: Actor, userId: string): UserWho[] {
  if (userId === actor.id) return [];
  const who: UserWho[] = [];
  if (actor.verbs.has('user.update')) who.push('manager');
  if (actor.verbs.has('user.resetPassword')) who.push('resetter');
  return who;
}

export const orgDto = (actor: Actor, r: repo.OrgRow): Organisation => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  kindZh: ORG_KIND_LABELS[r.kind].zh,
  kindEn: ORG_KIND_LABELS[r.kind].en,
  divisionCode: r.division_code,
  divisionName: r.division_name ?? '',
  status: r.status,
  statusZh: orgWorkflow.stateLabel(r.status).zh,
  statusEn: orgWorkflow.stateLabel(r.status).en,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  address: r.address,
  userCount: Number(r.user_count),
  createdAt: r.created_at.toISOString(),
  allowedActions: orgWorkflow.allowedActions(r.status, orgWho(actor, r.id)),
});

export const userDto = (actor: Actor, r: repo.UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  phone: r.phone,
  orgId: r.org_id,
  orgName: r.org_name,
  orgKind: r.org_kind,
  orgKindZh: ORG_KIND_LABELS[r.org_kind].zh,
  orgKindEn: ORG_KIND_LABELS[r.org_kind].en,
  divisionCode: r.division_code,
  roles: r.roles,
  status: r.status,
  statusZh: userWorkflow.stateLabel(r.status).zh,
  statusEn: userWorkflow.stateLabel(r.status).en,
  mustChangePassword: r.must_change_password,
  locked: !!r.locked_until && r.locked_until > new Date(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  allowedActions: userWorkflow.allowedActions(r.status, userWho(actor, r.id)),
});

// ── roles ────────────────────────────────────────────────────────────────────
/** Whether the actor may grant a role (for the web's role picker): it holds every verb of the role itself. */
export function canGrant(actor: Actor, role: string, verbTable: VerbTable): boolean {
  if (role === 'platform_admin' && !actor.roles.includes('platform_admin')) return false;
  for (const verb of verbsOfRoles([role], verbTable)) if (!actor.verbs.has(verb)) return false;
  return true;
}

/** Every role with the organisation kinds that may hold it, the verbs it grants, and whether the caller may grant it. */
export function listRoles(ctx: Ctx, verbs: VerbTable, q: RoleQuery) {
  const p = pageOf(q, { pageSize: 200 });
  const all: RoleInfo[] = ROLE_CODES.map((code) => ({
    code,
    zh: ROLES[code].zh,
    en: ROLES[code].en,
    orgKinds: [...ROLES[code].orgKinds],
    verbs: Object.keys(verbs).filter((v) => code === 'platform_admin' || rolesOfVerb(v, verbs).includes(code)),
    grantable: canGrant(ctx.actor, code, verbs),
  }));
  return { items: all.slice(p.offset, p.offset + p.limit), total: all.length, page: p.page, pageSize: p.pageSize };
}

/** The caller's verbs with their zh/en names, in the verb table's order. */
export function listVerbs(ctx: Ctx, verbs: VerbTable): VerbInfo[] {
  return Object.entries(verbs)
    .filter(([code]) => ctx.actor.verbs.has(code))
    .map(([code, def]) => ({ code, zh: def.zh, en: def.en }));
}

// ── organisations ────────────────────────────────────────────────────────────
export async function getOrg(ctx: Ctx, id: string) {
  const org = await repo.orgById(ctx.db, id);
  if (!org) throw problems.notFound(...ORG);
  assertInScope(ctx.actor.scope, org.division_code, ...ORG);
  return org;
}

export async function getOrgDto(ctx: Ctx, id: string): Promise<Organisation> {
  return orgDto(ctx.actor, await getOrg(ctx, id));
}

export async function listOrgs(ctx: Ctx, q: OrgQuery) {
  const page = await repo.listOrgs(ctx.db, { scope: ctx.actor.scope, ...q }, pageOf(q));
  return mapPage(page, (r) => orgDto(ctx.actor, r));
}

export async function createOrg(ctx: Ctx, input: OrgInput): Promise<Organisation> {
  const name = input.name.trim();
  if (!name) throw problems.invalid('name', '不能为空', 'must not be empty');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  assertInScope(ctx.actor.scope, input.divisionCode, '行政区划', 'division');
  if (input.kind === 'operator' && !ctx.actor.roles.includes('platform_admin'))
    throw new Problem('FORBIDDEN_VERB', { verb: 'org.createOperator' });
  if (await repo.orgNameTaken(ctx.db, input.divisionCode, name))
    throw problems.duplicate('同一区划下的机构名称', 'Organisation name in this division', name, 'name');
  const { id } = await insertOrganisation(
    ctx,
    { ...input, name },
    { verb: 'org.create', divisionCode: input.divisionCode, summary: { ...input, name } },
  );
  return orgDto(ctx.actor, (await repo.orgById(ctx.db, id)) as repo.OrgRow);
}

export async function updateOrg(ctx: Ctx, id: string, patch: OrgPatch): Promise<Organisation> {
  const before = await getOrg(ctx, id);
  const action = statusAction(before.status, patch.status);
  if (action) orgWorkflow.transition(before.status, action, orgWho(ctx.actor, id), selfForbidden);
  if (patch.name !== undefined) {
    patch.name = patch.name.trim();
    if (!patch.name) throw problems.invalid('name', '不能为空', 'must not be empty');
    if (await repo.orgNameTaken(ctx.db, before.division_code, patch.name, id))
      throw problems.duplicate('同一区划下的机构名称', 'Organisation name in this division', patch.name, 'name');
  }
  await repo.updateOrg(ctx.db, id, {
    name: patch.name,
    contact_name: patch.contactName,
    contact_phone: patch.contactPhone,
    address: patch.address,
    status: patch.status,
  });
  await shareOrganisation(ctx, id);
  await audit(ctx, {
    verb: 'org.update',
    targetType: 'organisation',
    targetId: id,
    divisionCode: before.division_code,
    summary: {
      before: {
        name: before.name,
        status: before.status,
        contactName: before.contact_name,
        contactPhone: before.contact_phone,
      },
      after: patch,
    },
  });
  return orgDto(ctx.actor, (await repo.orgById(ctx.db, id)) as repo.OrgRow);
}

// ── accounts ─────────────────────────────────────────────────────────────────
export async function getUser(ctx: Ctx, id: string) {
  const user = await repo.userById(ctx.db, id);
  if (!user) throw problems.notFound(...USER);
  assertInScope(ctx.actor.scope, user.division_code, ...USER);
  return user;
}

export async function getUserDto(ctx: Ctx, id: string): Promise<User> {
  return userDto(ctx.actor, await getUser(ctx, id));
}

export async function listUsers(ctx: Ctx, q: UserQuery) {
  const page = await repo.listUsers(ctx.db, { scope: ctx.actor.scope, ...q }, pageOf(q));
  return mapPage(page, (r) => userDto(ctx.actor, r));
}

/** Roles must exist, fit the organisation's kind, and grant nothing the granting actor does not hold itself. */
function checkRoles(ctx: Ctx, roles: string[], orgKind: OrgKind, verbTable: VerbTable) {
  for (const role of roles) {
    if (!isRole(role)) throw new Problem('UNKNOWN_ROLE', { role, field: 'roles' });
    if (!(ROLES[role].orgKinds as readonly string[]).includes(orgKind))
      throw new Problem('ROLE_NOT_FOR_ORG', {
        role,
        orgKindZh: ORG_KIND_LABELS[orgKind].zh,
        orgKindEn: ORG_KIND_LABELS[orgKind].en,
        field: 'roles',
      });
  }
  for (const verb of verbsOfRoles(roles, verbTable)) {
    // Agency staff use producer verbs only within each producer's authorisation (代录): not the granter's to hold.
    if (orgKind === 'service' && producerSide(verbTable[verb])) continue;
    if (!ctx.actor.verbs.has(verb)) throw new Problem('VERB_NOT_HELD', { verb, field: 'roles' });
  }
  if (roles.includes('platform_admin') && !ctx.actor.roles.includes('platform_admin'))
    throw new Problem('VERB_NOT_HELD', { verb: 'platform_admin', field: 'roles' });
}

export async function createUser(ctx: Ctx, input: UserInput, verbTable: VerbTable) {
  const org = await getOrg(ctx, input.orgId).catch((e) => {
    if (e instanceof Problem && e.code === 'NOT_FOUND')
      throw problems.invalid('orgId', '所指机构不存在', 'refers to no organisation');
    throw e;
  });
  if (org.status !== 'active') throw problems.invalid('orgId', '所指机构已停用', 'refers to a disabled organisation');
  checkRoles(ctx, input.roles, org.kind, verbTable);
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  const { id } = await insertAccount(
    ctx,
    {
      username: input.username,
      displayName: input.displayName,
      phone: input.phone,
      orgId: org.id,
      roles: input.roles,
      password,
      mustChangePassword: true,
    },
    {
      verb: 'user.create',
      divisionCode: org.division_code,
      summary: { username: input.username, displayName: input.displayName, orgId: org.id, roles: input.roles },
    },
  );
  const user = userDto(ctx.actor, (await repo.userById(ctx.db, id)) as repo.UserRow);
  return { user, initialPassword: generated ? password : undefined };
}

export async function updateUser(ctx: Ctx, id: string, patch: UserPatch, verbTable: VerbTable): Promise<User> {
  const before = await getUser(ctx, id);
  if (id === ctx.actor.id && patch.roles) throw selfForbidden();
  const action = statusAction(before.status, patch.status);
  if (action) userWorkflow.transition(before.status, action, userWho(ctx.actor, id), selfForbidden);
  if (patch.roles) checkRoles(ctx, patch.roles, before.org_kind, verbTable);
  await repo.updateUser(ctx.db, id, {
    display_name: patch.displayName?.trim(),
    phone: patch.phone,
    roles: patch.roles,
    status: patch.status,
  });
  if (patch.status === 'disabled') await revokeSessionsOf(ctx.db, id);
  await audit(ctx, {
    verb: 'user.update',
    targetType: 'account',
    targetId: id,
    divisionCode: before.division_code,
    summary: {
      before: { displayName: before.display_name, phone: before.phone, roles: before.roles, status: before.status },
      after: patch,
    },
  });
  return userDto(ctx.actor, (await repo.userById(ctx.db, id)) as repo.UserRow);
}

/** Sets a new temporary password (shown once), unlocks the account, ends its sessions, revokes its API tokens and forces a change. */
export async function resetPassword(ctx: Ctx, id: string) {
  const user = await getUser(ctx, id);
  userWorkflow.transition(user.status, 'resetPassword', userWho(ctx.actor, id), selfForbidden);
  const password = generatePassword();
  await repo.updateUser(ctx.db, id, {
    password_hash: await hashPassword(password),
    must_change_password: true,
    failed_logins: 0,
    locked_until: null,
  });
  await revokeSessionsOf(ctx.db, id);
  await revokeApiTokensOf(ctx.db, id);
  await audit(ctx, {
    verb: 'user.resetPassword',
    targetType: 'account',
    targetId: id,
    divisionCode: user.division_code,
    summary: { username: user.username },
  });
  return { temporaryPassword: password };
}

export * from './login.js';
export * from './provision.js';
