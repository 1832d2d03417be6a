import { type Kysely, sql } from 'kysely';
import { ancestorAt } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import { notify } from '../notifications/service.js';

/**
 * The supervision organisation responsible for a division: the one at its county, else the nearest one
 * above it (city, province, national) — complaints and counterfeit alerts always reach someone. Ties: the oldest.
 */
export async function supervisionOrgFor(
  db: Kysely<DB>,
  divisionCode: string,
): Promise<{ id: string; division_code: string; name: string } | null> {
  const levels = (['county', 'city', 'province'] as const).map((l) => ancestorAt(divisionCode, l));
  const prefixes = [...new Set([...levels.filter((c): c is string => c !== null), ''])];
  const r = await db
    .selectFrom('organisation')
    .select(['id', 'division_code', 'name'])
    .where('kind', '=', 'supervision')
    .where('status', '=', 'active')
    .where('division_code', 'in', prefixes)
    .orderBy(sql`length(division_code)`, 'desc')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return r ?? null;
}

/** Notifies organisations once per `link` (issue 5's notifications carry no key: the link is the key here). */
export async function notifyOnce(
  db: Kysely<DB>,
  link: string,
  n: { kind: string; titleZh: string; titleEn: string; body: string; divisionCode: string },
  orgIds: string[],
) {
  if (!orgIds.length) return;
  const have = await db
    .selectFrom('notification')
    .select('recipient_org_id')
    .where('kind', '=', n.kind)
    .where('link', '=', link)
    .where('recipient_org_id', 'in', orgIds)
    .execute();
  const done = new Set(have.map((h) => h.recipient_org_id));
  await notify(
    db,
    orgIds.filter((o) => !done.has(o)).map((orgId) => ({ ...n, orgId, link })),
  );
}
