import { sql } from 'kysely';
import { generatePassword, hashPassword, isStrongPassword } from '../../kernel/auth/crypto.js';
import { auditOutsideRequest } from '../../kernel/audit.js';
import type { Database } from '../../kernel/db/connect.js';

export const ADMIN_USERNAME = 'admin';

/**
 * First start: creates the platform operator organisation at PLATFORM_REGION and its administrator `admin`
 * (roles platform_admin + info_admin). The password is ADMIN_PASSWORD or a generated one that the caller prints once.
 * Does nothing when any account exists.
 */
export async function ensureAdmin(
  database: Database,
  opts: { region: string; password?: string },
): Promise<{ created: boolean; password?: string }> {
  const any = await database.db.selectFrom('account').select('id').limit(1).executeTakeFirst();
  if (any) return { created: false };
  const password = opts.password ?? generatePassword();
  if (!isStrongPassword(password))
    throw new Error('ADMIN_PASSWORD must be at least 8 characters with letters and digits');
  await setAdmin(database, opts.region, password, false);
  return { created: true, password };
}

/** Creates the administrator, or resets its password and unlocks it (CLI `create-admin` / `reset-admin`). */
export async function setAdmin(
  database: Database,
  region: string,
  password: string,
  forceChange: boolean,
  username = ADMIN_USERNAME,
): Promise<void> {
  const hash = await hashPassword(password);
  await database.db.transaction().execute(async (trx) => {
    const division = await trx.selectFrom('division').select('name').where('code', '=', region).executeTakeFirst();
    if (!division) throw new Error(`unknown division ${region}`);
    let org = await trx
      .selectFrom('organisation')
      .select('id')
      .where('kind', '=', 'operator')
      .where('division_code', '=', region)
      .orderBy('created_at')
      .executeTakeFirst();
    if (!org) {
      org = await trx
        .insertInto('organisation')
        .values({
          name: `${region === '' ? '国家' : division.name}农产品质量安全追溯平台运营中心`,
          kind: 'operator',
          division_code: region,
          contact_name: null,
          contact_phone: null,
          address: null,
          created_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    }
    const existing = await trx
      .selectFrom('account')
      .select('id')
      .where(sql`lower(username)`, '=', username.toLowerCase())
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable('account')
        .set({
          password_hash: hash,
          must_change_password: forceChange,
          failed_logins: 0,
          locked_until: null,
          status: 'active',
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await trx
        .insertInto('account')
        .values({
          username,
          display_name: '平台管理员',
          phone: null,
          org_id: org.id,
          roles: ['platform_admin', 'info_admin'],
          password_hash: hash,
          must_change_password: forceChange,
          created_by: null,
        })
        .execute();
    }
    await auditOutsideRequest(trx, {
      verb: existing ? 'admin.reset' : 'admin.create',
      targetType: 'account',
      targetId: username,
      divisionCode: region,
      summary: { via: 'cli-or-first-start' },
      actor: { id: null, username: 'system', orgId: null },
    });
  });
}
