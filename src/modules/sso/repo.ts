import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';

// ── the OpenID provider's models (oidc-provider adapter) ──────────────────────

export async function upsertPayload(
  db: Kysely<DB>,
  model: string,
  id: string,
  payload: Record<string, unknown>,
  expiresAt: Date | null,
) {
  const row = {
    model,
    id,
    payload: JSON.stringify(payload),
    grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
    uid: typeof payload.uid === 'string' ? payload.uid : null,
    expires_at: expiresAt,
  };
  await db
    .insertInto('oidc_payload')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['model', 'id']).doUpdateSet({
        payload: row.payload,
        grant_id: row.grant_id,
        uid: row.uid,
        expires_at: row.expires_at,
        consumed_at: null,
      }),
    )
    .execute();
}

export async function findPayload(db: Kysely<DB>, model: string, by: 'id' | 'uid', value: string) {
  const row = await db
    .selectFrom('oidc_payload')
    .select(['payload', 'expires_at', 'consumed_at'])
    .where('model', '=', model)
    .where(by, '=', value)
    .executeTakeFirst();
  if (!row || (row.expires_at && row.expires_at < new Date())) return undefined;
  const payload = row.payload as Record<string, unknown>;
  return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
}

export async function consumePayload(db: Kysely<DB>, model: string, id: string) {
  await db
    .updateTable('oidc_payload')
    .set({ consumed_at: new Date() })
    .where('model', '=', model)
    .where('id', '=', id)
    .execute();
}

export async function destroyPayload(db: Kysely<DB>, model: string, id: string) {
  await db.deleteFrom('oidc_payload').where('model', '=', model).where('id', '=', id).execute();
}

export async function revokeGrant(db: Kysely<DB>, grantId: string) {
  await db.deleteFrom('oidc_payload').where('grant_id', '=', grantId).execute();
}

/** Drops expired rows (called now and then by the provider adapter). */
export async function pruneExpired(db: Kysely<DB>) {
  await db.deleteFrom('oidc_payload').where('expires_at', '<', new Date()).execute();
  await db.deleteFrom('sso_login').where('expires_at', '<', new Date()).execute();
}

// ── relying-party sign-ins under way ─────────────────────────────────────────

export async function insertLogin(
  db: Kysely<DB>,
  row: { state: string; code_verifier: string; nonce: string; link_account_id: string | null; return_to: string },
) {
  await db
    .insertInto('sso_login')
    .values({ ...row, expires_at: new Date(Date.now() + 10 * 60_000) })
    .execute();
}

/** Takes (reads and deletes) a sign-in under way by its state; undefined when unknown or expired. */
export async function takeLogin(db: Kysely<DB>, state: string) {
  const row = await db.deleteFrom('sso_login').where('state', '=', state).returningAll().executeTakeFirst();
  return row && row.expires_at > new Date() ? row : undefined;
}
