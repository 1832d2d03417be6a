import { audit } from '../../kernel/audit.js';
import { hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import * as repo from './repo.js';
import { requireOwnActiveSubject } from './service.js';

/**
 * 子账号 Sub-accounts of a producer (operators, warehouse staff, sales). Each gets a user code (用户码): the
 * subject's identity code + '-' + two digits (the main account is -00), printed on what that person records.
 */
const STAFF = ['子账号', 'Sub-account'] as const;

const dto = (a: Awaited<ReturnType<typeof repo.accountsOf>>[number]) => ({
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

export async function list(ctx: Ctx) {
  const s = await requireOwnActiveSubject(ctx);
  return (await repo.accountsOf(ctx.db, s.org_id)).map(dto);
}

export async function create(ctx: Ctx, input: { username: string; displayName: string; phone?: string | null; password: string }) {
  const s = await requireOwnActiveSubject(ctx);
  if (!isStrongPassword(input.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
  const username = input.username.trim();
  const taken = await ctx.db.selectFrom('account').select('id').where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase())).executeTakeFirst();
  if (taken) throw problems.duplicate('用户名', 'Username', username, 'username');
  // Serialise code allocation per producer by locking the subject row.
  await ctx.db.selectFrom('subject').select('id').where('id', '=', s.id).forUpdate().execute();
  const used = (await repo.accountsOf(ctx.db, s.org_id)).map((a) => Number(a.user_code?.split('-')[1] ?? -1));
  let seq = 1;
  while (used.includes(seq)) seq++;
  if (seq > 99) throw new Problem('SUBJECT_STAFF_LIMIT', { field: 'username' });
  const userCode = `${s.identity_code}-${String(seq).padStart(2, '0')}`;
  const row = await ctx.db
    .insertInto('account')
    .values({ username, display_name: input.displayName.trim(), phone: input.phone ?? null, org_id: s.org_id, roles: ['producer_staff'], password_hash: await hashPassword(input.password), must_change_password: true, created_by: ctx.actor.id, user_code: userCode })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { verb: 'mySubject.staff', targetType: 'account', targetId: row.id, divisionCode: s.division_code, summary: { action: 'create', username, userCode } });
  return (await list(ctx)).find((a) => a.id === row.id) as ReturnType<typeof dto>;
}

export async function update(ctx: Ctx, id: string, input: { displayName?: string; phone?: string | null; status?: 'active' | 'disabled'; password?: string }) {
  const s = await requireOwnActiveSubject(ctx);
  const acc = (await repo.accountsOf(ctx.db, s.org_id)).find((a) => a.id === id);
  if (!acc) throw problems.notFound(...STAFF);
  if (acc.roles.includes('producer_admin')) throw new Problem('SELF_ACTION_FORBIDDEN');
  const patch: Record<string, unknown> = { updated_at: new Date() };
  if (input.displayName !== undefined) patch.display_name = input.displayName.trim();
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.status !== undefined) patch.status = input.status;
  if (input.password !== undefined) {
    if (!isStrongPassword(input.password)) throw new Problem('WEAK_PASSWORD', { field: 'password' });
    patch.password_hash = await hashPassword(input.password);
    patch.must_change_password = true;
  }
  await ctx.db.updateTable('account').set(patch).where('id', '=', id).execute();
  if (input.status === 'disabled' || input.password !== undefined) await ctx.db.deleteFrom('session').where('account_id', '=', id).execute();
  await audit(ctx, { verb: 'mySubject.staff', targetType: 'account', targetId: id, divisionCode: s.division_code, summary: { action: 'update', ...input, password: input.password ? '(reset)' : undefined } });
  return (await list(ctx)).find((a) => a.id === id) as ReturnType<typeof dto>;
}
