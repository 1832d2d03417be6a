import { generatePassword, hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import { ROLES, isRole, verbsOfRoles } from '../../kernel/auth/roles.js';
import { assertInScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { OrgKind } from '../../schema.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';

export const ORG_KINDS: Record<OrgKind, { zh: string; en: string }> = {
  supervision: { zh: '监管机构', en: 'supervision agency' },
  testing: { zh: '检测机构', en: 'testing agency' },
  enforcement: { zh: '执法机构', en: 'enforcement agency' },
  service: { zh: '第三方服务机构', en: 'third-party service agency' },
  operator: { zh: '平台运营机构', en: 'platform operator' },
  producer: { zh: '生产经营主体', en: 'producer (subject)' },
};

const ORG = ['机构', 'Organisation'] as const;
const USER = ['账号', 'Account'] as const;

export const orgDto = (r: repo.OrgRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  divisionCode: r.division_code,
  divisionName: r.division_name ?? '',
  status: r.status,
  contactName: r.contact_name,
  contactPhone: r.contact_phone,
  address: r.address,
  userCount: r.user_count,
  createdAt: r.created_at.toISOString(),
});

export const userDto = (r: repo.UserRow) => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  phone: r.phone,
  orgId: r.org_id,
  orgName: r.org_name,
  orgKind: r.org_kind,
  divisionCode: r.division_code,
  roles: r.roles,
  status: r.status,
  mustChangePassword: r.must_change_password,
  locked: !!r.locked_until && r.locked_until > new Date(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

const paging = (q: { page?: number; pageSize?: number }) => {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
};

// ── organisations ────────────────────────────────────────────────────────────
export async function getOrg(ctx: Ctx, id: string) {
  const org = await repo.orgById(ctx.db, id);
  if (!org) throw problems.notFound(...ORG);
  assertInScope(ctx.actor.scope, org.division_code, ...ORG);
  return org;
}

export async function listOrgs(ctx: Ctx, q: { within?: string; kind?: OrgKind; status?: 'active' | 'disabled'; q?: string; page?: number; pageSize?: number }) {
  const p = paging(q);
  const { rows, total } = await repo.listOrgs(ctx.db, { scope: ctx.actor.scope, ...q, ...p });
  return { items: rows.map(orgDto), total, page: p.page, pageSize: p.pageSize };
}

export interface OrgInput {
  name: string;
  kind: OrgKind;
  divisionCode: string;
  contactName?: string | null;
  contactPhone?: string | null;
  address?: string | null;
}

export async function createOrg(ctx: Ctx, input: OrgInput) {
  const name = input.name.trim();
  if (!name) throw problems.invalid('name', '不能为空', 'must not be empty');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  assertInScope(ctx.actor.scope, input.divisionCode, '行政区划', 'division');
  if (input.kind === 'operator' && !ctx.actor.roles.includes('platform_admin'))
    throw new Problem('FORBIDDEN_VERB', { verb: 'org.createOperator' });
  if (await repo.orgNameTaken(ctx.db, input.divisionCode, name)) throw problems.duplicate('同一区划下的机构名称', 'Organisation name in this division', name, 'name');
  const { id } = await repo.insertOrg(ctx.db, {
    name,
    kind: input.kind,
    division_code: input.divisionCode,
    contact_name: input.contactName ?? null,
    contact_phone: input.contactPhone ?? null,
    address: input.address ?? null,
    created_by: ctx.actor.id,
  });
  await audit(ctx, { verb: 'org.create', targetType: 'organisation', targetId: id, divisionCode: input.divisionCode, summary: { ...input, name } });
  return orgDto((await repo.orgById(ctx.db, id)) as repo.OrgRow);
}

export async function updateOrg(ctx: Ctx, id: string, patch: { name?: string; contactName?: string | null; contactPhone?: string | null; address?: string | null; status?: 'active' | 'disabled' }) {
  const before = await getOrg(ctx, id);
  if (patch.status === 'disabled' && id === ctx.actor.orgId) throw new Problem('SELF_ACTION_FORBIDDEN');
  if (patch.name !== undefined) {
    patch.name = patch.name.trim();
    if (!patch.name) throw problems.invalid('name', '不能为空', 'must not be empty');
    if (await repo.orgNameTaken(ctx.db, before.division_code, patch.name, id)) throw problems.duplicate('同一区划下的机构名称', 'Organisation name in this division', patch.name, 'name');
  }
  await repo.updateOrg(ctx.db, id, {
    name: patch.name,
    contact_name: patch.contactName,
    contact_phone: patch.contactPhone,
    address: patch.address,
    status: patch.status,
  });
  await audit(ctx, {
    verb: 'org.update',
    targetType: 'organisation',
    targetId: id,
    divisionCode: before.division_code,
    summary: { before: { name: before.name, status: before.status, contactName: before.contact_name, contactPhone: before.contact_phone }, after: patch },
  });
  return orgDto((await repo.orgById(ctx.db, id)) as repo.OrgRow);
}

// ── accounts ─────────────────────────────────────────────────────────────────
export async function getUser(ctx: Ctx, id: string) {
  const user = await repo.userById(ctx.db, id);
  if (!user) throw problems.notFound(...USER);
  assertInScope(ctx.actor.scope, user.division_code, ...USER);
  return user;
}

export async function listUsers(ctx: Ctx, q: { orgId?: string; within?: string; status?: 'active' | 'disabled'; q?: string; page?: number; pageSize?: number }) {
  const p = paging(q);
  const { rows, total } = await repo.listUsers(ctx.db, { scope: ctx.actor.scope, ...q, ...p });
  return { items: rows.map(userDto), total, page: p.page, pageSize: p.pageSize };
}

/** Roles must exist, fit the organisation's kind, and grant nothing the granting actor does not hold itself. */
function checkRoles(ctx: Ctx, roles: string[], orgKind: OrgKind, verbTable: Parameters<typeof verbsOfRoles>[1]) {
  for (const role of roles) {
    if (!isRole(role)) throw new Problem('UNKNOWN_ROLE', { role, field: 'roles' });
    if (!(ROLES[role].orgKinds as readonly string[]).includes(orgKind))
      throw new Problem('ROLE_NOT_FOR_ORG', { role, orgKindZh: ORG_KINDS[orgKind].zh, orgKindEn: ORG_KINDS[orgKind].en, field: 'roles' });
  }
  for (const verb of verbsOfRoles(roles, verbTable)) {
    if (!ctx.actor.verbs.has(verb)) throw new Problem('VERB_NOT_HELD', { verb, field: 'roles' });
  }
  if (roles.includes('platform_admin') && !ctx.actor.roles.includes('platform_admin')) throw new Problem('VERB_NOT_HELD', { verb: 'platform_admin', field: 'roles' });
}

export interface UserInput {
  username: string;
  displayName: string;
  phone?: string | null;
  orgId: string;
  roles: string[];
  password?: string;
}

export async function createUser(ctx: Ctx, input: UserInput, verbTable: Parameters<typeof verbsOfRoles>[1]) {
  const org = await getOrg(ctx, input.orgId).catch((e) => {
    if (e instanceof Problem && e.code === 'NOT_FOUND') throw problems.invalid('orgId', '所指机构不存在', 'refers to no organisation');
    throw e;
  });
  if (org.status !== 'active') throw problems.invalid('orgId', '所指机构已停用', 'refers to a disabled organisation');
  checkRoles(ctx, input.roles, org.kind, verbTable);
  if (await repo.usernameTaken(ctx.db, input.username)) throw problems.duplicate('用户名', 'Username', input.username, 'username');
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  if (!isStrongPassword(password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  const { id } = await repo.insertUser(ctx.db, {
    username: input.username,
    display_name: input.displayName.trim(),
    phone: input.phone ?? null,
    org_id: org.id,
    roles: input.roles,
    password_hash: await hashPassword(password),
    must_change_password: true,
    created_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'user.create',
    targetType: 'account',
    targetId: id,
    divisionCode: org.division_code,
    summary: { username: input.username, displayName: input.displayName, orgId: org.id, roles: input.roles },
  });
  const user = userDto((await repo.userById(ctx.db, id)) as repo.UserRow);
  return { user, initialPassword: generated ? password : undefined };
}

export async function updateUser(
  ctx: Ctx,
  id: string,
  patch: { displayName?: string; phone?: string | null; roles?: string[]; status?: 'active' | 'disabled' },
  verbTable: Parameters<typeof verbsOfRoles>[1],
) {
  const before = await getUser(ctx, id);
  if (id === ctx.actor.id && (patch.status === 'disabled' || patch.roles)) throw new Problem('SELF_ACTION_FORBIDDEN');
  if (patch.roles) checkRoles(ctx, patch.roles, before.org_kind, verbTable);
  await repo.updateUser(ctx.db, id, { display_name: patch.displayName?.trim(), phone: patch.phone, roles: patch.roles, status: patch.status });
  if (patch.status === 'disabled') await repo.deleteSessionsOf(ctx.db, id);
  await audit(ctx, {
    verb: 'user.update',
    targetType: 'account',
    targetId: id,
    divisionCode: before.division_code,
    summary: { before: { displayName: before.display_name, phone: before.phone, roles: before.roles, status: before.status }, after: patch },
  });
  return userDto((await repo.userById(ctx.db, id)) as repo.UserRow);
}

/** Sets a new temporary password (shown once), unlocks the account, ends its sessions and forces a change. */
export async function resetPassword(ctx: Ctx, id: string) {
  const user = await getUser(ctx, id);
  if (id === ctx.actor.id) throw new Problem('SELF_ACTION_FORBIDDEN');
  const password = generatePassword();
  await repo.updateUser(ctx.db, id, {
    password_hash: await hashPassword(password),
    must_change_password: true,
    failed_logins: 0,
    locked_until: null,
  });
  await repo.deleteSessionsOf(ctx.db, id);
  await audit(ctx, { verb: 'user.resetPassword', targetType: 'account', targetId: id, divisionCode: user.division_code, summary: { username: user.username } });
  return { temporaryPassword: password };
}
