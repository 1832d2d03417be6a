import type { Insertable, Kysely, Updateable } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import type { InfoCatalogVersionTable, InfoCollectedTable } from './tables.js';

export type VersionRow = Awaited<ReturnType<typeof versionByNo>> & {};

export async function listVersions(db: Kysely<DB>) {
  return db
    .selectFrom('info_catalog_version')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('version', 'desc')
    .execute();
}

export async function versionByNo(db: Kysely<DB>, version: string) {
  return db.selectFrom('info_catalog_version').selectAll().where('version', '=', version).executeTakeFirst();
}

export async function published(db: Kysely<DB>) {
  return db.selectFrom('info_catalog_version').selectAll().where('status', '=', 'published').executeTakeFirst();
}

/** The published version, locked against a concurrent publish (for publishing). */
export async function lockPublished(db: Kysely<DB>) {
  return db
    .selectFrom('info_catalog_version')
    .select(['id', 'version'])
    .where('status', '=', 'published')
    .forUpdate()
    .executeTakeFirst();
}

export async function insertVersion(db: Kysely<DB>, row: Insertable<InfoCatalogVersionTable>) {
  return db.insertInto('info_catalog_version').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateVersion(db: Kysely<DB>, id: string, patch: Updateable<InfoCatalogVersionTable>) {
  return db
    .updateTable('info_catalog_version')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function collectedOf(db: Kysely<DB>, resource: string, recordId: string) {
  return db
    .selectFrom('info_collected')
    .selectAll()
    .where('resource', '=', resource)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
}

/** One record's collection row, if the reader may see it: its own organisation's, or inside its jurisdiction. */
export async function collectedVisible(
  db: Kysely<DB>,
  resource: string,
  recordId: string,
  who: { orgId: string } | { scope: string },
) {
  return db
    .selectFrom('info_collected')
    .selectAll()
    .where('resource', '=', resource)
    .where('record_id', '=', recordId)
    .where((eb) => ('orgId' in who ? eb('org_id', '=', who.orgId) : scopeFilter(eb, 'division_code', who.scope)))
    .executeTakeFirst();
}

export async function insertCollected(db: Kysely<DB>, row: Insertable<InfoCollectedTable>) {
  return db.insertInto('info_collected').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCollected(db: Kysely<DB>, id: string, patch: Updateable<InfoCollectedTable>) {
  await db.updateTable('info_collected').set(patch).where('id', '=', id).execute();
}

/** Late uploads since a time, of an organisation or of one collector. */
export async function lateCountOf(
  db: Kysely<DB>,
  who: { orgId: string } | { collectorId: string },
  since: Date,
): Promise<number> {
  const r = await db
    .selectFrom('info_collected')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('orgId' in who ? 'org_id' : 'collector_id', '=', 'orgId' in who ? who.orgId : who.collectorId)
    .where('late', '=', true)
    .where('uploaded_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
