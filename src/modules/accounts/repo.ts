import { type Kysely, type Selectable, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { AccountTable, DB, OrganisationTable, OrgKind } from '../../schema.js';

export type OrgRow = Selectable<OrganisationTable> & { division_name: string | null; user_count: number };

function orgQuery(db: Kysely<DB>) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('division as d', 'd.code', 'o.division_code')
    .selectAll('o')
    .select('d.name as division_name')
    .select((eb) => eb.selectFrom('account as a').whereRef('a.org_id', '=', 'o.id').select(eb.fn.countAll<number>().as('n')).as('user_count'));
}

export function orgById(db: Kysely<DB>, id: string): Promise<OrgRow | undefined> {
  return orgQuery(db).where('o.id', '=', id).executeTakeFirst() as Promise<OrgRow | undefined>;
}

export interface OrgFilter {
  scope: string;
  within?: string;
  kind?: OrgKind;
  status?: 'active' | 'disabled';
  q?: string;
  limit: number;
  offset: number;
}

function orgWhere(db: Kysely<DB>, f: OrgFilter) {
  let q = orgQuery(db).where((eb) => scopeFilter(eb, 'o.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'o.division_code', f.within as string));
  // Producers are organisations too, but they are managed as subjects (/subjects), not listed among agencies.
  q = f.kind ? q.where('o.kind', '=', f.kind) : q.where('o.kind', '<>', 'producer');
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.q) q = q.where('o.name', 'like', `%${f.q}%`);
  return q;
}

export async function listOrgs(db: Kysely<DB>, f: OrgFilter): Promise<{ rows: OrgRow[]; total: number }> {
  const rows = (await orgWhere(db, f).orderBy('o.division_code').orderBy('o.name').limit(f.limit).offset(f.offset).execute()) as OrgRow[];
  const total = await db
    .selectFrom(orgWhere(db, f).as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: total.n };
}

export async function orgNameTaken(db: Kysely<DB>, divisionCode: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('organisation').select('id').where('division_code', '=', divisionCode).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertOrg(db: Kysely<DB>, values: Omit<Selectable<OrganisationTable>, 'id' | 'created_at' | 'updated_at' | 'status'>) {
  return db.insertInto('organisation').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateOrg(db: Kysely<DB>, id: string, patch: Partial<Pick<Selectable<OrganisationTable>, 'name' | 'contact_name' | 'contact_phone' | 'address' | 'status'>>) {
  await db.updateTable('organisation').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
}

export type UserRow = Omit<Selectable<AccountTable>, 'password_hash'> & { org_name: string; org_kind: OrgKind; division_code: string };

function userQuery(db: Kysely<DB>) {
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select([
      'a.id', 'a.username', 'a.display_name', 'a.phone', 'a.org_id', 'a.roles', 'a.must_change_password', 'a.status',
      'a.failed_logins', 'a.locked_until', 'a.last_login_at', 'a.password_changed_at', 'a.created_at', 'a.created_by', 'a.updated_at', 'a.user_code',
      'o.name as org_name', 'o.kind as org_kind', 'o.division_code',
    ]);
}

export function userById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return userQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export interface UserFilter {
  scope: string;
  orgId?: string;
  within?: string;
  status?: 'active' | 'disabled';
  q?: string;
  limit: number;
  offset: number;
}

function userWhere(db: Kysely<DB>, f: UserFilter) {
  let q = userQuery(db).where((eb) => scopeFilter(eb, 'o.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'o.division_code', f.within as string));
  if (f.orgId) q = q.where('a.org_id', '=', f.orgId);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.q) q = q.where((eb) => eb.or([eb('a.username', 'like', `%${f.q}%`), eb('a.display_name', 'like', `%${f.q}%`)]));
  return q;
}

export async function listUsers(db: Kysely<DB>, f: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const rows = await userWhere(db, f).orderBy('o.division_code').orderBy('a.username').limit(f.limit).offset(f.offset).execute();
  const total = await db.selectFrom(userWhere(db, f).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: total.n };
}

export async function usernameTaken(db: Kysely<DB>, username: string): Promise<boolean> {
  return !!(await db.selectFrom('account').select('id').where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst());
}

export async function insertUser(
  db: Kysely<DB>,
  values: Pick<Selectable<AccountTable>, 'username' | 'display_name' | 'phone' | 'org_id' | 'roles' | 'password_hash' | 'must_change_password' | 'created_by'>,
) {
  return db.insertInto('account').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateUser(
  db: Kysely<DB>,
  id: string,
  patch: Partial<Pick<Selectable<AccountTable>, 'display_name' | 'phone' | 'roles' | 'status' | 'password_hash' | 'must_change_password' | 'failed_logins' | 'locked_until' | 'password_changed_at'>>,
) {
  await db.updateTable('account').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Kysely<DB>, accountId: string) {
  await db.deleteFrom('session').where('account_id', '=', accountId).execute();
}
