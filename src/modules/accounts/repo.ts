import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { likeContains, scopeFilter } from '../../kernel/auth/scope.js';
import { forgetActors } from '../../kernel/auth/sessions.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type { AccountTable, ActiveStatus, DB, OrganisationTable, OrgKind } from '../../schema.js';

export type OrgRow = Selectable<OrganisationTable> & { division_name: string | null; user_count: number };

function orgQuery(db: Kysely<DB>) {
  return db
    .selectFrom('organisation as o')
    .leftJoin('division as d', 'd.code', 'o.division_code')
    .selectAll('o')
    .select('d.name as division_name')
    .select((eb) =>
      eb
        .selectFrom('account as a')
        .whereRef('a.org_id', '=', 'o.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('user_count'),
    );
}

export function orgById(db: Kysely<DB>, id: string): Promise<OrgRow | undefined> {
  return orgQuery(db).where('o.id', '=', id).executeTakeFirst() as Promise<OrgRow | undefined>;
}

export interface OrgFilter {
  scope: string;
  within?: string;
  kind?: OrgKind;
  status?: ActiveStatus;
  q?: string;
}

export async function listOrgs(db: Kysely<DB>, f: OrgFilter, p: PageParams) {
  let q = orgQuery(db).where((eb) => scopeFilter(eb, 'o.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'o.division_code', f.within as string));
  // Producers are organisations too, but they are managed as subjects (/subjects), not listed among agencies.
  q = f.kind ? q.where('o.kind', '=', f.kind) : q.where('o.kind', '<>', 'producer');
  if (f.status) q = q.where('o.status', '=', f.status);
  if (f.q) q = q.where('o.name', 'like', likeContains(f.q));
  return (await paged(q.orderBy('o.division_code').orderBy('o.name'), p)) as {
    items: OrgRow[];
    total: number;
    page: number;
    pageSize: number;
  };
}

export async function orgNameTaken(
  db: Kysely<DB>,
  divisionCode: string,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db.selectFrom('organisation').select('id').where('division_code', '=', divisionCode).where('name', '=', name);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return !!(await q.executeTakeFirst());
}

export async function insertOrg(db: Kysely<DB>, values: Insertable<OrganisationTable>) {
  return db.insertInto('organisation').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Many organisations in one statement (bulk imports): ids chosen by the caller. */
export async function insertOrgs(
  db: Kysely<DB>,
  rows: {
    id: string;
    name: string;
    kind: OrgKind;
    division_code: string;
    contact_name: string | null;
    contact_phone: string | null;
    address: string | null;
    created_by: string | null;
  }[],
) {
  if (!rows.length) return;
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  await sql`INSERT INTO organisation (id, name, kind, division_code, contact_name, contact_phone, address, created_by)
    SELECT * FROM unnest(${col('id')}::uuid[], ${col('name')}::text[], ${col('kind')}::text[], ${col('division_code')}::text[],
      ${col('contact_name')}::text[], ${col('contact_phone')}::text[], ${col('address')}::text[], ${col('created_by')}::uuid[])`.execute(
    db,
  );
}

export async function updateOrg(
  db: Kysely<DB>,
  id: string,
  patch: Partial<
    Pick<
      Selectable<OrganisationTable>,
      'name' | 'contact_name' | 'contact_phone' | 'address' | 'status' | 'division_code'
    >
  >,
) {
  // Status and division decide what its accounts may do: no cached resolution outlives the edit (sessions.ts).
  forgetActors({ orgId: id });
  await db
    .updateTable('organisation')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export type UserRow = Omit<Selectable<AccountTable>, 'password_hash'> & {
  org_name: string;
  org_kind: OrgKind;
  division_code: string;
};

function userQuery(db: Kysely<DB>) {
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select([
      'a.id',
      'a.username',
      'a.display_name',
      'a.phone',
      'a.org_id',
      'a.roles',
      'a.must_change_password',
      'a.status',
      'a.failed_logins',
      'a.locked_until',
      'a.last_login_at',
      'a.password_changed_at',
      'a.created_at',
      'a.created_by',
      'a.updated_at',
      'a.user_code',
      'a.upper_subject',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.division_code',
    ]);
}

export function userById(db: Kysely<DB>, id: string): Promise<UserRow | undefined> {
  return userQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export interface UserFilter {
  scope: string;
  orgId?: string;
  within?: string;
  status?: ActiveStatus;
  q?: string;
}

export function listUsers(db: Kysely<DB>, f: UserFilter, p: PageParams) {
  let q = userQuery(db).where((eb) => scopeFilter(eb, 'o.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'o.division_code', f.within as string));
  if (f.orgId) q = q.where('a.org_id', '=', f.orgId);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.q) {
    const pattern = likeContains(f.q);
    q = q.where((eb) => eb.or([eb('a.username', 'like', pattern), eb('a.display_name', 'like', pattern)]));
  }
  return paged(q.orderBy('o.division_code').orderBy('a.username'), p);
}

export async function usernameTaken(db: Kysely<DB>, username: string): Promise<boolean> {
  return !!(await db
    .selectFrom('account')
    .select('id')
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst());
}

export async function insertUser(db: Kysely<DB>, values: Insertable<AccountTable>) {
  return db.insertInto('account').values(values).returning('id').executeTakeFirstOrThrow();
}

export async function updateUser(
  db: Kysely<DB>,
  id: string,
  patch: Partial<
    Pick<
      Selectable<AccountTable>,
      | 'display_name'
      | 'phone'
      | 'roles'
      | 'status'
      | 'password_hash'
      | 'must_change_password'
      | 'failed_logins'
      | 'locked_until'
      | 'password_changed_at'
      | 'user_code'
    >
  >,
) {
  // Roles, status and the pending password change decide what the account may do (sessions.ts's cache).
  forgetActors({ accountId: id });
  await db
    .updateTable('account')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ── login support (for the auth module, through the service) ───────────────
/** The account a login names (case-insensitive), locked for the login's transaction. */
export function accountForLogin(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('account')
    .select(['id', 'username', 'org_id', 'password_hash', 'status', 'failed_logins', 'locked_until'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .forUpdate()
    .executeTakeFirst();
}

export function orgStatus(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('organisation')
    .select(['status', 'division_code'])
    .where('id', '=', orgId)
    .executeTakeFirstOrThrow();
}

/** Login bookkeeping (failure count, lock, last login): not an edit of the account, so `updated_at` stays. */
export async function setLoginState(
  db: Kysely<DB>,
  id: string,
  patch: Partial<Pick<Selectable<AccountTable>, 'failed_logins' | 'locked_until' | 'last_login_at'>>,
) {
  await db.updateTable('account').set(patch).where('id', '=', id).execute();
}

/** Throttle state of one (username, client) pair. */
export function loginThrottle(db: Kysely<DB>, usernameKey: string, client: string) {
  return db
    .selectFrom('login_throttle')
    .select(['failures', 'blocked_until', 'last_failure_at'])
    .where('username_key', '=', usernameKey)
    .where('client', '=', client)
    .forUpdate()
    .executeTakeFirst();
}

export async function setLoginThrottle(
  db: Kysely<DB>,
  usernameKey: string,
  client: string,
  failures: number,
  blockedUntil: Date | null,
) {
  const now = new Date();
  await db
    .insertInto('login_throttle')
    .values({ username_key: usernameKey, client, failures, blocked_until: blockedUntil, last_failure_at: now })
    .onConflict((oc) =>
      oc
        .columns(['username_key', 'client'])
        .doUpdateSet({ failures, blocked_until: blockedUntil, last_failure_at: now }),
    )
    .execute();
}

/** Forgets a pair's failures (successful login), and pairs idle since `staleBefore`. */
export async function clearLoginThrottle(db: Kysely<DB>, usernameKey: string, client: string, staleBefore: Date) {
  await db
    .deleteFrom('login_throttle')
    .where((eb) =>
      eb.or([
        eb.and([eb('username_key', '=', usernameKey), eb('client', '=', client)]),
        eb('last_failure_at', '<', staleBefore),
      ]),
    )
    .execute();
}

export function ownAccount(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('account')
    .select(['phone', 'last_login_at', 'password_changed_at', 'password_hash'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

// ── single sign-on (sso module) ──────────────────────────────────────────────
/** An account with its organisation, for the claims of an OpenID ID token. */
export function accountWithOrg(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('account as a')
    .innerJoin('organisation as o', 'o.id', 'a.org_id')
    .select(['a.id', 'a.username', 'a.display_name', 'a.status', 'a.upper_subject', 'o.name as org_name'])
    .select(['o.division_code', 'o.status as org_status', 'o.id as org_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export function accountByUpperSubject(db: Kysely<DB>, subject: string) {
  return db.selectFrom('account').select(['id']).where('upper_subject', '=', subject).executeTakeFirst();
}

export async function setUpperSubject(db: Kysely<DB>, id: string, subject: string | null) {
  await db
    .updateTable('account')
    .set({ upper_subject: subject, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}
