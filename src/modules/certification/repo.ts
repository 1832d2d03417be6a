import { type Kysely, sql } from 'kysely';
import { likePrefix } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import type { RegistryRow } from './import.js';

/** Inserts or refreshes a registry entry by its key: inserted, updated, or unchanged. */
export async function upsertEntry(db: Kysely<DB>, key: string, r: RegistryRow, by: string) {
  const old = await db.selectFrom('cert_registry').selectAll().where('dedup_key', '=', key).executeTakeFirst();
  const v = {
    kind: r.kind,
    cert_no: r.certNo,
    holder_name: r.holderName,
    holder_code: r.holderCode,
    product_name: r.productName,
    division_code: r.divisionCode,
    valid_until: r.validUntil,
  };
  if (!old) {
    await db
      .insertInto('cert_registry')
      .values({ ...v, dedup_key: key, imported_by: by })
      .execute();
    return 'inserted' as const;
  }
  const same = (Object.keys(v) as (keyof typeof v)[]).every((k) => (old[k] ?? null) === (v[k] ?? null));
  if (same) return 'unchanged' as const;
  await db
    .updateTable('cert_registry')
    .set({ ...v, imported_at: new Date(), imported_by: by })
    .where('id', '=', old.id)
    .execute();
  return 'updated' as const;
}

/**
 * Registry entries in the area, each with its matched producer (approved subject with the same credit code, or the
 * same name when the entry has no code) and whether that producer is actively tracing: a certificate or a batch in
 * the last `days` days.
 */
export async function coverageRows(db: Kysely<DB>, scope: string, days: number) {
  const res = await sql<{
    id: string;
    kind: string;
    cert_no: string | null;
    holder_name: string;
    holder_code: string | null;
    product_name: string | null;
    division_code: string;
    valid_until: string | null;
    subject_id: string | null;
    subject_name: string | null;
    tracing: boolean;
    product_listed: boolean;
  }>`
    SELECT r.id, r.kind, r.cert_no, r.holder_name, r.holder_code, r.product_name, r.division_code,
      to_char(r.valid_until, 'YYYY-MM-DD') AS valid_until, s.id AS subject_id, s.name AS subject_name,
      (s.id IS NOT NULL AND (
        EXISTS (SELECT 1 FROM certificate c WHERE c.subject_id = s.id AND c.issued_at >= now() - make_interval(days => ${days}))
        OR EXISTS (SELECT 1 FROM batch b WHERE b.subject_id = s.id AND b.created_at >= now() - make_interval(days => ${days}))
      )) AS tracing,
      (s.id IS NOT NULL AND r.product_name IS NOT NULL AND EXISTS (
        SELECT 1 FROM product p WHERE p.subject_id = s.id AND p.name = r.product_name)) AS product_listed
    FROM cert_registry r
    LEFT JOIN LATERAL (
      SELECT s.id, s.name FROM subject s
      WHERE s.status = 'approved' AND (
        (r.holder_code IS NOT NULL AND s.cert_no = r.holder_code) OR (r.holder_code IS NULL AND s.name = r.holder_name))
      ORDER BY s.approved_at LIMIT 1
    ) s ON true
    WHERE r.division_code LIKE ${likePrefix(scope)}
    ORDER BY r.kind, r.holder_name`.execute(db);
  return res.rows;
}

/** Certification claims on producers' products in the area (带证上网), with the registry entry of the same number. */
export async function productClaims(db: Kysely<DB>, scope: string) {
  const res = await sql<{
    product_id: string;
    product_name: string;
    subject_name: string;
    subject_code: string;
    division_code: string;
    type: string;
    number: string;
    reg_kind: string | null;
    reg_holder_code: string | null;
    reg_holder_name: string | null;
    reg_valid_until: string | null;
  }>`
    SELECT p.id AS product_id, p.name AS product_name, s.name AS subject_name, s.cert_no AS subject_code,
      p.division_code, c->>'type' AS type, c->>'number' AS number,
      r.kind AS reg_kind, r.holder_code AS reg_holder_code, r.holder_name AS reg_holder_name,
      to_char(r.valid_until, 'YYYY-MM-DD') AS reg_valid_until
    FROM product p
    JOIN subject s ON s.id = p.subject_id
    CROSS JOIN LATERAL jsonb_array_elements(p.certifications) c
    LEFT JOIN LATERAL (
      SELECT * FROM cert_registry r WHERE r.cert_no = c->>'number' ORDER BY r.imported_at DESC LIMIT 1
    ) r ON true
    WHERE p.division_code LIKE ${likePrefix(scope)}
    ORDER BY s.name, p.name
    LIMIT 5000`.execute(db);
  return res.rows;
}
