import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { pageOf } from '../../../kernel/paging.js';
import { Problem, problems } from '../../../kernel/problems.js';
import * as accounts from '../../accounts/service.js';
import * as repo from '../repo.js';
import type { Staff, StaffCreateInput, StaffUpdateInput } from '../schemas.js';
import { requireOwnActiveSubject } from './read.js';

/**
 * 子账号 Sub-accounts of a producer (operators, warehouse staff, sales). Each gets a user code (用户码): the
 * subject's identity code + '-' + two digits (the main account is -00), printed on what that person records.
 */
const STAFF = ['子账号', 'Sub-account'] as const;

const dto = (a: Awaited<ReturnType<typeof repo.accountsOf>>[number]): Staff => ({
  id: a.id,
  username: a.username,
  displayName: a.display_name,
  phone: a.phone,
  roles: a.roles,
  status: a.status,
  userCode: a.user_code,
  main: a.roles.includes('producer_admin'),
  lastLoginAt: a.last_login_at?.toISOString() ?? null,
  createdAt: a.created_at.toISOString(),
});

async function staffOf(ctx: Ctx) {
  const s = await requireOwnActiveSubject(ctx);
  return { s, staff: (await repo.accountsOf(ctx.db, s.org_id)).map(dto) };
}

/** The producer's accounts, the main one included (at most 100: one page by default). */
export async function listStaff(ctx: Ctx, q: { page?: number; pageSize?: number } = {}) {
  const { staff } = await staffOf(ctx);
  const p = pageOf(q, { pageSize: 200 });
  return { items: staff.slice(p.offset, p.offset + p.limit), total: staff.length, page: p.page, pageSize: p.pageSize };
}

async function one(ctx: Ctx, id: string): Promise<Staff> {
  return (await staffOf(ctx)).staff.find((a) => a.id === id) as Staff;
}

export async function createStaff(ctx: Ctx, input: StaffCreateInput) {
  const s = await requireOwnActiveSubject(ctx);
  accounts.assertStrongPassword(input.password);
  const username = input.username.trim();
  await accounts.assertUsernameFree(ctx, username);
  // Serialise code allocation per producer by locking the subject row.
  await repo.lock(ctx.db, s.id);
  const used = (await repo.accountsOf(ctx.db, s.org_id)).map((a) => Number(a.user_code?.split('-')[1] ?? -1));
  let seq = 1;
  while (used.includes(seq)) seq++;
  if (seq > 99) throw new Problem('SUBJECT_STAFF_LIMIT', { field: 'username' });
  const userCode = `${s.identity_code}-${String(seq).padStart(2, '0')}`;
  const { id } = await accounts.insertAccount(
    ctx,
    {
      username,
      displayName: input.displayName,
      phone: input.phone ?? null,
      orgId: s.org_id,
      roles: ['producer_staff'],
      password: input.password,
      mustChangePassword: true,
      userCode,
    },
    null,
  );
  await audit(ctx, {
    verb: 'mySubject.staff',
    targetType: 'account',
    targetId: id,
    divisionCode: s.division_code,
    summary: { action: 'create', username, userCode },
  });
  return one(ctx, id);
}

export async function updateStaff(ctx: Ctx, id: string, input: StaffUpdateInput) {
  const s = await requireOwnActiveSubject(ctx);
  const acc = (await repo.accountsOf(ctx.db, s.org_id)).find((a) => a.id === id);
  if (!acc) throw problems.notFound(...STAFF);
  if (acc.roles.includes('producer_admin')) throw new Problem('SELF_ACTION_FORBIDDEN');
  if (input.password !== undefined) accounts.assertStrongPassword(input.password);
  await accounts.updateAccountDetails(ctx, id, {
    displayName: input.displayName,
    phone: input.phone,
    status: input.status,
  });
  if (input.password !== undefined) await accounts.setAccountPassword(ctx, id, input.password, { mustChange: true });
  await audit(ctx, {
    verb: 'mySubject.staff',
    targetType: 'account',
    targetId: id,
    divisionCode: s.division_code,
    summary: { action: 'update', ...input, password: input.password ? '(reset)' : undefined },
  });
  return one(ctx, id);
}
